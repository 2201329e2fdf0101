// Parley on a phone: the installable app, one pane at a time, usable offline.

import { chromium, devices, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { uniqueName } from '../test/helpers/client';
import { makeTempDir } from '../test/helpers/paths';
import {
  bodies,
  createActor,
  createGroup,
  expect,
  messages,
  openChat,
  sendMessage,
  signUpInBrowser,
  test,
} from './fixtures';

const phone = devices['Pixel 7'];
/** One of the narrowest phones in use: 360 px wide. */
const narrowPhone = devices['Galaxy S8'];

const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Conversations' });

/** Every visible control is at least 44 × 44 px, the size of a fingertip. */
async function expectTouchTargets(page: Page) {
  const small = await page
    .locator('button:visible, a:visible, input:visible, textarea:visible')
    .evaluateAll((elements) =>
      elements
        .map((element) => ({ element, box: element.getBoundingClientRect() }))
        .filter(({ box }) => box.width < 44 || box.height < 44)
        .map(
          ({ element, box }) =>
            `${element.outerHTML.slice(0, 80)} ${Math.round(box.width)}×${Math.round(box.height)}`,
        ),
    );
  expect(small).toEqual([]);
}

/** The page is exactly as wide as the screen. On a phone the browser would otherwise zoom out
 * to the widest content (the layout viewport grows with it), so innerWidth cannot tell. */
async function expectNoSidewaysScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBe(page.viewportSize()!.width);
}

test('the whole flow on a phone: sign up, make a group, chat, go back', async ({
  browser,
  server,
}) => {
  const [alice, bob, carol] = await Promise.all(
    ['alice', 'bob', 'carol'].map((name) =>
      createActor(browser, server.url, name, { contextOptions: phone }),
    ),
  );
  try {
    await expect(sidebar(alice!.page)).toBeVisible();
    await expectTouchTargets(alice!.page);

    await createGroup(alice!.page, 'Pocket', [bob!.username, carol!.username]);
    // One pane at a time: the conversation replaces the list.
    await expect(sidebar(alice!.page)).toBeHidden();
    await sendMessage(alice!.page, 'Sent from a phone');
    await expectTouchTargets(alice!.page);

    for (const person of [bob!, carol!]) {
      await openChat(person.page, 'Pocket');
      await expect(sidebar(person.page)).toBeHidden();
      await expect(bodies(person.page)).toHaveText(['Sent from a phone']);
    }
    await sendMessage(bob!.page, 'Got it');
    await expect(bodies(alice!.page)).toHaveText(['Sent from a phone', 'Got it']);

    // The browser's back button goes from the conversation to the list.
    await alice!.page.goBack();
    await expect(sidebar(alice!.page)).toBeVisible();
    await expect(alice!.page.getByTestId('conversation-title')).toBeHidden();
    await alice!.page.goForward();
    await expect(alice!.page.getByTestId('conversation-title')).toHaveText('Pocket');
  } finally {
    for (const person of [alice, bob, carol]) await person?.context.close();
  }
});

test('no screen scrolls sideways on a 360 px phone, even with long names and messages', async ({
  browser,
  server,
}) => {
  const signIn = await browser.newContext({ ...narrowPhone, baseURL: server.url });
  const alice = await createActor(browser, server.url, 'alice', { contextOptions: narrowPhone });
  const bob = await createActor(browser, server.url, 'bob', { contextOptions: narrowPhone });
  try {
    const page = await signIn.newPage();
    await page.goto('/sign-in');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expectNoSidewaysScroll(page);

    // A preview longer than the screen, in the list.
    const long = 'A line much longer than the screen of a phone is wide, and then some more.';
    await createGroup(bob.page, 'A group whose name is longer than a phone is wide', [
      alice.username,
    ]);
    await sendMessage(bob.page, long);
    await sendMessage(bob.page, `unbroken:${'x'.repeat(100)}`);
    const item = alice.page.getByTestId('conversation-item');
    await expect(item.getByTestId('conversation-item-preview')).toHaveText(/^unbroken:x+$/);
    await expectNoSidewaysScroll(alice.page);

    await item.click();
    await expect(bodies(alice.page)).toHaveText([long, `unbroken:${'x'.repeat(100)}`]);
    await expectNoSidewaysScroll(alice.page);

    await alice.page.getByRole('button', { name: 'Group info' }).click();
    await expect(alice.page.getByTestId('member')).toHaveCount(2);
    await expectNoSidewaysScroll(alice.page);
  } finally {
    for (const context of [signIn, alice.context, bob.context]) await context.close();
  }
});

test('is installable: manifest served, service worker in control, no installability errors', async ({
  server,
}) => {
  // A real profile: Chromium never offers installation in an off-the-record context.
  const context = await chromium.launchPersistentContext(makeTempDir('parley-profile-'), {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    baseURL: server.url,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await signUpInBrowser(page, uniqueName('alice'));
    const manifest = await (await page.request.get('/manifest.webmanifest')).json();
    expect(manifest).toMatchObject({
      name: 'Parley',
      short_name: 'Parley',
      display: 'standalone',
      start_url: '/chats',
    });
    expect(
      manifest.icons.map(
        (icon: { sizes: string; purpose?: string }) => `${icon.sizes} ${icon.purpose}`,
      ),
    ).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of manifest.icons as { src: string }[]) {
      const response = await page.request.get(icon.src);
      expect(response.headers()['content-type']).toBe('image/png');
    }
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: unknown[];
    };
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('opens without a network, with the conversations and history on the device', async ({
  browser,
  server,
}) => {
  const alice = await createActor(browser, server.url, 'alice', { contextOptions: phone });
  const bob = await createActor(browser, server.url, 'bob', { contextOptions: phone });
  try {
    await createGroup(alice.page, 'Offline', [bob.username]);
    await sendMessage(alice.page, 'kept on the phone');
    await expect(messages(alice.page).last().getByTestId('message-status')).not.toHaveAttribute(
      'aria-label',
      'Not sent yet',
    );
    await alice.page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await alice.context.setOffline(true);
    await alice.page.goto('/chats');
    await expect(sidebar(alice.page)).toBeVisible();
    await expect(alice.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
    await expect(alice.page.getByTestId('conversation-item')).toHaveText([/Offline/]);
    await openChat(alice.page, 'Offline');
    await expect(bodies(alice.page)).toHaveText(['kept on the phone']);
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});
