// What a new user trips over: rules said before they are broken, errors in plain words.

import { PASSWORD_RULE, USERNAME_RULE } from '../protocol';
import { uniqueName } from '../test/helpers/client';
import { expect, test } from './fixtures';

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
