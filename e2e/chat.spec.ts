import type { Page } from '@playwright/test';
import { MESSAGE_MAX_CODE_POINTS } from '../protocol';
import { signUp } from '../test/helpers/client';
import { makeDataDir } from '../test/helpers/database';
import { freePort } from '../test/helpers/ports';
import { startProcessServer } from '../test/helpers/process-server';
import {
  bodies,
  createActor,
  expect,
  messages,
  sendMessage,
  sendOverSocket,
  signInOnNewDevice,
  startChat,
  startChatWith,
  test,
} from './fixtures';

test('alice and bob sign up, start a chat and see each other’s messages live', async ({
  actor,
}) => {
  const alice = await actor('alice', { throughForm: true });
  const bob = await actor('bob', { throughForm: true });
  const bobSecondTab = await bob.openTab();

  await startChat(alice.page, bob.username);
  await sendMessage(alice.page, 'Hi Bob!\nHow are you?');
  await expect(messages(alice.page).last()).toContainText('Hi Bob!');
  await expect(messages(alice.page).last().getByTestId('message-status')).toHaveAttribute(
    'aria-label',
    'Sent',
  );

  // Bob's list shows the new conversation with one unread message, in both tabs, without reload.
  for (const page of [bob.page, bobSecondTab]) {
    const item = page.getByTestId('conversation-item').filter({ hasText: alice.username });
    await expect(item).toContainText('Hi Bob!');
    await expect(item.getByTestId('unread-count')).toHaveText('1');
  }
  await bob.page.getByTestId('conversation-item').filter({ hasText: alice.username }).click();
  const received = messages(bob.page).last();
  await expect(received).toContainText('Hi Bob!');
  // Line breaks are kept.
  expect(await received.getByTestId('message-body').innerText()).toBe('Hi Bob!\nHow are you?');
  // Reading in one tab clears the count in the other.
  await expect(bobSecondTab.getByTestId('unread-count')).toHaveCount(0);

  await sendMessage(bob.page, 'Fine, thanks!');
  await expect(messages(alice.page).last()).toContainText('Fine, thanks!');
  await expect(messages(alice.page)).toHaveCount(2);
  // A chat shorter than the view sits at its bottom, over the composer, as in WhatsApp.
  await expect
    .poll(async () => {
      const newest = await messages(alice.page).last().boundingBox();
      const composer = await alice.page.getByLabel('Message', { exact: true }).boundingBox();
      return newest && composer ? composer.y - (newest.y + newest.height) : null;
    })
    .toBeLessThan(40);
});

test('messages are shown as text, never run as HTML', async ({ actor }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  let dialogs = 0;
  bob.page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  const payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
  await startChat(alice.page, bob.username);
  await sendMessage(alice.page, payload);
  await startChat(bob.page, alice.username);
  await expect(messages(bob.page).last().getByTestId('message-body')).toHaveText(payload);
  expect(await bob.page.getByTestId('message-body').locator('img, script').count()).toBe(0);
  expect(dialogs).toBe(0);
});

test('a too-long message gets a visible error and is not sent', async ({ actor, server }) => {
  const alice = await actor('alice');
  const bob = (await signUp(server.url, 'bob')).user;
  await startChat(alice.page, bob.username);
  const composer = alice.page.getByLabel('Message', { exact: true });

  await composer.fill('x'.repeat(MESSAGE_MAX_CODE_POINTS - 5));
  await expect(alice.page.getByTestId('composer-counter')).toHaveText('99,995 / 100,000');
  await expect(alice.page.getByTestId('composer-error')).toHaveCount(0);

  await composer.fill('😀'.repeat(MESSAGE_MAX_CODE_POINTS + 1));
  await expect(alice.page.getByTestId('composer-error')).toHaveText(
    'Too long: 100,001 characters, the limit is 100,000. Remove 1.',
  );
  await expect(alice.page.getByRole('button', { name: 'Send' })).toBeDisabled();
  await composer.press('Enter');
  await expect(messages(alice.page)).toHaveCount(0);
});

