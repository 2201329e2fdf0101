// The admin console: an admin disables an account from the Users section, and the person's open
// app is signed out live; their sign-in then says why, until the account is enabled again.

import type { Page } from '@playwright/test';
import { PASSWORD, uniqueName } from '../test/helpers/client';
import { makeDataDir, seedAdmin } from '../test/helpers/database';
import { startProcessServer } from '../test/helpers/process-server';
import { createActor, expect, signInOnNewDevice, test } from './fixtures';

/** Quick enough that nothing but the server's disconnect can explain it. */
const AT_ONCE = { timeout: 2_000 };

async function signInThroughForm(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an admin disables a user, who is then signed out live', async ({ browser }) => {
  // A server of this test's own, with an admin seeded before it starts.
  const dataDir = makeDataDir();
  const adminName = uniqueName('root');
  await seedAdmin({ dataDir }, adminName, PASSWORD);
  const server = await startProcessServer({ dataDir });
  const root = await signInOnNewDevice(browser, server.url, adminName);
  const bob = await createActor(browser, server.url, 'bob');
  try {
    await expect(bob.page.getByTestId('connection')).toHaveAttribute('data-state', 'online');

    await root.page.getByRole('link', { name: 'Admin' }).click();
    // The overview opens first; bob is among those online (the admin may be, between pages).
    await expect(root.page.getByTestId('stat-onlineNow')).toHaveText(/^[12]$/);
    await root.page.getByRole('tab', { name: 'Users' }).click();
    await expect(root.page).toHaveURL(/section=users/);
    await root.page.getByLabel('Search users').fill(bob.username);
    const row = root.page.getByTestId('admin-user').filter({ hasText: `@${bob.username}` });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('admin-user-seen')).toHaveText('online now');
    // Nothing to do on oneself.
    await root.page.getByLabel('Search users').fill(adminName);
    const me = root.page.getByTestId('admin-user').filter({ hasText: `@${adminName}` });
    await expect(me).toContainText('You');
    await expect(me.getByRole('button')).toHaveCount(0);

    await root.page.getByLabel('Search users').fill(bob.username);
    await row.getByRole('button', { name: `Disable: ${bob.username}` }).click();
    const dialog = root.page.getByRole('dialog', { name: `Disable ${bob.username}?` });
    await expect(dialog).toContainText('signed out of every device at once');
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await expect(root.page.getByRole('status')).toHaveText(
      `${bob.username} is disabled and signed out everywhere.`,
    );
    await expect(row).toContainText('Disabled');

    // Bob's open chats go to the sign-in page by themselves, without a reload.
    await expect(bob.page).toHaveURL(/\/sign-in$/, AT_ONCE);
    await signInThroughForm(bob.page, bob.username);
    await expect(
      bob.page.getByText('This account has been disabled by an administrator.'),
    ).toBeVisible();

    await row.getByRole('button', { name: `Enable: ${bob.username}` }).click();
    await expect(root.page.getByRole('status')).toHaveText(`${bob.username} can sign in again.`);
    await signInThroughForm(bob.page, bob.username);
    await expect(bob.page.getByTestId('me')).toHaveText(bob.username);
  } finally {
    await root.context.close();
    await bob.context.close();
    await server.stop();
  }
});
