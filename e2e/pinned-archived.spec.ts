// Pinned and archived chats, as in WhatsApp: a pinned chat stays on top with a pin; an archived
// one leaves the list for the Archived view, and a new message brings it back unless it is muted.

import type { Page } from '@playwright/test';
import { signUp, type Account } from '../test/helpers/client';
import { bodies, chooseFromHeaderMenu, expect, openChat, sendOverSocket, test } from './fixtures';

const item = (page: Page, title: string) =>
  page.getByTestId('conversation-item').filter({ hasText: title });
const titles = (page: Page) => page.getByTestId('conversation-item-title');

test('a pinned chat stays on top with a pin, whatever arrives elsewhere', async ({
  actor,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await signUp(server.url, 'bob');
  const carol = await signUp(server.url, 'carol');
  const say = (from: Account, body: string) =>
    sendOverSocket(server.url, from, alice.username, [{ body }]);

  await say(bob, 'from bob');
  await say(carol, 'from carol');
  await expect(titles(alice.page)).toHaveText([carol.user.username, bob.user.username]);
  await expect(alice.page.getByTestId('pinned-icon')).toHaveCount(0);
  // Another tab of alice's (a socket of its own) follows live.
  const otherTab = await alice.openTab();
  await expect(titles(otherTab)).toHaveText([carol.user.username, bob.user.username]);

  await openChat(alice.page, bob.user.username);
  await chooseFromHeaderMenu(alice.page, 'Pin chat');
  await expect(titles(alice.page)).toHaveText([bob.user.username, carol.user.username]);
  await expect(
    item(alice.page, bob.user.username).getByRole('img', { name: 'Pinned' }),
  ).toBeVisible();
  await expect(titles(otherTab)).toHaveText([bob.user.username, carol.user.username]);
  await expect(item(otherTab, bob.user.username).getByTestId('pinned-icon')).toBeVisible();

  // Carol's newer message does not move her above the pinned chat.
  await say(carol, 'newer');
  await expect(item(alice.page, carol.user.username).getByTestId('unread-count')).toHaveText('2');
  await expect(titles(alice.page)).toHaveText([bob.user.username, carol.user.username]);

  await chooseFromHeaderMenu(alice.page, 'Unpin chat');
  await expect(titles(alice.page)).toHaveText([carol.user.username, bob.user.username]);
  await expect(alice.page.getByTestId('pinned-icon')).toHaveCount(0);
});

test('an archived chat waits under Archived, comes back on a new message, and stays while muted', async ({
  actor,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await signUp(server.url, 'bob');
  const carol = await signUp(server.url, 'carol');
  const say = (from: Account, body: string) =>
    sendOverSocket(server.url, from, alice.username, [{ body }]);
  await say(carol, 'from carol');
  await say(bob, 'from bob');
  await expect(titles(alice.page)).toHaveText([bob.user.username, carol.user.username]);

  await openChat(alice.page, bob.user.username);
  await chooseFromHeaderMenu(alice.page, 'Archive chat');
  const archivedRow = alice.page.getByRole('button', { name: 'Archived (1)' });
  await expect(archivedRow).toBeVisible();
  await expect(titles(alice.page)).toHaveText([carol.user.username]);

  // The Archived view lists it, and leads back.
  await archivedRow.click();
  const archive = alice.page.getByTestId('archived-chats');
  await expect(archive.getByRole('heading', { name: 'Archived' })).toBeVisible();
  await expect(archive.getByTestId('conversation-item-title')).toHaveText([bob.user.username]);
  await archive.getByRole('button', { name: 'Back to all chats' }).click();
  await expect(titles(alice.page)).toHaveText([carol.user.username]);
  // The focus is back on the row that opened it; Escape goes back the same way.
  await expect(archivedRow).toBeFocused();
  await archivedRow.press('Enter');
  await expect(archive).toBeVisible();
  await alice.page.keyboard.press('Escape');
  await expect(archivedRow).toBeFocused();

  // Not muted: bob's next message brings it back to the list.
  await say(bob, 'are you there?');
  await expect(titles(alice.page)).toHaveText([bob.user.username, carol.user.username]);
  await expect(alice.page.getByTestId('archived-row')).toHaveCount(0);

  // Muted and archived: the message arrives (the chat is open), and the chat stays archived.
  await chooseFromHeaderMenu(alice.page, 'Mute notifications');
  await chooseFromHeaderMenu(alice.page, 'Archive chat');
  await expect(titles(alice.page)).toHaveText([carol.user.username]);
  await say(bob, 'still muted');
  await expect(bodies(alice.page).last()).toHaveText('still muted');
  await expect(titles(alice.page)).toHaveText([carol.user.username]);
  await expect(alice.page.getByRole('button', { name: 'Archived (1)' })).toBeVisible();

  // Taken out by hand, from its menu.
  await chooseFromHeaderMenu(alice.page, 'Unarchive chat');
  await expect(titles(alice.page)).toHaveText([bob.user.username, carol.user.username]);
});
