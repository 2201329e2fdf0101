// Acting on messages in the browser: reply, edit, delete and react, live on both sides, and on a
// device that was offline meanwhile; a quote that jumps to an original not loaded yet.

import { randomUUID } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { call, connect, signUp } from '../test/helpers/client';
import {
  bodies,
  expect,
  messages,
  openChat,
  sendMessage,
  sendOverSocket,
  signInOnNewDevice,
  startChat,
  startChatWith,
  test,
} from './fixtures';

/** The message whose text is exactly `text`. */
function message(page: Page, text: string): Locator {
  return messages(page).filter({
    has: page.getByTestId('message-body').getByText(text, { exact: true }),
  });
}

/** Opens the action menu of a message with its hover button and picks `item`. */
async function act(page: Page, target: Locator, item: string): Promise<void> {
  await target.hover();
  await target.getByRole('button', { name: 'Message actions' }).click();
  const menu = page.getByRole('menu', { name: 'Message actions' });
  await menu.getByRole('menuitem', { name: item, exact: true }).click();
}

async function react(page: Page, target: Locator, emoji: string): Promise<void> {
  await target.hover();
  await target.getByRole('button', { name: 'Message actions' }).click();
  await page
    .getByRole('menu', { name: 'Message actions' })
    .getByRole('menuitemcheckbox', { name: `React with ${emoji}` })
    .click();
}

/** What a device shows of the conversation, message by message, top to bottom. */
async function expectConversation(page: Page): Promise<void> {
  await expect(messages(page)).toHaveCount(4);
  const [first, reply, deleted, last] = [0, 1, 2, 3].map((index) => messages(page).nth(index));
  await expect(first!.getByTestId('message-body')).toHaveText('first, edited');
  await expect(first!.getByTestId('message-edited')).toBeVisible();
  await expect(first!.getByTestId('reaction-chip')).toHaveAttribute('data-emoji', '👍');
  await expect(reply!.getByTestId('message-body')).toHaveText('a reply');
  await expect(reply!.getByTestId('message-quote-text')).toHaveText('first, edited');
  await expect(reply!.getByTestId('reaction-chip')).toHaveAttribute('data-emoji', '❤️');
  await expect(deleted!.getByTestId('message-deleted')).toHaveText('This message was deleted');
  await expect(deleted!.getByTestId('message-body')).toHaveCount(0);
  await expect(last!.getByTestId('message-body')).toHaveText('the end');
}

