import type { Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { call, connect, signUp } from '../test/helpers/client';
import {
  bodies,
  expect,
  messages,
  sendMessage,
  signInOnNewDevice,
  startChat,
  startChatWith,
  test,
} from './fixtures';

const connection = (page: Page) => page.getByTestId('connection');
const lastStatus = (page: Page) => messages(page).last().getByTestId('message-status');

test('bob sees all 20 messages sent while he was offline, once each and in order', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await startChatWith(alice, bob, 'hello');
  await expect(bodies(bob.page)).toHaveText(['hello']);

  await bob.context.setOffline(true);
  await expect(connection(bob.page)).toHaveAttribute('data-state', 'offline');
  const texts = Array.from({ length: 20 }, (_, index) => `message ${index + 1}`);
  for (const text of texts) await sendMessage(alice.page, text);
  await expect(messages(alice.page).last()).toContainText('message 20');
  await expect(lastStatus(alice.page)).toHaveAttribute('aria-label', 'Sent');
  await expect(messages(bob.page)).toHaveCount(1);

  await bob.context.setOffline(false);
  await expect(connection(bob.page)).toHaveAttribute('data-state', 'online');
  const expected = ['hello', ...texts];
  await expect(bodies(bob.page)).toHaveText(expected);
  // Still exactly once each, after everything has settled.
  await expect(lastStatus(alice.page)).toHaveAttribute('aria-label', 'Read');
  await expect(bodies(bob.page)).toHaveText(expected);
});

test('alice’s ticks go from one to two to blue as bob comes online and opens the chat', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await bob.context.setOffline(true);
  await expect(connection(bob.page)).toHaveAttribute('data-state', 'offline');

  await startChat(alice.page, bob.username);
  await sendMessage(alice.page, 'are you there?');
  await expect(lastStatus(alice.page)).toHaveAttribute('aria-label', 'Sent');
  await expect(lastStatus(alice.page)).toHaveText('✓');

  // Bob's device comes back and receives the message without opening the chat: two ticks.
  await bob.context.setOffline(false);
  const item = bob.page.getByTestId('conversation-item').filter({ hasText: alice.username });
  await expect(item.getByTestId('unread-count')).toHaveText('1');
  await expect(lastStatus(alice.page)).toHaveAttribute('aria-label', 'Delivered');
  await expect(lastStatus(alice.page)).toHaveText('✓✓');

  // Bob opens the chat: blue ticks.
  await item.click();
  await expect(bodies(bob.page)).toHaveText(['are you there?']);
  await expect(lastStatus(alice.page)).toHaveAttribute('aria-label', 'Read');
  // Blue: --read of app/tokens.css, in the light theme the tests run in.
  await expect(lastStatus(alice.page)).toHaveCSS('color', 'rgb(25, 118, 210)');
});

test('a message that arrives while bob is scrolled up stays unread until he jumps to it', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await startChatWith(alice, bob, 'hello');
  // Bob's chat opened holding 'hello' (else it opens at the divider above both messages).
  await expect(bodies(bob.page)).toHaveText(['hello']);
  // Taller than bob's view, so that he can scroll away from the newest message.
  const tall = Array.from({ length: 40 }, (_, index) => `line ${index + 1}`).join('\n');
  await sendMessage(alice.page, tall);
  await expect(lastStatus(alice.page)).toHaveAttribute('aria-label', 'Read');

  const jump = bob.page.getByTestId('jump-to-latest');
  await expect(jump).toBeHidden();
  const scroller = bob.page.getByTestId('message-scroller');
  // Bob follows the conversation at its bottom, with more above than the view holds.
  await expect
    .poll(() =>
      scroller.evaluate((element) => ({
        isTaller: element.scrollHeight > element.clientHeight + 200,
        isAtBottom: element.scrollHeight - element.scrollTop - element.clientHeight < 2,
      })),
    )
    .toEqual({ isTaller: true, isAtBottom: true });
  await scroller.evaluate((element) => element.scrollTo(0, 0));
  await expect.poll(() => scroller.evaluate((element) => element.scrollTop)).toBe(0);
  // Far from the newest message with nothing new: a plain way back down.
  await expect(jump).toHaveAccessibleName('Scroll to the latest message');

  await sendMessage(alice.page, 'are you still there?');
  await expect(jump).toHaveAccessibleName('1 new message: scroll to the latest');
  await expect(jump).toContainText('1 new');
  // Bob's device has the message (two ticks) but he has not seen it: not read, not blue.
  // The count above comes from bob's read marker, which moves on his device before it is
  // sent: showing 1 new means no read receipt for it has gone out.
  await expect(lastStatus(alice.page)).toHaveAttribute('aria-label', 'Delivered');
  await expect(lastStatus(alice.page)).not.toHaveCSS('color', 'rgb(25, 118, 210)');
  const newest = bodies(bob.page).getByText('are you still there?', { exact: true });
  await expect(newest).not.toBeInViewport();

  await jump.click();
  await expect(newest).toBeInViewport();
  await expect(jump).toBeHidden();
  await expect(lastStatus(alice.page)).toHaveAttribute('aria-label', 'Read');
  await expect(lastStatus(alice.page)).toHaveCSS('color', 'rgb(25, 118, 210)');
});

