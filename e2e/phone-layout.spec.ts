// Every screen on one of the narrowest phones in use (360 px), filled with the longest content
// the server accepts (names, titles, a description, a URL, a message that is one word of the
// maximum length, a report's note), and none of it scrolls sideways.

import { randomUUID } from 'node:crypto';
import { devices, type Page } from '@playwright/test';
import {
  ABOUT_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  GROUP_DESCRIPTION_MAX_LENGTH,
  GROUP_TITLE_MAX_LENGTH,
  MESSAGE_MAX_CODE_POINTS,
  REPORT_NOTE_MAX_LENGTH,
} from '../protocol';
import {
  call,
  connect,
  cookieFrom,
  PASSWORD,
  postJson,
  signUp,
  uniqueName,
  type TestSocket,
} from '../test/helpers/client';
import { makeDataDir, seedAdmin } from '../test/helpers/database';
import { startProcessServer } from '../test/helpers/process-server';
import {
  chooseFromHeaderMenu,
  expect,
  newContext,
  openMessageMenuByKeyboard,
  openSettings,
  sendMessage,
  test,
} from './fixtures';

/** Galaxy S8: 360 px wide, a phone (isMobile) with touch. */
const narrowPhone = devices['Galaxy S8'];
const WIDTH = narrowPhone.viewport.width;

const LONG_URL = `https://example.com/${'a'.repeat(160)}`; // 180 characters
/** One word as long as a message may be. */
const WORD = 'w'.repeat(MESSAGE_MAX_CODE_POINTS);
/** As long too, with a word first that a search finds (PostgreSQL leaves very long words out). */
const FOUND_WORD = `kiwi ${'k'.repeat(MESSAGE_MAX_CODE_POINTS - 5)}`;
const unbroken = (first: string, length: number) => first + 'x'.repeat(length - 1);

/** The blocks every screen is made of, which must lie within the screen. */
const BLOCKS = [
  'main',
  'header',
  'aside',
  'section',
  'form',
  'dialog[open]',
  '[role="dialog"]',
  '[role="menu"]',
  '[role="tablist"]',
  '[role="tabpanel"]',
  '[data-testid="message"]',
  '[data-testid="conversation-item"]',
  '[data-testid="search-result"]',
  '[data-testid="member"]',
  '[data-testid="report"]',
].join(', ');

/**
 * Nothing scrolls sideways: not the page (on a phone the browser widens the layout viewport to
 * the widest content, so only the document's scroll width tells), not any region of it, and no
 * block of the screen reaches past its edges.
 */
async function expectNoSidewaysScroll(page: Page, screen: string): Promise<void> {
  const found = await page.evaluate(
    ({ width, blocks }) => {
      const problems: string[] = [];
      const root = document.documentElement;
      if (root.scrollWidth > width) problems.push(`the page is ${root.scrollWidth} px wide`);
      const name = (element: Element) =>
        element.getAttribute('data-testid') ??
        element.getAttribute('aria-label') ??
        `<${element.tagName.toLowerCase()} class="${element.className}">`;
      for (const element of document.body.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const { overflowX } = getComputedStyle(element);
        const canScroll = overflowX === 'auto' || overflowX === 'scroll';
        if (canScroll && element.scrollWidth > element.clientWidth + 1) {
          // Named with what sticks out of it (or out of its own box), innermost first.
          const edge = box.left + element.clientWidth;
          const wide = [...element.querySelectorAll('*')]
            .filter(
              (inner) =>
                inner.getBoundingClientRect().right > edge + 1 ||
                inner.scrollWidth > inner.clientWidth + 1,
            )
            .reverse()
            .slice(0, 3)
            .map(name);
          problems.push(
            `${name(element)} scrolls sideways (${element.scrollWidth} px): ${wide.join(', ')}`,
          );
        }
        if (element.matches(blocks) && (box.left < -1 || box.right > width + 1))
          problems.push(
            `${name(element)} spans ${Math.round(box.left)} to ${Math.round(box.right)}`,
          );
      }
      return problems;
    },
    { width: WIDTH, blocks: BLOCKS },
  );
  expect(found, screen).toEqual([]);
}

/** What a socket call answered, when it must have succeeded. */
function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result as Extract<T, { ok: true }>;
}

async function send(socket: TestSocket, conversationId: string, body: string) {
  return ok(await call(socket, 'message:send', { conversationId, clientMsgId: randomUUID(), body }))
    .message;
}