test('alice and bob reply, edit, delete and react live; bob’s offline phone shows it all when back', async ({
  actor,
  browser,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const bobPhone = await signInOnNewDevice(browser, server.url, bob.username, {
    serviceWorker: true,
  });
  try {
    await startChatWith(alice, bob, 'first');
    await openChat(bobPhone.page, alice.username);
    await expect(bodies(bobPhone.page)).toHaveText(['first']);
    await bobPhone.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await bobPhone.context.setOffline(true);
    await expect(bobPhone.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');

    // Bob replies to the first message: the quote shows its sender and text on both sides.
    await act(bob.page, message(bob.page, 'first'), 'Reply');
    await expect(bob.page.getByTestId('reply-bar')).toContainText('first');
    await sendMessage(bob.page, 'a reply');
    const quote = message(alice.page, 'a reply').getByTestId('message-quote');
    await expect(quote.getByTestId('message-quote-sender')).toHaveText('You');
    await expect(quote.getByTestId('message-quote-text')).toHaveText('first');
    await expect(bob.page.getByTestId('reply-bar')).toHaveCount(0);

    // Alice edits it: bob sees the new text, marked edited, and so does his quote of it.
    await act(alice.page, message(alice.page, 'first'), 'Edit');
    const composer = alice.page.getByLabel('Message', { exact: true });
    await expect(composer).toHaveValue('first');
    await composer.fill('first, edited');
    await composer.press('Enter');
    await expect(message(bob.page, 'first, edited').getByTestId('message-edited')).toHaveText(
      'edited',
    );
    await expect(message(bob.page, 'a reply').getByTestId('message-quote-text')).toHaveText(
      'first, edited',
    );

    // Alice deletes a message for everyone: its text goes from bob's screen and list.
    await sendMessage(alice.page, 'a mistake');
    await expect(message(bob.page, 'a mistake')).toHaveCount(1);
    await act(alice.page, message(alice.page, 'a mistake'), 'Delete');
    const dialog = alice.page.getByTestId('delete-dialog');
    await dialog.getByRole('button', { name: 'Delete for everyone' }).click();
    await expect(bob.page.getByTestId('message-deleted')).toHaveText('This message was deleted');
    await expect(bob.page.getByText('a mistake')).toHaveCount(0);
    await expect(alice.page.getByText('a mistake')).toHaveCount(0);

    // Reactions, both ways, live.
    await react(bob.page, message(bob.page, 'first, edited'), '👍');
    const thumbs = message(alice.page, 'first, edited').getByTestId('reaction-chip');
    await expect(thumbs).toHaveAttribute('data-emoji', '👍');
    await expect(thumbs).toHaveAttribute('data-count', '1');
    await react(alice.page, message(alice.page, 'a reply'), '❤️');
    await expect(message(bob.page, 'a reply').getByTestId('reaction-chip')).toHaveAttribute(
      'data-emoji',
      '❤️',
    );
    await sendMessage(alice.page, 'the end');

    await expectConversation(alice.page);
    await expectConversation(bob.page);
    // The phone was offline through all of it: back online, it shows the same, in order.
    await expect(bodies(bobPhone.page)).toHaveText(['first']);
    await bobPhone.context.setOffline(false);
    await expectConversation(bobPhone.page);
  } finally {
    await bobPhone.context.close();
  }
});

test('a reaction the server refuses says why under the message', async ({ actor, server }) => {
  // The push of bob's deletion is lost on its way to alice's page, which still shows the
  // message as it was (a push is only a hint: her next sync would bring the deletion).
  const alice = await actor('alice', {
    prepare: (context) =>
      context.routeWebSocket(/\/socket\.io\//, (route) => {
        const toServer = route.connectToServer();
        toServer.onMessage((frame) => {
          if (typeof frame !== 'string' || !frame.startsWith('42["message:changed"')) {
            route.send(frame);
          }
        });
      }),
  });
  // Bob needs no page: he acts over a socket of his own.
  const bob = await signUp(server.url, 'bob');
  const { socket } = await connect(server.url, bob, { origin: server.url });
  try {
    const started = await call(socket, 'conversation:start', { username: alice.username });
    if (!started.ok) throw new Error(started.message);
    const { id: conversationId } = started.conversation;
    const sent = await call(socket, 'message:send', {
      conversationId,
      clientMsgId: randomUUID(),
      body: 'react to this',
    });
    if (!sent.ok) throw new Error(sent.message);
    await openChat(alice.page, bob.user.username);
    const target = message(alice.page, 'react to this');
    await expect(target).toBeVisible();

    const deleted = await call(socket, 'message:delete', {
      conversationId,
      seq: sent.message.seq,
      for: 'everyone',
    });
    expect(deleted.ok).toBe(true);
    await react(alice.page, target, '👍');
    const error = alice.page.getByTestId('reaction-error');
    await expect(error).toHaveText(/This message was deleted\./);
    await expect(alice.page.getByRole('alert').filter({ hasText: 'deleted' })).toBeVisible();
    await error.getByRole('button', { name: 'Dismiss' }).click();
    await expect(error).toHaveCount(0);
  } finally {
    socket.close();
  }
});

test('a reply’s quote jumps to an original that is not on the device yet', async ({
  browser,
  server,
}) => {
  const alice = await signUp(server.url, 'alice');
  const bobAccount = await signUp(server.url, 'bob'); // he comes back later on a new device
  const bob = bobAccount.user;

  // Sixty messages from alice's account over its own socket (typing them would take a minute),
  // the last a reply to the first.
  await sendOverSocket(
    server.url,
    alice,
    bob.username,
    Array.from({ length: 60 }, (_, index) =>
      index === 59
        ? { body: 'answering the very first', replyToSeq: 1 }
        : { body: `message ${index + 1}` },
    ),
  );

  // Read on another device of his: the chat opens at the newest message, not the first unread.
  const { socket } = await connect(server.url, bobAccount, { origin: server.url });
  const chat = await call(socket, 'conversation:start', { username: alice.user.username });
  if (!chat.ok) throw new Error(chat.message);
  await call(socket, 'conversation:mark-read', { conversationId: chat.conversation.id, seq: 60 });
  socket.close();

  const device = await signInOnNewDevice(browser, server.url, bob.username);
  try {
    await startChat(device.page, alice.user.username);
    const reply = message(device.page, 'answering the very first');
    await expect(reply).toBeVisible();
    await expect(message(device.page, 'message 1')).toHaveCount(0);
    await expect(reply.getByTestId('message-quote-text')).toHaveText('message 1');

    await reply.getByTestId('message-quote').click();
    const original = message(device.page, 'message 1');
    await expect(original).toBeInViewport();
    await expect(original).toHaveAttribute('data-highlighted', 'true');
  } finally {
    await device.context.close();
  }
});

test('alice forwards two of bob’s messages to carol, who sees them marked forwarded', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const carol = await actor('carol');
  await startChatWith(bob, alice, 'the meeting moved to 3 pm');
  await sendMessage(bob.page, 'room 4B');
  await startChat(alice.page, carol.username);
  await sendMessage(alice.page, 'hi carol');
  await openChat(alice.page, bob.username);
  await expect(bodies(alice.page)).toHaveText(['the meeting moved to 3 pm', 'room 4B']);

  // "Select" chooses the first; a tick adds the second; the bar forwards both.
  await act(alice.page, message(alice.page, 'the meeting moved to 3 pm'), 'Select');
  const bar = alice.page.getByRole('toolbar', { name: 'Selected messages' });
  await expect(bar.getByTestId('selected-count')).toHaveText('1 selected');
  await alice.page.getByRole('checkbox', { name: 'Select: room 4B' }).check();
  await expect(bar.getByTestId('selected-count')).toHaveText('2 selected');
  await bar.getByRole('button', { name: 'Forward' }).click();
  const dialog = alice.page.getByTestId('forward-dialog');
  await dialog.getByRole('checkbox', { name: carol.username }).check();
  await dialog.getByRole('button', { name: 'Forward' }).click();
  await expect(dialog).toBeHidden();
  await expect(bar).toHaveCount(0);

  await openChat(carol.page, alice.username);
  await expect(bodies(carol.page)).toHaveText(['hi carol', 'the meeting moved to 3 pm', 'room 4B']);
  for (const text of ['the meeting moved to 3 pm', 'room 4B']) {
    await expect(message(carol.page, text).getByTestId('message-forwarded')).toContainText(
      'Forwarded',
    );
    // The original stays as it was, in its own conversation.
    await expect(message(alice.page, text).getByTestId('message-forwarded')).toHaveCount(0);
  }
});
