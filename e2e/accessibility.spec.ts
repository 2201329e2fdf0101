// axe-core on every kind of page, in light and dark mode: no serious or critical violations.

import AxeBuilder from '@axe-core/playwright';
import { devices, type Page } from '@playwright/test';
import { PASSWORD, signUp, uniqueName } from '../test/helpers/client';
import { makeDataDir, seedAdmin } from '../test/helpers/database';
import { startProcessServer } from '../test/helpers/process-server';
import {
  chooseFromHeaderMenu,
  createGroup,
  expect,
  messages,
  newContext,
  openMessageMenuByKeyboard,
  openSettings,
  sendMessage,
  startChat,
  test,
} from './fixtures';

/** The rules whose outcome depends on colours: all that can change in dark mode. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * Runs axe on the page as it is: every WCAG 2.2 AA rule in light mode, and the colour rules again
 * in dark mode (the theme changes colours only, and a full run costs seconds of CPU).
 *
 * In axe's legacy mode: `axe.run` in the page itself. The default mode injects axe into the page
 * and again into each of its frames, then opens a blank page, injects it a third time and
 * assembles the results there, which took half of each run's time; the app has no frames, so
 * both modes test the same.
 */
async function expectAccessible(page: Page, what: string) {
  const serious: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const axe = new AxeBuilder({ page }).setLegacyMode();
    const results = await (
      colorScheme === 'light'
        ? axe.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
        : axe.withRules(COLOUR_RULES)
    ).analyze();
    serious.push(
      ...results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map(
          (violation) =>
            `${what} (${colorScheme}): ${violation.id} (${violation.impact}) ${violation.help}: ${violation.nodes
              .slice(0, 3)
              .map((node) => node.target.join(' '))
              .join(' | ')}`,
        ),
    );
  }
  expect(serious).toEqual([]);
}

test('pages have no serious accessibility problems, in light and dark mode', async ({
  browser,
}) => {
  // A server of its own (with an admin seeded before it starts), and axe twice per page.
  test.setTimeout(180_000);
  const dataDir = makeDataDir();
  const adminName = uniqueName('root');
  await seedAdmin({ dataDir }, adminName, PASSWORD);
  const server = await startProcessServer({ dataDir });
  const anonymous = await newContext(browser, server.url);
  try {
    const page = await anonymous.newPage();
    await page.goto('/sign-in');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expectAccessible(page, 'sign-in');
    await page.goto('/sign-up');
    await expectAccessible(page, 'sign-up');

    // The people the admin chats with need accounts, not browsers.
    const alice = (await signUp(server.url, 'alice')).user;
    const bob = (await signUp(server.url, 'bob')).user;

    const context = await newContext(browser, server.url);
    const signedIn = await context.newPage();
    await signedIn.goto('/sign-in');
    await signedIn.getByLabel('Username').fill(adminName);
    await signedIn.getByLabel('Password').fill(PASSWORD);
    await signedIn.getByRole('button', { name: 'Sign in' }).click();
    await expect(signedIn.getByTestId('me')).toHaveText(adminName);
    await expectAccessible(signedIn, 'empty list');

    await startChat(signedIn, alice.username);
    await sendMessage(signedIn, 'Hello! <b>Accessible?</b>');
    await expect(signedIn.getByTestId('message')).toHaveCount(1);
    await expectAccessible(signedIn, 'conversation');
    await signedIn.getByRole('button', { name: 'Emoji', exact: true }).click();
    await expect(signedIn.getByRole('gridcell').first()).toBeVisible();
    await expectAccessible(signedIn, 'emoji picker');
    await signedIn.keyboard.press('Escape');

    await createGroup(signedIn, 'Access', [alice.username, bob.username]);
    await sendMessage(signedIn, 'Group hello');
    await signedIn.getByRole('button', { name: 'Group info' }).click();
    await expect(signedIn.getByTestId('member')).toHaveCount(3);
    await expectAccessible(signedIn, 'group info');

    // Both searches at once: the list's (chats and messages) and the conversation's.
    await signedIn.getByRole('button', { name: 'Search in chat' }).click();
    await signedIn.getByTestId('chat-search').fill('hello');
    await signedIn.getByTestId('list-search').fill('hello');
    await expect(signedIn.getByTestId('search-result')).toHaveCount(3);
    await expectAccessible(signedIn, 'search');

    // The header's menu, and settings in place of the list.
    await signedIn.getByTestId('list-search').fill('');
    await signedIn.getByRole('button', { name: 'More options' }).click();
    await expect(signedIn.getByTestId('header-menu')).toBeVisible();
    await expectAccessible(signedIn, 'header menu');
    await signedIn.keyboard.press('Escape');
    await openSettings(signedIn);
    await expectAccessible(signedIn, 'settings');

    await signedIn.goto('/admin');
    await expect(signedIn.getByTestId('stat-users')).toHaveText('3');
    await expectAccessible(signedIn, 'admin overview');
    await signedIn.getByRole('tab', { name: 'Users' }).click();
    await expect(signedIn.getByTestId('admin-user')).toHaveCount(3);
    await expectAccessible(signedIn, 'admin users');
    await signedIn.getByRole('tab', { name: 'Settings' }).click();
    await expect(signedIn.getByLabel('Maximum group size')).toHaveValue('256');
    await expectAccessible(signedIn, 'admin settings');
    await context.close();
  } finally {
    await anonymous.close();
    await server.stop();
  }
});

