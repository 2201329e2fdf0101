// Searching in the browser: the list's search filters chats by name and finds messages with
// the words highlighted; a result opens its conversation at that message, loading the history
// around it; a conversation's own search does the same within it; and on a phone nothing of it
// scrolls sideways.

import type { Page } from '@playwright/test';
import { devices } from '@playwright/test';
import { signUp } from '../test/helpers/client';
import { expect, messages, sendOverSocket, test } from './fixtures';

/** The message on screen whose text contains `text`. */
function messageWith(page: Page, text: string) {
  return messages(page).filter({ hasText: text });
}

/** The results of the list's search, and of the open conversation's. */
const listResults = (page: Page) =>
  page.getByRole('complementary', { name: 'Conversations' }).getByTestId('search-result');
const chatResults = (page: Page) =>
  page.getByRole('complementary', { name: 'Search in chat' }).getByTestId('search-result');

async function expectNoSidewaysScroll(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(width);
}

test('a search finds words in any chat, and its result opens the chat at that message', async ({
  actor,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await signUp(server.url, 'bob');
  // An old message far above the newest page, then enough to push it out of the first page.
  await sendOverSocket(server.url, bob, alice.username, [
    { body: 'The mango season starts in May' },
    ...Array.from({ length: 120 }, (_, index) => ({ body: `filler ${index}` })),
    { body: 'Last one' },
  ]);
  const page = alice.page;
  await expect(page.getByTestId('conversation-item')).toHaveCount(1);

  const search = page.getByTestId('list-search');
  await search.fill(bob.user.username.slice(0, 4));
  await expect(page.getByTestId('conversation-item')).toHaveCount(1);
  await search.fill('no such chat');
  await expect(page.getByText('No chats found.')).toBeVisible();

  await search.fill('MANG sea');
  const result = listResults(page);
  await expect(result).toHaveCount(1);
  await expect(result).toContainText(bob.user.username);
  // Each word is marked as far as it was typed.
  await expect(result.locator('mark')).toHaveText(['mang', 'sea']);
  await result.click();

  await expect(page.getByTestId('conversation-title')).toHaveText(bob.user.username);
  const found = messageWith(page, 'The mango season starts in May');
  await expect(found).toBeInViewport();
  await expect(found).toHaveAttribute('data-highlighted', 'true');
  // The history between it and the newest page came with it, in order.
  await expect(messageWith(page, 'filler 0')).toHaveCount(1);
  await expect(page).toHaveURL(/\/chats\?c=[^&]+$/);

  // The conversation's own search: a result brings its message into view.
  await page.getByRole('button', { name: 'Search in chat' }).click();
  const inChat = page.getByTestId('chat-search');
  await expect(inChat).toBeFocused();
  await inChat.fill('x');
  await expect(page.getByText('Type at least 2 letters or digits to search.')).toBeVisible();
  await inChat.fill('filler 100');
  await expect(chatResults(page)).toHaveCount(1);
  await chatResults(page).click();
  await expect(messageWith(page, 'filler 100')).toHaveAttribute('data-highlighted', 'true');
  await expect(messageWith(page, 'filler 100')).toBeInViewport();
  await inChat.fill('pineapple');
  await expect(page.getByTestId('search-no-results')).toBeVisible();
});

test('on a phone, searching and opening a result never scrolls sideways', async ({
  actor,
  server,
}) => {
  const phone = devices['Pixel 5'];
  const width = 360;
  const alice = await actor('alice', {
    contextOptions: { ...phone, viewport: { width, height: 740 }, screen: { width, height: 740 } },
  });
  const bob = await signUp(server.url, 'bob');
  const longWord = 'w'.repeat(3_000);
  await sendOverSocket(server.url, bob, alice.username, [
    { body: `kiwi ${longWord} https://example.com/${'path/'.repeat(36)}` },
  ]);
  const page = alice.page;
  await page.getByTestId('list-search').fill('kiwi');
  await expect(listResults(page)).toHaveCount(1);
  await expectNoSidewaysScroll(page, width);
  await listResults(page).click();
  await expect(page.getByTestId('conversation-title')).toHaveText(bob.user.username);
  await page.getByRole('button', { name: 'Search in chat' }).click();
  await page.getByTestId('chat-search').fill('kiwi');
  await expect(chatResults(page)).toHaveCount(1);
  await expectNoSidewaysScroll(page, width);
  // Choosing the result on a phone closes the panel over the conversation.
  await chatResults(page).click();
  await expect(page.getByTestId('chat-search')).toHaveCount(0);
  await expect(messageWith(page, 'kiwi')).toBeInViewport();
});
