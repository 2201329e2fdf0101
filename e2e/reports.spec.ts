// Reports: bob reports a message of alice's with a note; an admin finds it in the console among
// the messages around it, and resolves it.

import type { Locator, Page } from '@playwright/test';
import { PASSWORD, uniqueName } from '../test/helpers/client';
import { makeDataDir, seedAdmin } from '../test/helpers/database';
import { startProcessServer } from '../test/helpers/process-server';
import {
  createActor,
  expect,
  messages,
  sendMessage,
  signInOnNewDevice,
  startChatWith,
  test,
} from './fixtures';

/** The message whose text is exactly `text`. */
function message(page: Page, text: string): Locator {
  return messages(page).filter({
    has: page.getByTestId('message-body').getByText(text, { exact: true }),
  });
}

async function openMenu(page: Page, target: Locator): Promise<Locator> {
  await target.hover();
  await target.getByRole('button', { name: 'Message actions' }).click();
  return page.getByRole('menu', { name: 'Message actions' });
}

test('bob reports alice’s message, and an admin resolves it seeing it in context', async ({
  browser,
}) => {
  // A server of this test's own, with an admin seeded before it starts.
  const dataDir = makeDataDir();
  const adminName = uniqueName('root');
  await seedAdmin({ dataDir }, adminName, PASSWORD);
  const server = await startProcessServer({ dataDir });
  const alice = await createActor(browser, server.url, 'alice');
  const bob = await createActor(browser, server.url, 'bob');
  try {
    await startChatWith(alice, bob, 'Hi Bob');
    await sendMessage(alice.page, 'Send me your password now');
    await sendMessage(alice.page, 'Or else');
    await expect(message(bob.page, 'Or else')).toBeVisible();

    // Nobody reports their own words.
    const ownMenu = await openMenu(alice.page, message(alice.page, 'Or else'));
    await expect(ownMenu.getByRole('menuitem', { name: 'Copy' })).toBeVisible();
    await expect(ownMenu.getByRole('menuitem', { name: 'Report' })).toHaveCount(0);
    await alice.page.keyboard.press('Escape');

    const menu = await openMenu(bob.page, message(bob.page, 'Send me your password now'));
    await menu.getByRole('menuitem', { name: 'Report', exact: true }).click();
    const dialog = bob.page.getByRole('dialog', {
      name: `Report this message from ${alice.username}?`,
    });
    await expect(dialog).toContainText('a few messages around it');
    await dialog.getByLabel('Note for the admins (optional)').fill('Phishing for passwords.');
    await dialog.getByRole('button', { name: 'Report', exact: true }).click();
    await expect(dialog.getByRole('status')).toHaveText('Reported. Admins will review it.');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();

    const root = await signInOnNewDevice(browser, server.url, adminName);
    try {
      await root.page.goto('/admin?section=reports');
      await expect(root.page.getByRole('tab', { name: 'Reports' })).toHaveAttribute(
        'aria-selected',
        'true',
      );
      await expect(root.page.getByRole('button', { name: 'Open (1)' })).toBeVisible();
      const report = root.page.getByTestId('report');
      await expect(report).toHaveCount(1);
      await expect(report).toContainText(`@${bob.username} reported @${alice.username}`);
      await expect(report.getByTestId('report-note')).toHaveText('Phishing for passwords.');
      await expect(report).toContainText(`In the direct chat of`);
      await expect(report.getByTestId('reported-message')).toContainText(
        'Send me your password now',
      );
      await expect(report.getByTestId('context-message')).toHaveText([/Hi Bob$/, /Or else$/]);

      await report.getByRole('button', { name: 'Resolve' }).click();
      await expect(report.getByTestId('report-resolved')).toContainText(`by @${adminName}`);
      await expect(root.page.getByRole('button', { name: 'Open (0)' })).toBeVisible();
      await root.page.getByRole('button', { name: 'Resolved' }).click();
      await expect(root.page.getByTestId('report')).toHaveCount(1);
      await root.page.getByRole('button', { name: 'Open (0)' }).click();
      await expect(root.page.getByText('No open reports.')).toBeVisible();
    } finally {
      await root.context.close();
    }
  } finally {
    await alice.context.close();
    await bob.context.close();
    await server.stop();
  }
});
