// Ending sessions reaches every open tab and device at once: the server disconnects their
// sockets, they find the session gone and show the sign-in page.

import type { Page } from '@playwright/test';
import { PASSWORD } from '../test/helpers/client';
import { expect, openSettings, signInOnNewDevice, test } from './fixtures';

/** Quick enough that nothing but the server's disconnect can explain it. */
const AT_ONCE = { timeout: 2_000 };

async function expectSignedIn(page: Page, username: string): Promise<void> {
  await expect(page.getByTestId('me')).toHaveText(username.toLowerCase());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online');
}

async function expectSignInPage(page: Page, options?: { timeout: number }): Promise<void> {
  await expect(page).toHaveURL(/\/sign-in$/, options);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

test('signing out in one tab sends the other tab of the session to sign-in', async ({ actor }) => {
  const alice = await actor('alice');
  const otherTab = await alice.openTab();
  await expectSignedIn(alice.page, alice.username);
  await expectSignedIn(otherTab, alice.username);

  await openSettings(alice.page);
  await alice.page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expectSignInPage(alice.page);
  await expectSignInPage(otherTab, AT_ONCE);

  // The session is gone for good: opening the app again asks to sign in.
  await otherTab.goto('/chats');
  await expectSignInPage(otherTab);
});

test('sign out everywhere asks first, then signs out every device', async ({
  actor,
  browser,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const laptop = await signInOnNewDevice(browser, server.url, alice.username);
  try {
    await expectSignedIn(alice.page, alice.username);
    await expectSignedIn(laptop.page, alice.username);

    const dialog = alice.page.getByRole('dialog', { name: 'Sign out everywhere?' });
    await openSettings(alice.page);
    await alice.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('on all your devices and browsers, this one included');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expectSignedIn(laptop.page, alice.username);

    await alice.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await dialog.getByRole('button', { name: 'Sign out all devices' }).click();
    await expectSignInPage(alice.page);
    await expectSignInPage(laptop.page, AT_ONCE);
    await laptop.page.goto('/chats');
    await expectSignInPage(laptop.page);

    // Other people stay signed in and connected.
    await expectSignedIn(bob.page, bob.username);
    await bob.page.reload();
    await expectSignedIn(bob.page, bob.username);
  } finally {
    await laptop.context.close();
  }
});

test('changing the password signs out the other devices at once and keeps this one', async ({
  actor,
  browser,
  server,
}) => {
  const alice = await actor('alice');
  const laptop = await signInOnNewDevice(browser, server.url, alice.username);
  try {
    await expectSignedIn(laptop.page, alice.username);
    const page = alice.page;
    await openSettings(page);
    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await dialog.getByLabel('Current password').fill('not my password');
    await dialog.getByLabel('New password').fill('a much better secret');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect(dialog.getByRole('alert')).toHaveText('Wrong current password.');
    await expectSignedIn(laptop.page, alice.username);

    await dialog.getByLabel('Current password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect(dialog.getByTestId('password-changed')).toHaveText(
      'Password changed. 1 other device was signed out.',
    );
    await expectSignInPage(laptop.page, AT_ONCE);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Close settings' }).click();
    await expectSignedIn(page, alice.username);
    // The focus is back on what opened Settings.
    await expect(page.getByRole('button', { name: 'Settings' })).toBeFocused();

    // The laptop signs in with the new password only.
    await laptop.page.getByLabel('Username').fill(alice.username);
    await laptop.page.getByLabel('Password').fill(PASSWORD);
    await laptop.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(laptop.page.getByText('Wrong username or password.')).toBeVisible();
    await laptop.page.getByLabel('Password').fill('a much better secret');
    await laptop.page.getByRole('button', { name: 'Sign in' }).click();
    await expectSignedIn(laptop.page, alice.username);
  } finally {
    await laptop.context.close();
  }
});
