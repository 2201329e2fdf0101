// What a new user trips over: rules said before they are broken, errors in plain words, the
// state of the connection on a phone, muted conversations and the unread count at a glance,
// and drafts kept per conversation.

import { devices, type Page } from '@playwright/test';
import { PASSWORD_RULE, USERNAME_RULE } from '../protocol';
import { signUp, uniqueName, type Account } from '../test/helpers/client';
import {
  bodies,
  chooseFromHeaderMenu,
  createActor,
  createGroup,
  expect,
  messages,
  openChat,
  sendOverSocket,
  startChat,
  test,
} from './fixtures';

const composer = (page: Page) => page.getByLabel('Message', { exact: true });
const item = (page: Page, title: string) =>
  page.getByTestId('conversation-item').filter({ hasText: title });

test('sign-up states the username and password rules up front, and errors name no field', async ({
  page,
}) => {
  await page.goto('/sign-up');
  await expect(page.getByText(USERNAME_RULE)).toBeVisible();
  await expect(page.getByText(PASSWORD_RULE)).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveAccessibleDescription(USERNAME_RULE);
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(PASSWORD_RULE);

  await page.getByLabel('Username').fill(uniqueName('new'));
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    'Password must be at least 8 characters.',
  );
});

test('the tab title and icon count unread messages, and a muted conversation is marked and not counted', async ({
  actor,
  server,
}) => {
  // Only alice's screen is looked at: bob and carol write over sockets of their own.
  const alice = await actor('alice');
  const bob = await signUp(server.url, 'bob');
  const say = (from: Account, ...texts: string[]) =>
    sendOverSocket(
      server.url,
      from,
      alice.username,
      texts.map((body) => ({ body })),
    );
  await expect(alice.page).toHaveTitle('Chats · Parley');

  await say(bob, 'one', 'two', 'three');
  await expect(item(alice.page, bob.user.username).getByTestId('unread-count')).toHaveText('3');
  await expect(alice.page).toHaveTitle('(3) Chats · Parley');
  // The tab's icon carries the count too: drawn over the app's icon.
  const icon = alice.page.locator('link[rel~="icon"]').first();
  await expect(icon).toHaveAttribute('href', /^data:image\/png;base64,/);
  await expect(item(alice.page, bob.user.username).getByRole('img', { name: 'Muted' })).toHaveCount(
    0,
  );

  // Reading clears it; a navigation keeps the title right.
  await openChat(alice.page, bob.user.username);
  await expect(alice.page).toHaveTitle('Chats · Parley');
  await expect(icon).toHaveAttribute('href', '/icons/icon-192.png');
  await chooseFromHeaderMenu(alice.page, 'Mute notifications');
  await alice.page.getByRole('button', { name: 'More options' }).click();
  await expect(alice.page.getByRole('menuitem', { name: 'Unmute notifications' })).toBeVisible();
  await alice.page.keyboard.press('Escape');
  await expect(
    item(alice.page, bob.user.username).getByRole('img', { name: 'Muted' }),
  ).toBeVisible();

  // Another chat counts; the muted one is marked and counts for nothing.
  const carol = await signUp(server.url, 'carol');
  await say(carol, 'hello from carol');
  await startChat(alice.page, carol.user.username);
  // Read before she leaves: shown, and marked read (the list's count goes as the mark is sent).
  await expect(bodies(alice.page)).toHaveText(['hello from carol']);
  await expect(item(alice.page, carol.user.username).getByTestId('unread-count')).toHaveCount(0);
  await alice.page.goto('/chats');
  // A whole page load: on a machine running other browsers it can take longer than one check.
  await expect(alice.page.getByTestId('me')).toBeVisible({ timeout: 30_000 });
  await say(bob, 'four');
  await expect(item(alice.page, bob.user.username).getByTestId('unread-count')).toHaveText('1');
  await expect(item(alice.page, carol.user.username).getByTestId('unread-count')).toHaveCount(0);
  await say(carol, 'and again');
  await expect(item(alice.page, carol.user.username).getByTestId('unread-count')).toHaveText('1');
  await expect(alice.page).toHaveTitle('(1) Chats · Parley');
  await expect(
    item(alice.page, bob.user.username).getByRole('img', { name: 'Muted' }),
  ).toBeVisible();
  await expect(
    item(alice.page, carol.user.username).getByRole('img', { name: 'Muted' }),
  ).toHaveCount(0);
});

