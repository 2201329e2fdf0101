import { PASSWORD, uniqueName } from '../test/helpers/client';
import { createGroup, expect, newContext, openChat, sendMessage, test } from './fixtures';

test('an admin shares an invite link, a newcomer signs up through it and joins, and only admins send', async ({
  actor,
  browser,
  baseURL,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await createGroup(alice.page, 'Book club', [bob.username]);

  await alice.page.getByRole('button', { name: 'Group info' }).click();
  const panel = alice.page.getByTestId('group-info');
  await panel.getByRole('button', { name: 'Create invite link' }).click();
  const url = await panel.getByTestId('invite-url').inputValue();
  expect(url).toMatch(/\/chats\?join=[A-Za-z0-9_-]{22}$/);
  await panel.getByLabel('Only admins can send messages').check();
  await expect(alice.page.getByTestId('system-message').last()).toHaveText(
    `${alice.username} allowed only admins to send messages`,
  );
  // Bob reads, and cannot write.
  await openChat(bob.page, 'Book club');
  await expect(bob.page.getByTestId('admins-only-bar')).toHaveText('Only admins can send messages');
  await expect(bob.page.getByLabel('Message', { exact: true })).toHaveCount(0);

  // Someone without an account follows the link: sign-in, then sign-up, then the invite.
  const context = await newContext(browser, baseURL!);
  const dana = await context.newPage();
  await dana.goto(new URL(url).pathname + new URL(url).search);
  await expect(dana).toHaveURL(/\/sign-in\?join=/);
  await dana.getByRole('link', { name: 'Create an account' }).click();
  await expect(dana).toHaveURL(/\/sign-up\?join=/);
  const danaName = uniqueName('dana');
  await dana.getByLabel('Username').fill(danaName);
  await dana.getByLabel('Password').fill(PASSWORD);
  await dana.getByRole('button', { name: 'Sign up' }).click();
  const invite = dana.getByTestId('join-group');
  await expect(invite.getByRole('heading')).toHaveText('Book club');
  await expect(invite).toContainText('2 members');
  await invite.getByRole('button', { name: 'Join group' }).click();
  await expect(dana.getByTestId('conversation-title')).toHaveText('Book club');
  await expect(dana).toHaveURL(/\/chats\?c=/);
  await expect(dana.getByTestId('admins-only-bar')).toBeVisible();
  await expect(alice.page.getByTestId('system-message').last()).toHaveText(
    `${danaName} joined using this group's invite link`,
  );

  // The admin still sends, and everyone gets it.
  await sendMessage(alice.page, 'First book: Dune');
  await expect(dana.getByTestId('message-body').last()).toHaveText('First book: Dune');

  // A reset link no longer opens the group.
  await panel.getByRole('button', { name: 'Reset link' }).click();
  await expect(panel.getByTestId('invite-url')).not.toHaveValue(url);
  await bob.page.goto(new URL(url).pathname + new URL(url).search);
  await expect(bob.page.getByTestId('join-group')).toContainText(
    'This invite link was reset or does not exist.',
  );
  await context.close();
});
