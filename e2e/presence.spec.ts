import { expect, openSettings, startChatWith, test } from './fixtures';

test('bob’s dot goes offline for alice when bob closes his last tab', async ({ actor }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const bobSecondTab = await bob.openTab();
  await startChatWith(alice, bob, 'are you around?');

  const dot = alice.page
    .getByTestId('conversation-item')
    .filter({ hasText: bob.username })
    .getByTestId('presence-dot');
  await expect(dot).toHaveAttribute('data-online', 'true');
  await expect(alice.page.getByTestId('conversation-subtitle')).toHaveText('online');

  // Closing one of two tabs changes nothing (test/integration/presence.test.ts proves it
  // across the grace period); closing the last one turns the dot off.
  await bob.page.close();
  await expect(alice.page.getByTestId('conversation-subtitle')).toHaveText('online');
  await bobSecondTab.close();
  await expect(dot).toHaveAttribute('data-online', 'false');
  await expect(alice.page.getByTestId('conversation-subtitle')).toHaveText(/^last seen today at /);
});

test('“typing…” shows while bob types and clears when he sends or stops', async ({ actor }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await startChatWith(alice, bob, 'hi');
  const subtitle = alice.page.getByTestId('conversation-subtitle');
  await expect(subtitle).toHaveText('online');

  const composer = bob.page.getByLabel('Message', { exact: true });
  await composer.pressSequentially('hello th');
  await expect(subtitle).toHaveText(`${bob.username} is typing…`);
  await composer.press('Enter');
  await expect(subtitle).toHaveText('online');

  await composer.pressSequentially('one more');
  await expect(subtitle).toHaveText(`${bob.username} is typing…`);
  await composer.fill('');
  await composer.press('Backspace');
  await expect(subtitle).toHaveText('online');
});

test('with privacy set to nobody, alice no longer sees bob online or last seen', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await startChatWith(alice, bob, 'still there?');
  const subtitle = alice.page.getByTestId('conversation-subtitle');
  await expect(subtitle).toHaveText('online');

  await openSettings(bob.page);
  await bob.page.getByRole('button', { name: 'Privacy' }).click();
  const dialog = bob.page.getByRole('dialog', { name: 'Privacy' });
  await dialog.getByRole('radio', { name: 'Nobody' }).check();
  await expect(dialog.getByRole('status')).toHaveText('Saved.');
  await expect(dialog.getByRole('radio', { name: 'Nobody' })).toBeChecked();

  // Bob is still connected, yet alice is told neither online nor last seen.
  await expect(subtitle).toHaveText('');
  await expect(
    alice.page
      .getByTestId('conversation-item')
      .filter({ hasText: bob.username })
      .getByTestId('presence-dot'),
  ).toHaveAttribute('data-online', 'false');

  // The choice is kept: a reload shows it checked.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await bob.page.reload();
  await openSettings(bob.page);
  await bob.page.getByRole('button', { name: 'Privacy' }).click();
  await expect(
    bob.page.getByRole('dialog', { name: 'Privacy' }).getByRole('radio', { name: 'Nobody' }),
  ).toBeChecked();
});
