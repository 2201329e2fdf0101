// People in the browser: alice gives herself a name, and bob's open screens show it at once
// (the chat list, the conversation's header, her messages in a group); bob finds carol by part
// of her name and starts a chat from the suggestion; blocking and unblocking.

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { call, connect, signUp } from '../test/helpers/client';
import {
  bodies,
  chooseFromHeaderMenu,
  expect,
  openSettings,
  openChat,
  sendMessage,
  startChatWith,
  test,
} from './fixtures';

test('a new name shows live on the other person’s screens, and people are found by name', async ({
  actor,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const carol = await signUp(server.url, 'carol');

  // Alice and bob share a direct chat and a group, set up over a socket of alice's.
  const { socket } = await connect(
    server.url,
    { cookie: await cookieOf(alice.page) },
    {
      origin: server.url,
    },
  );
  try {
    const direct = await call(socket, 'conversation:start', { username: bob.username });
    if (!direct.ok) throw new Error(direct.message);
    await call(socket, 'message:send', {
      conversationId: direct.conversation.id,
      clientMsgId: randomUUID(),
      body: 'hi bob',
    });
    const group = await call(socket, 'group:create', {
      title: 'Book club',
      usernames: [bob.username],
      clientRequestId: randomUUID(),
    });
    if (!group.ok) throw new Error(group.message);
    await call(socket, 'message:send', {
      conversationId: group.conversation.id,
      clientMsgId: randomUUID(),
      body: 'who reads next?',
    });
  } finally {
    socket.close();
  }

  await openChat(bob.page, 'Book club');
  await expect(bob.page.getByTestId('message-sender')).toHaveText([alice.username]);
  await expect(
    bob.page.getByTestId('conversation-item-title').filter({ hasText: alice.username }),
  ).toHaveCount(1);

  // Alice names herself.
  await alice.page.getByRole('button', { name: 'Your profile' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'Your profile' });
  await dialog.getByLabel('Name').fill('Аня Smith\u202e');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('A name cannot contain invisible characters.');
  await dialog.getByLabel('Name').fill('Аня Smith');
  await dialog.getByLabel('About').fill('Reading, mostly');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByTestId('profile-saved')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Bob's screens follow at once: the group's sender label and the list's direct chat.
  await expect(bob.page.getByTestId('message-sender')).toHaveText(['Аня Smith']);
  await expect(
    bob.page.getByTestId('conversation-item-title').filter({ hasText: 'Аня Smith' }),
  ).toHaveCount(1);
  await bob.page.reload();
  await expect(
    bob.page.getByTestId('conversation-item-title').filter({ hasText: 'Аня Smith' }),
  ).toHaveCount(1);

  // Bob finds carol by the start of her username, and starts a chat from the suggestion.
  await bob.page.getByLabel('Start a chat with (username)').fill(carol.user.username.slice(0, 6));
  const found = bob.page.getByRole('list', { name: 'People found' });
  await found.getByRole('button', { name: `Start a chat with ${carol.user.username}` }).click();
  await expect(bob.page.getByTestId('conversation-title')).toHaveText(carol.user.username);

  // A new group's members are picked the same way.
  await bob.page.getByRole('button', { name: 'New group' }).click();
  const form = bob.page.getByRole('form', { name: 'New group' });
  await form.getByLabel('Members (usernames)').fill(carol.user.username.slice(0, 6));
  await form.getByRole('button', { name: `Add ${carol.user.username}` }).click();
  await expect(form.getByLabel('Members (usernames)')).toHaveValue(`${carol.user.username}, `);
});

async function cookieOf(page: import('@playwright/test').Page): Promise<string> {
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === 'parley_session');
  if (!session) throw new Error('no session cookie');
  return `${session.name}=${session.value}`;
}

test('blocking from the chat stops the other’s messages visibly, and unblocking from privacy undoes it', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await startChatWith(alice, bob, 'hi bob');
  await expect(bodies(bob.page)).toHaveText(['hi bob']);

  await chooseFromHeaderMenu(alice.page, 'Block');
  const confirm = alice.page.getByRole('dialog', { name: `Block ${bob.username}?` });
  await confirm.getByRole('button', { name: 'Block' }).click();
  await expect(alice.page.getByTestId('blocked-bar')).toContainText(`You blocked ${bob.username}.`);
  await expect(alice.page.getByLabel('Message', { exact: true })).toHaveCount(0);

  // Bob's message is refused, visibly, and never reaches alice.
  await sendMessage(bob.page, 'are you there?');
  await expect(
    bob.page.getByRole('alert').filter({ hasText: 'You cannot send messages to this person.' }),
  ).toBeVisible();
  await expect(bodies(alice.page)).toHaveText(['hi bob']);

  // Unblocked from the privacy settings, the chat works again.
  await openSettings(alice.page);
  await alice.page.getByRole('button', { name: 'Privacy' }).click();
  const privacy = alice.page.getByRole('dialog', { name: 'Privacy' });
  await expect(privacy.getByTestId('blocked-people')).toContainText(bob.username);
  await privacy.getByRole('button', { name: `Unblock ${bob.username}` }).click();
  await expect(privacy.getByTestId('blocked-people')).not.toContainText(bob.username);
  await privacy.getByRole('button', { name: 'Close' }).click();
  await expect(alice.page.getByTestId('blocked-bar')).toHaveCount(0);
  await sendMessage(alice.page, 'sorry, back');
  await expect(bodies(bob.page)).toContainText(['sorry, back']);
});

test('“Download my data” saves a JSON file of the account and the messages sent', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await startChatWith(alice, bob, 'a message to keep');
  await alice.page.getByRole('button', { name: 'Your profile' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'Your profile' });
  const [download] = await Promise.all([
    alice.page.waitForEvent('download'),
    dialog.getByRole('link', { name: 'Download my data' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^parley-${alice.username}-.*\\.json$`));
  const saved = JSON.parse(await readFile(await download.path(), 'utf8')) as {
    account: { username: string };
    conversations: { messagesSent: { text: string }[] }[];
  };
  expect(saved.account.username).toBe(alice.username);
  expect(saved.conversations.flatMap((item) => item.messagesSent.map((sent) => sent.text))).toEqual(
    ['a message to keep'],
  );
});
