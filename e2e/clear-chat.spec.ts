// "Clear chat", from the header's menu: asked first, then the messages go from every device of
// the person who cleared, and stay with the others in the chat.

import type { Page } from '@playwright/test';
import {
  bodies,
  chooseFromHeaderMenu,
  expect,
  openChat,
  sendMessage,
  startChatWith,
  test,
} from './fixtures';

const preview = (page: Page, title: string) =>
  page
    .getByTestId('conversation-item')
    .filter({ hasText: title })
    .getByTestId('conversation-item-preview');

test('clearing a chat empties it on all of one’s devices, after asking, and nobody else’s', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await startChatWith(alice, bob, 'hello');
  await sendMessage(bob.page, 'hi back');
  await expect(bodies(alice.page)).toHaveText(['hello', 'hi back']);
  // Alice's other tab holds the chat too, and follows live.
  const otherTab = await alice.openTab();
  await openChat(otherTab, bob.username);
  await expect(bodies(otherTab)).toHaveText(['hello', 'hi back']);

  // Asked first: Cancel keeps everything.
  await chooseFromHeaderMenu(alice.page, 'Clear chat');
  const dialog = alice.page.getByRole('dialog', { name: 'Clear this chat?' });
  await expect(dialog).toContainText('The others in the chat keep theirs.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(bodies(alice.page)).toHaveText(['hello', 'hi back']);

  await chooseFromHeaderMenu(alice.page, 'Clear chat');
  await dialog.getByRole('button', { name: 'Clear chat' }).click();
  await expect(dialog).toBeHidden();
  await expect(bodies(alice.page)).toHaveCount(0);
  await expect(preview(alice.page, bob.username)).toHaveText('No messages yet');
  await expect(bodies(otherTab)).toHaveCount(0);
  await expect(preview(otherTab, bob.username)).toHaveText('No messages yet');
  // Nothing left to clear: the menu no longer offers it.
  await alice.page.getByRole('button', { name: 'More options' }).click();
  await expect(alice.page.getByTestId('header-menu')).toBeVisible();
  await expect(alice.page.getByRole('menuitem', { name: 'Clear chat' })).toHaveCount(0);
  await alice.page.keyboard.press('Escape');

  // Bob keeps his.
  await expect(bodies(bob.page)).toHaveText(['hello', 'hi back']);

  // Kept so on the device and on the server: a reload shows it empty still.
  await alice.page.reload();
  await openChat(alice.page, bob.username);
  await expect(alice.page.getByText('This is the beginning of the conversation.')).toBeVisible();
  await expect(bodies(alice.page)).toHaveCount(0);

  // What comes after shows as ever.
  await sendMessage(bob.page, 'after');
  await expect(bodies(alice.page)).toHaveText(['after']);
  await expect(bodies(otherTab)).toHaveText(['after']);
  await expect(preview(alice.page, bob.username)).toHaveText('after');
});