test('phone screens have no serious accessibility problems, in light and dark mode', async ({
  actor,
  server,
}) => {
  // axe twice on each of nine screens.
  test.setTimeout(180_000);
  const alice = await actor('alice', { contextOptions: devices['Pixel 7'] });
  const bob = (await signUp(server.url, 'bob')).user;
  const carol = (await signUp(server.url, 'carol')).user;
  const page = alice.page;
  await expectAccessible(page, 'phone: empty list');

  await startChat(page, bob.username);
  await sendMessage(page, 'Hello on a phone');
  await expect(messages(page)).toHaveCount(1);
  await expectAccessible(page, 'phone: conversation');
  // The message menu, as a long press opens it (the keyboard's way in, here).
  await openMessageMenuByKeyboard(page, messages(page).last());
  await expectAccessible(page, 'phone: message menu');
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Back to chats' }).click();
  await createGroup(page, 'Pocket', [bob.username, carol.username]);
  await sendMessage(page, 'Hello group');
  await expect(messages(page)).toHaveCount(1);
  await expectAccessible(page, 'phone: group');
  await chooseFromHeaderMenu(page, 'Group info');
  await expect(page.getByTestId('member')).toHaveCount(3);
  await expectAccessible(page, 'phone: group info');
  await page.getByRole('button', { name: 'Close group info' }).click();

  await page.getByRole('button', { name: 'Search in chat' }).click();
  await page.getByTestId('chat-search').fill('hello');
  const inChat = page.getByRole('complementary', { name: 'Search in chat' });
  await expect(inChat.getByTestId('search-result')).toHaveCount(1);
  await expectAccessible(page, 'phone: search in chat');
  await inChat.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('link', { name: 'Back to chats' }).click();
  await page.getByTestId('list-search').fill('hello');
  await expect(page.getByTestId('search-result')).toHaveCount(2);
  await expectAccessible(page, 'phone: search');
  await page.getByTestId('list-search').fill('');
  await expect(page.getByTestId('conversation-item')).toHaveCount(2);
  await expectAccessible(page, 'phone: list');
  await openSettings(page);
  await expectAccessible(page, 'phone: settings');
});

test('works with the keyboard alone', async ({ actor, server }) => {
  const alice = await actor('alice');
  const bob = (await signUp(server.url, 'bob')).user;
  const page = alice.page;
  const newChat = page.getByLabel('Start a chat with (username)');
  // Tab through the sidebar to the new-chat field.
  for (
    let step = 0;
    step < 10 && !(await newChat.evaluate((element) => element === document.activeElement));
    step++
  ) {
    await page.keyboard.press('Tab');
  }
  await expect(newChat).toBeFocused();
  await page.keyboard.type(bob.username);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('conversation-title')).toHaveText(bob.username);

  // Focus moves to the composer; Shift+Enter is a new line, Enter sends.
  const composer = page.getByLabel('Message', { exact: true });
  await expect(composer).toBeFocused();
  await page.keyboard.type('line one');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('line two');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('message').getByTestId('message-body')).toHaveText([
    'line one\nline two',
  ]);
  await expect(composer).toBeFocused();
  await expect(composer).toHaveValue('');
});