test('a chat opened at its unread divider follows a message that arrives just after', async ({
  browser,
  server,
}) => {
  // Alice writes over a socket of her own, so that the next message goes the moment bob's
  // chat shows its divider, while the list is still settling there.
  const alice = await signUp(server.url, 'alice');
  const bob = await signUp(server.url, 'bob');
  const { socket } = await connect(server.url, alice, { origin: server.url });
  try {
    const started = await call(socket, 'conversation:start', { username: bob.user.username });
    if (!started.ok) throw new Error(started.message);
    const send = async (body: string) => {
      const request = { conversationId: started.conversation.id, clientMsgId: randomUUID(), body };
      const sent = await call(socket, 'message:send', request);
      if (!sent.ok) throw new Error(sent.message);
    };
    await send('hello');
    const { page } = await signInOnNewDevice(browser, server.url, bob.user.username);
    const item = page.getByTestId('conversation-item').filter({ hasText: alice.user.username });
    await expect(item.getByTestId('unread-count')).toHaveText('1');
    await item.click();
    await page.getByTestId('unread-divider').waitFor();
    // The chat is short: the divider is as high as it goes, and bob is at the bottom.
    await send(Array.from({ length: 40 }, (_, index) => `line ${index + 1}`).join('\n'));
    await expect(messages(page)).toHaveCount(2);
    const scroller = page.getByTestId('message-scroller');
    await expect
      .poll(() =>
        scroller.evaluate(
          (element) => element.scrollHeight - element.scrollTop - element.clientHeight < 2,
        ),
      )
      .toBe(true);
    await expect(page.getByTestId('jump-to-latest')).toBeHidden();
  } finally {
    socket.close();
  }
});

test('messages composed offline survive a reload and arrive once, in order, when back online', async ({
  actor,
}) => {
  const alice = await actor('alice', { serviceWorker: true });
  const bob = await actor('bob');
  await startChatWith(alice, bob, 'before the network went');
  await expect(messages(bob.page)).toHaveCount(1);
  // The service worker must control the page before the network goes, to open it offline.
  await alice.page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await alice.context.setOffline(true);
  await expect(connection(alice.page)).toHaveAttribute('data-state', 'offline');
  const texts = ['one', 'two', 'three', 'four', 'five'].map((word) => `queued ${word}`);
  for (const text of texts) await sendMessage(alice.page, text);
  const queued = messages(alice.page).filter({ hasText: 'queued' });
  await expect(queued).toHaveCount(5);
  for (const status of await queued.getByTestId('message-status').all()) {
    await expect(status).toHaveAttribute('aria-label', 'Not sent yet');
  }

  await alice.page.reload();
  const expected = ['before the network went', ...texts];
  await expect(bodies(alice.page)).toHaveText(expected);
  await expect(queued.getByTestId('message-status')).toHaveText(Array(5).fill('🕓'));
  await expect(connection(alice.page)).toHaveAttribute('data-state', 'offline');
  await expect(messages(bob.page)).toHaveCount(1);

  await alice.context.setOffline(false);
  await expect(bodies(bob.page)).toHaveText(expected);
  await expect(bodies(alice.page)).toHaveText(expected);
  await expect(lastStatus(alice.page)).toHaveAttribute('aria-label', 'Read');
  await expect(bodies(bob.page)).toHaveText(expected);
});

test('one person on two devices sees the same messages and the same unread counts', async ({
  actor,
  browser,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const bobPhone = await signInOnNewDevice(browser, server.url, bob.username);
  try {
    await startChat(alice.page, bob.username);
    await sendMessage(alice.page, 'first');
    await sendMessage(alice.page, 'second');
    for (const page of [bob.page, bobPhone.page]) {
      const item = page.getByTestId('conversation-item').filter({ hasText: alice.username });
      await expect(item.getByTestId('unread-count')).toHaveText('2');
    }

    // Reading on the laptop clears the count on the phone.
    await bob.page.getByTestId('conversation-item').filter({ hasText: alice.username }).click();
    await expect(bodies(bob.page)).toHaveText(['first', 'second']);
    await expect(bobPhone.page.getByTestId('unread-count')).toHaveCount(0);

    // What bob sends from the laptop is on the phone too, as his own message.
    await sendMessage(bob.page, 'from my laptop');
    await bobPhone.page
      .getByTestId('conversation-item')
      .filter({ hasText: alice.username })
      .click();
    await expect(bodies(bobPhone.page)).toHaveText(['first', 'second', 'from my laptop']);
    await expect(messages(bobPhone.page).last()).toHaveAttribute('data-mine', 'true');
    await expect(bodies(alice.page)).toHaveText(['first', 'second', 'from my laptop']);
  } finally {
    await bobPhone.context.close();
  }
});