test('older messages load when scrolling up, from the server, then from the device even offline', async ({
  browser,
  server,
}) => {
  // Seventy messages from alice over a socket (typing them is not what this tests), to bob;
  // alice opens the chat on a new device (her own messages: it opens at the newest).
  const alice = await signUp(server.url, 'alice');
  const bob = (await signUp(server.url, 'bob')).user;
  const sends = Array.from({ length: 70 }, (_, index) => ({ body: `message ${index + 1}` }));
  await sendOverSocket(server.url, alice, bob.username, sends);

  const device = await signInOnNewDevice(browser, server.url, alice.user.username, {
    serviceWorker: true,
  });
  try {
    await startChat(device.page, bob.username);
    await expect(bodyText(device.page, 'message 70')).toBeVisible();
    await expectOlderPageKeepsPlace(device.page);

    // A start reads only the newest page from the device; the older ones are there too.
    await device.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await device.context.setOffline(true);
    await device.page.reload();
    await expect(device.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
    await expect(bodyText(device.page, 'message 70')).toBeVisible();
    await expectOlderPageKeepsPlace(device.page);
  } finally {
    await device.context.close();
  }
});

/** One message's text in the list, by its whole text. */
function bodyText(page: Page, text: string) {
  return bodies(page).getByText(text, { exact: true });
}

/**
 * The newest page (50 of 70) is held first: message 20 is not among the rows until the reader
 * reaches the top. Then the older page goes in above while the view stays where it was (message
 * 21 at its top, not pushed down by the page), and above it is the beginning of the conversation.
 */
async function expectOlderPageKeepsPlace(page: Page): Promise<void> {
  await expect(page.getByText('This is the beginning of the conversation.')).toHaveCount(0);
  await expect(bodyText(page, 'message 20')).toHaveCount(0);
  const scroller = page.getByTestId('message-scroller');
  await scroller.evaluate((element) => element.scrollTo(0, 0));
  await expect(bodyText(page, 'message 20')).toBeAttached();
  const viewTop = (await scroller.boundingBox())!.y;
  expect((await topOf(page, 'message 21')) - viewTop).toBeLessThan(120);
  await expect(bodyText(page, 'message 21')).toBeInViewport();
  await expect
    .poll(async () => {
      await scroller.evaluate((element) => element.scrollTo(0, 0));
      return page.getByText('This is the beginning of the conversation.').count();
    })
    .toBe(1);
  await expect(bodyText(page, 'message 1')).toBeVisible();
}

async function topOf(page: Page, text: string): Promise<number> {
  const box = await bodies(page).getByText(text, { exact: true }).boundingBox();
  if (!box) throw new Error(`"${text}" is not on the page.`);
  return box.y;
}

test('history is there after a reload and after a server restart', async ({ browser }) => {
  test.setTimeout(120_000); // two server starts on a fresh embedded database
  // A server of this test's own, since it is restarted (on the same port and data folder).
  const dataDir = makeDataDir();
  let server = await startProcessServer({ dataDir, port: await freePort() });
  const alice = await createActor(browser, server.url, 'alice');
  const bob = await createActor(browser, server.url, 'bob');
  try {
    await startChatWith(alice, bob, 'remember me');
    await sendMessage(bob.page, 'I will');
    await expect(messages(alice.page)).toHaveCount(2);

    await alice.page.reload();
    await expect(messages(alice.page)).toHaveText([/remember me/, /I will/]);

    await server.stop();
    await expect(alice.page.getByTestId('connection')).not.toHaveAttribute('data-state', 'online');
    server = await startProcessServer({ dataDir, port: server.port });
    // The open page reconnects by itself and can send again.
    await expect(alice.page.getByTestId('connection')).toHaveAttribute('data-state', 'online', {
      timeout: 40_000,
    });
    await sendMessage(alice.page, 'after the restart');
    await expect(messages(bob.page).last()).toContainText('after the restart', { timeout: 40_000 });

    await bob.page.reload();
    await expect(messages(bob.page)).toHaveText([/remember me/, /I will/, /after the restart/]);
  } finally {
    await alice.context.close();
    await bob.context.close();
    await server.stop();
  }
});