test('the chips above the list show every chat, the unread ones or the groups', async ({
  actor,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await signUp(server.url, 'bob');
  const carol = await signUp(server.url, 'carol');
  await createGroup(alice.page, 'Book club', [carol.user.username]);
  await sendOverSocket(server.url, bob, alice.username, [{ body: 'unread news' }]);
  await expect(item(alice.page, bob.user.username).getByTestId('unread-count')).toHaveText('1');
  const titles = alice.page.getByTestId('conversation-item-title');
  const chips = alice.page.getByRole('group', { name: 'Show chats' });
  await expect(titles).toHaveText([bob.user.username, 'Book club']);

  await chips.getByRole('button', { name: 'Unread' }).click();
  await expect(chips.getByRole('button', { name: 'Unread' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  // Bob's chat is the unread one; the open group stays in view only while it is open.
  await expect(titles).toHaveText([bob.user.username, 'Book club']);
  await openChat(alice.page, bob.user.username);
  await expect(titles).toHaveText([bob.user.username]);
  await chips.getByRole('button', { name: 'Groups' }).click();
  await expect(titles).toHaveText(['Book club']);
  await chips.getByRole('button', { name: 'All' }).click();
  await expect(titles).toHaveText([bob.user.username, 'Book club']);
});

test('a chat opens with a divider above the messages that were unread', async ({
  actor,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await signUp(server.url, 'bob');
  await sendOverSocket(server.url, bob, alice.username, [{ body: 'first' }]);
  await openChat(alice.page, bob.user.username);
  await expect(alice.page.getByTestId('unread-divider')).toHaveText('1 unread message');
  await expect(item(alice.page, bob.user.username).getByTestId('unread-count')).toHaveCount(0);
  // Opened again with nothing unread: no divider.
  await alice.page.goto('/chats');
  await openChat(alice.page, bob.user.username);
  await expect(alice.page.getByTestId('message-body')).toHaveText(['first']);
  await expect(alice.page.getByTestId('unread-divider')).toHaveCount(0);
  await alice.page.goto('/chats');
  await expect(alice.page.getByTestId('me')).toBeVisible();
  await sendOverSocket(server.url, bob, alice.username, [{ body: 'one' }, { body: 'two' }]);
  await expect(item(alice.page, bob.user.username).getByTestId('unread-count')).toHaveText('2');
  await openChat(alice.page, bob.user.username);
  const divider = alice.page.getByTestId('unread-divider');
  await expect(divider).toHaveText('2 unread messages');
  // Right above the first of them, and it stays while the chat is open, read.
  const next = alice.page.locator('[data-testid="unread-divider"] + li');
  await expect(next.getByTestId('message-body')).toHaveText('one');
  await expect(item(alice.page, bob.user.username).getByTestId('unread-count')).toHaveCount(0);
  await expect(divider).toBeVisible();
});

test('on a phone, the open conversation shows when it is offline or connecting', async ({
  browser,
  server,
}) => {
  const phone = { contextOptions: devices['Pixel 7'] };
  const alice = await createActor(browser, server.url, 'alice', phone);
  const bob = (await signUp(server.url, 'bob')).user;
  try {
    await startChat(alice.page, bob.username);
    const status = alice.page.getByTestId('conversation-connection');
    await expect(status).toHaveAttribute('data-state', 'online');
    await expect(status).toHaveText('');

    await alice.context.setOffline(true);
    await expect(status).toBeVisible();
    await expect(status).toHaveText(/Offline|Connecting…/);
    await expect(status).not.toHaveAttribute('data-state', 'online');
    await expect(
      alice.page.getByRole('status').filter({ hasText: /Offline|Connecting/ }),
    ).toBeVisible();

    await alice.context.setOffline(false);
    await expect(status).toHaveAttribute('data-state', 'online', { timeout: 30_000 });
    await expect(status).toHaveText('');
  } finally {
    await alice.context.close();
  }
});

test('a draft stays with its conversation, across a reload, is shown in the list, and goes when sent', async ({
  actor,
  server,
}) => {
  // Only alice's screen is looked at: bob and carol write over sockets of their own.
  const alice = await actor('alice');
  const bob = await signUp(server.url, 'bob');
  const carol = await signUp(server.url, 'carol');
  await sendOverSocket(server.url, bob, alice.username, [{ body: 'hi alice' }]);
  await sendOverSocket(server.url, carol, alice.username, [{ body: 'hi from carol' }]);
  // Carol's chat comes in on top of bob's: bob's is clicked once it has moved (a row moving
  // between the press and the release of a click loses that click).
  await expect(alice.page.getByTestId('conversation-item')).toHaveCount(2);
  await expect(alice.page.getByTestId('conversation-item').first()).toContainText(
    carol.user.username,
  );

  await openChat(alice.page, bob.user.username);
  await composer(alice.page).fill('half a thought');
  await openChat(alice.page, carol.user.username);
  await expect(composer(alice.page)).toHaveValue('');
  await expect(
    item(alice.page, bob.user.username).getByTestId('conversation-item-preview'),
  ).toHaveText('Draft: half a thought');

  await openChat(alice.page, bob.user.username);
  await expect(composer(alice.page)).toHaveValue('half a thought');

  // Kept on the device: a reload brings it back, in the list and in the composer.
  await alice.page.goto('/chats');
  await expect(
    item(alice.page, bob.user.username).getByTestId('conversation-item-preview'),
  ).toHaveText('Draft: half a thought');
  await expect(
    item(alice.page, carol.user.username).getByTestId('conversation-item-preview'),
  ).not.toContainText('Draft:');
  await openChat(alice.page, bob.user.username);
  await expect(composer(alice.page)).toHaveValue('half a thought');

  await composer(alice.page).press('Enter');
  await expect(messages(alice.page).last()).toContainText('half a thought');
  await expect(composer(alice.page)).toHaveValue('');
  // Sent, bob's chat goes to the top of the list: carol's is clicked once it has moved (a row
  // moving between the press and the release of a click loses that click).
  await expect(
    item(alice.page, bob.user.username).getByTestId('conversation-item-preview'),
  ).toHaveText('You: half a thought');
  await expect(alice.page.getByTestId('conversation-item').first()).toContainText(
    bob.user.username,
  );
  await openChat(alice.page, carol.user.username);
  await expect(
    item(alice.page, bob.user.username).getByTestId('conversation-item-preview'),
  ).toHaveText('You: half a thought');
  await alice.page.reload();
  // Opening a chat is the device's own business: it waits for no answer from the server (a
  // click that landed while Next.js was still fetching the page's data used to be lost).
  await alice.page.route(/[?&]_rsc=/, () => {});
  await openChat(alice.page, bob.user.username);
  await expect(composer(alice.page)).toHaveValue('');
});
