// Markup sent as a message or a group name is shown as the text it is, never run: on arrival,
// in the conversation list's preview, in the opened thread, and after a reload (which renders
// from the device's stored copy). Usernames cannot carry markup at all.
//
// Two independent checks: no element that markup would have made exists (so the test fails even
// if a Content-Security-Policy happened to stop the script), and no dialog ever opens.

import type { Page } from '@playwright/test';
import { USERNAME_RULE } from '../protocol';
import { PASSWORD } from '../test/helpers/client';
import {
  bodies,
  createGroup,
  expect,
  messages,
  openChat,
  sendMessage,
  startChat,
  test,
} from './fixtures';

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<a href="javascript:alert(1)">click me</a>',
  'javascript:alert(1)',
  '[click me](javascript:alert(1))',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '"><img src=x onerror=alert(1)>',
  "'><svg/onload=alert(1)>",
  '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><img src=x onerror=alert(1)></mtext></math>',
  '{{constructor.constructor("alert(1)")()}}',
  '<img src=x onerror="window.__xss=1">',
];

/** What any of the payloads would have created, had it been parsed as HTML. */
const INJECTED =
  'img[src="x"], svg[onload], iframe[srcdoc], details[ontoggle], math, a[href^="javascript:"], ' +
  '[onerror], [onload], [ontoggle], [role="log"] script';

/** Every dialog the page opens: a payload that ran would call alert(). */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

async function expectNothingInjected(page: Page, dialogs: string[]): Promise<void> {
  // The message bodies and titles are text nodes only: no element at all inside them.
  await expect(page.getByTestId('message-body').locator('*')).toHaveCount(0);
  await expect(page.getByTestId('conversation-item-title').locator('*')).toHaveCount(0);
  await expect(page.getByTestId('conversation-item-preview').locator('*')).toHaveCount(0);
  await expect(page.getByTestId('conversation-title').locator('*')).toHaveCount(0);
  await expect(page.locator(INJECTED)).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

test('markup in messages is shown as literal text and never runs', async ({ actor }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const aliceDialogs = watchDialogs(alice.page);
  const bobDialogs = watchDialogs(bob.page);

  await startChat(alice.page, bob.username);
  const earlier = PAYLOADS.slice(0, -1);
  const last = PAYLOADS.at(-1)!;
  for (const payload of earlier) {
    await sendMessage(alice.page, payload);
    await expect(bodies(alice.page).last()).toHaveText(payload);
  }

  // Bob's list previews the newest one as text.
  const item = bob.page.getByTestId('conversation-item').filter({ hasText: alice.username });
  await expect(item.getByTestId('conversation-item-preview')).toHaveText(earlier.at(-1)!);
  await expectNothingInjected(bob.page, bobDialogs);

  // Opened: every body exactly as typed, and one more arriving live.
  await item.click();
  await expect(bodies(bob.page)).toHaveText(earlier);
  await sendMessage(alice.page, last);
  await expect(bodies(bob.page)).toHaveText(PAYLOADS);
  await expectNothingInjected(bob.page, bobDialogs);
  await expectNothingInjected(alice.page, aliceDialogs);

  // After a reload the thread comes from the device's store first: still text.
  await bob.page.reload();
  await expect(bodies(bob.page)).toHaveText(PAYLOADS);
  await expectNothingInjected(bob.page, bobDialogs);
});

test('a group named with markup shows the name as text everywhere', async ({ actor }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const bobDialogs = watchDialogs(bob.page);
  const aliceDialogs = watchDialogs(alice.page);
  const title = '<img src=x onerror=alert(1)><svg onload=alert(2)>';

  await createGroup(alice.page, title, [bob.username]);
  await expect(alice.page.getByTestId('system-message').first()).toHaveText(
    `${alice.username} created the group “${title}”`,
  );
  await sendMessage(alice.page, '<script>alert(3)</script>');

  await openChat(bob.page, title);
  await expect(bob.page.getByTestId('conversation-title')).toHaveText(title);
  await expect(bob.page.getByTestId('system-message').first()).toHaveText(
    `${alice.username} created the group “${title}”`,
  );
  await expect(bodies(bob.page)).toHaveText(['<script>alert(3)</script>']);
  await expect(messages(bob.page).last().getByTestId('message-sender')).toHaveText(alice.username);
  await bob.page.getByRole('button', { name: 'Group info' }).click();
  await expect(bob.page.getByTestId('group-info')).toContainText(title);
  await expect(bob.page.getByTestId('group-info').locator(INJECTED)).toHaveCount(0);
  await expectNothingInjected(bob.page, bobDialogs);
  await expectNothingInjected(alice.page, aliceDialogs);
});

test('a username with markup is refused at sign-up, with the rule shown as text', async ({
  page,
}) => {
  const dialogs = watchDialogs(page);
  await page.goto('/sign-up');
  await page.getByLabel('Username').fill('<img src=x onerror=alert(1)>');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(USERNAME_RULE);
  await expect(page).toHaveURL(/\/sign-up/);
  await expect(page.locator(INJECTED)).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
