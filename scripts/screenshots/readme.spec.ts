// The README's screenshots: a group on a desktop in light mode, and the same group on a phone
// in dark mode. Run with `npm run screenshots`; they are written to docs/.

import { resolve } from 'node:path';
import { devices } from '@playwright/test';
import { PROJECT_ROOT } from '../../test/helpers/paths';
import { createGroup, expect, openChat, sendMessage, startChat, test } from '../../e2e/fixtures';

const DOCS = resolve(PROJECT_ROOT, 'docs');

test('README screenshots', async ({ actor }) => {
  const desktop = { viewport: { width: 1280, height: 760 }, colorScheme: 'light' as const };
  const phone = { ...devices['Pixel 7'], colorScheme: 'dark' as const };
  const alice = await actor('Alice', { exactName: true, contextOptions: desktop });
  const bob = await actor('Bob', { exactName: true, contextOptions: phone });
  const carol = await actor('Carol', { exactName: true, contextOptions: desktop });

  await startChat(alice.page, 'carol');
  await sendMessage(alice.page, 'Are you coming on Saturday?');
  await createGroup(alice.page, 'Weekend trip', ['bob', 'carol']);
  await sendMessage(alice.page, 'Who brings the tent?');
  await sendMessage(alice.page, 'The forecast says sun all weekend');
  await openChat(bob.page, 'Weekend trip');
  await sendMessage(bob.page, 'I do! It sleeps four.');
  await sendMessage(bob.page, 'Map of the campsite: https://example.org/campsite');
  await openChat(carol.page, 'Weekend trip');
  await sendMessage(carol.page, 'I bring the food and the stove');
  await expect(alice.page.getByTestId('message-body')).toHaveCount(5);
  await expect(bob.page.getByTestId('message-body')).toHaveCount(5);

  await alice.page.screenshot({ path: resolve(DOCS, 'screenshot.png') });
  await bob.page.screenshot({ path: resolve(DOCS, 'screenshot-phone.png') });
});
