// How a message's text shows: under its day, links that open safely, and long texts cut with
// "Read more", never wider than a 360 px phone.

import { devices } from '@playwright/test';
import { signUp } from '../test/helpers/client';
import { expect, newContext, sendOverSocket, signInOnNewDevice, startChat, test } from './fixtures';

const narrowPhone = devices['Galaxy S8'];
const LONG_URL = `https://example.com/${'a'.repeat(160)}`; // 180 characters
const WORD = 'w'.repeat(100_000);

test('links open in a new tab without a referrer, long texts fold, and nothing is wider than a phone', async ({
  browser,
  server,
}) => {
  const alice = await signUp(server.url, 'alice');
  const bob = (await signUp(server.url, 'bob')).user;
  await sendOverSocket(server.url, alice, bob.username, [
    { body: 'see example.org/a?b=1 or write to help@example.com' },
    { body: 'not links: javascript:alert(1) ftp://files.example.com/x' },
    { body: LONG_URL },
    { body: WORD },
  ]);

  const device = await signInOnNewDevice(browser, server.url, bob.username);
  const phone = await newContext(browser, server.url, {
    ...narrowPhone,
    storageState: await device.context.storageState(),
  });
  try {
    const page = device.page;
    await startChat(page, alice.user.username);
    // All sent today: one separator above them.
    await expect(page.getByTestId('day-separator')).toHaveText(['Today']);
    const bodies = page.getByTestId('message-body');
    const links = bodies.nth(0).getByRole('link');
    await expect(links).toHaveText(['example.org/a?b=1', 'help@example.com']);
    await expect(links.nth(0)).toHaveAttribute('href', 'https://example.org/a?b=1');
    await expect(links.nth(1)).toHaveAttribute('href', 'mailto:help@example.com');
    for (const link of await links.all()) {
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    }
    await expect(bodies.nth(1).getByRole('link')).toHaveCount(0);
    await expect(bodies.nth(2).getByRole('link')).toHaveAttribute('href', LONG_URL);

    // 100,000 characters show as a few screens until asked for.
    const long = page.getByTestId('message').filter({ has: page.getByTestId('message-read-more') });
    // The list is virtual: the word's own body, wherever it is among the rows rendered.
    const word = bodies.filter({ hasText: /^w+…?$/ });
    expect(await word.evaluate((element) => element.textContent?.length)).toBe(3_001);
    await long.getByRole('button', { name: 'Read more' }).click();
    await expect.poll(() => word.evaluate((element) => element.textContent?.length)).toBe(100_000);

    const small = await phone.newPage();
    await small.goto('/chats');
    await startChat(small, alice.user.username);
    await expect(small.getByTestId('message-read-more')).toBeVisible();
    const width = await small.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(narrowPhone.viewport.width);
  } finally {
    await phone.close();
    await device.context.close();
  }
});