test('no screen scrolls sideways on a 360 px phone, whatever its content', async ({ browser }) => {
  // A server of its own, with an admin seeded before it starts: the admin pages are screens too.
  test.setTimeout(180_000);
  const dataDir = makeDataDir();
  const rootName = uniqueName('root');
  await seedAdmin({ dataDir }, rootName, PASSWORD);
  const server = await startProcessServer({ dataDir });
  const context = await newContext(browser, server.url, narrowPhone);
  const sockets: TestSocket[] = [];
  try {
    const page = await context.newPage();
    await page.goto('/sign-in');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expectNoSidewaysScroll(page, 'sign-in');
    await page.goto('/sign-up');
    await expect(page.getByRole('button', { name: 'Sign up' })).toBeVisible();
    await expectNoSidewaysScroll(page, 'sign-up');

    // Bob has the longest name and "about" line there are, without a space to break them at;
    // his group the longest title and description; his messages the longest texts.
    const bob = await signUp(server.url, 'bob');
    const carol = await signUp(server.url, 'carol');
    const bobSocket = (await connect(server.url, bob, { origin: server.url })).socket;
    const carolSocket = (await connect(server.url, carol, { origin: server.url })).socket;
    sockets.push(bobSocket, carolSocket);
    ok(
      await call(bobSocket, 'profile:update', {
        displayName: unbroken('B', DISPLAY_NAME_MAX_LENGTH),
        about: unbroken('A', ABOUT_MAX_LENGTH),
      }),
    );
    // The admin's own messages to bob: none unread, so the chat opens at the latest.
    const rootSignIn = await postJson(
      server.url,
      '/api/auth/sign-in',
      { username: rootName, password: PASSWORD },
      { origin: server.url },
    );
    const rootSocket = (
      await connect(
        server.url,
        { cookie: cookieFrom(rootSignIn.setCookie) },
        { origin: server.url },
      )
    ).socket;
    sockets.push(rootSocket);
    const direct = ok(
      await call(rootSocket, 'conversation:start', { username: bob.user.username }),
    );
    for (const body of [FOUND_WORD, WORD, LONG_URL])
      await send(rootSocket, direct.conversation.id, body);
    const groupTitle = unbroken('G', GROUP_TITLE_MAX_LENGTH);
    const group = ok(
      await call(bobSocket, 'group:create', {
        title: groupTitle,
        usernames: [rootName, carol.user.username],
        clientRequestId: randomUUID(),
      }),
    ).conversation;
    ok(
      await call(bobSocket, 'group:update', {
        conversationId: group.id,
        description: unbroken('D', GROUP_DESCRIPTION_MAX_LENGTH),
      }),
    );
    const reported = await send(bobSocket, group.id, WORD);
    await send(bobSocket, group.id, 'Tent?');
    ok(
      await call(carolSocket, 'report:create', {
        conversationId: group.id,
        seq: reported.seq,
        note: unbroken('N', REPORT_NOTE_MAX_LENGTH),
      }),
    );

    await page.goto('/sign-in');
    await page.getByLabel('Username').fill(rootName);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('conversation-item')).toHaveCount(2);
    await expectNoSidewaysScroll(page, 'chat list');

    await page.getByTestId('list-search').fill('kiwi');
    await expect(page.getByTestId('search-result')).toHaveCount(1);
    await expectNoSidewaysScroll(page, 'search results');
    await page.getByTestId('list-search').fill('');

    await page.getByLabel('Start a chat with (username)').fill(bob.user.username.slice(0, 4));
    await expect(page.getByTestId('people-found').getByRole('button')).toHaveCount(1);
    await expectNoSidewaysScroll(page, 'people suggestions');
    await page.getByLabel('Start a chat with (username)').fill('');
    await page.getByRole('button', { name: 'New group' }).click();
    await expect(page.getByRole('form', { name: 'New group' })).toBeVisible();
    await expectNoSidewaysScroll(page, 'new group');
    await page.getByRole('button', { name: 'New group' }).click();

    // The direct chat: the longest message, folded then unfolded, and the URL under it (the
    // list renders the messages near the view only).
    const bobName = unbroken('B', DISPLAY_NAME_MAX_LENGTH);
    await page.getByTestId('conversation-item').filter({ hasText: bobName }).click();
    await expect(page.getByTestId('conversation-title')).toHaveText(bobName);
    await expect(page.getByTestId('message-body').getByRole('link')).toHaveAttribute(
      'href',
      LONG_URL,
    );
    const longest = page.getByTestId('message').filter({ hasText: 'w'.repeat(100) });
    await expect(longest.getByTestId('message-read-more')).toBeVisible();
    await expectNoSidewaysScroll(page, 'direct chat');
    await longest.getByRole('button', { name: 'Read more' }).click();
    await expect(longest.getByTestId('message-read-more')).toHaveCount(0);
    await expectNoSidewaysScroll(page, 'direct chat, the longest message unfolded');

    // Its menu (as the keyboard opens it; a long press opens the same), and a reply quoting it.
    const menu = await openMessageMenuByKeyboard(page, longest);
    await expectNoSidewaysScroll(page, 'message menu');
    await menu.getByRole('menuitem', { name: 'Reply' }).click();
    await expect(page.getByTestId('reply-bar')).toBeVisible();
    await expectNoSidewaysScroll(page, 'replying');
    await sendMessage(page, 'Re');
    await expect(page.getByTestId('message').last().getByTestId('message-quote')).toBeVisible();
    await expectNoSidewaysScroll(page, 'a reply quoting the longest message');

    await page.getByRole('button', { name: 'Search in chat' }).click();
    await page.getByTestId('chat-search').fill('kiwi');
    const chatSearch = page.getByRole('complementary', { name: 'Search in chat' });
    await expect(chatSearch.getByTestId('search-result')).toHaveCount(1);
    await expectNoSidewaysScroll(page, 'search in chat');
    await chatSearch.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'More options' }).click();
    await expect(page.getByTestId('header-menu')).toBeVisible();
    await expectNoSidewaysScroll(page, 'header menu');
    await page.keyboard.press('Escape');

    // The group: the longest title, sender name and description, and one's message's info.
    await page.getByRole('link', { name: 'Back to chats' }).click();
    await page.getByTestId('conversation-item').filter({ hasText: groupTitle }).click();
    await expect(page.getByTestId('conversation-title')).toHaveText(groupTitle);
    // It opens at its unread messages, the longest word first; bob's question is at the end.
    await expect(page.getByTestId('unread-divider')).toBeInViewport();
    await page.getByTestId('jump-to-latest').click();
    // A reply to bob: its quote has his name.
    await openMessageMenuByKeyboard(page, page.getByTestId('message').filter({ hasText: 'Tent?' }));
    await menu.getByRole('menuitem', { name: 'Reply' }).click();
    await sendMessage(page, 'Mine');
    await expect(page.getByTestId('message').last().getByTestId('message-quote')).toBeVisible();
    await expectNoSidewaysScroll(page, 'group chat');
    const mine = page.getByTestId('message').last();
    await openMessageMenuByKeyboard(page, mine);
    await menu.getByRole('menuitem', { name: 'Message info' }).click();
    await expect(page.getByTestId('message-info')).toBeVisible();
    await expectNoSidewaysScroll(page, 'message info');
    await page.keyboard.press('Escape');
    // On a phone group info is in the header's menu: the title keeps the room.
    await expect(page.getByRole('button', { name: 'Group info' })).toBeHidden();
    await chooseFromHeaderMenu(page, 'Group info');
    await expect(page.getByTestId('member')).toHaveCount(3);
    await expectNoSidewaysScroll(page, 'group info');

    await page.goto('/chats');
    await openSettings(page);
    await expectNoSidewaysScroll(page, 'settings');
    await page.getByRole('button', { name: 'Close settings' }).click();
    await page.getByRole('button', { name: 'Your profile' }).click();
    await expect(page.getByRole('dialog', { name: 'Your profile' })).toBeVisible();
    await expectNoSidewaysScroll(page, 'profile');
    await page.keyboard.press('Escape');

    await page.goto('/admin');
    await expect(page.getByTestId('stat-users')).toHaveText('3');
    await expectNoSidewaysScroll(page, 'admin overview');
    await page.getByRole('tab', { name: 'Users' }).click();
    await expect(page.getByTestId('admin-user')).toHaveCount(3);
    await expectNoSidewaysScroll(page, 'admin users');
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByLabel('Maximum group size')).toHaveValue('256');
    await expectNoSidewaysScroll(page, 'admin settings');
    await page.getByRole('tab', { name: 'Reports' }).click();
    await expect(page.getByTestId('report')).toHaveCount(1);
    await expectNoSidewaysScroll(page, 'admin reports');
  } finally {
    for (const socket of sockets) socket.close();
    await context.close();
    await server.stop();
  }
});
