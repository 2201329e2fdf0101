import { PASSWORD, signUp, uniqueName } from '../test/helpers/client';
import { makeDataDir, seedAdmin } from '../test/helpers/database';
import { startProcessServer } from '../test/helpers/process-server';
import {
  bodies,
  chooseFromHeaderMenu,
  createActor,
  createGroup,
  expect,
  messages,
  openChat,
  sendMessage,
  signInOnNewDevice,
  test,
} from './fixtures';

test('three people chat in a group', async ({ actor }) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const carol = await actor('carol');
  await createGroup(alice.page, 'Weekend trip', [bob.username, carol.username]);
  await expect(alice.page.getByTestId('system-message')).toHaveText([
    `${alice.username} created the group “Weekend trip”`,
    `${alice.username} added ${[bob.username, carol.username].join(' and ')}`,
  ]);
  await sendMessage(alice.page, 'Who brings the tent?');

  await openChat(bob.page, 'Weekend trip');
  await expect(bodies(bob.page)).toHaveText(['Who brings the tent?']);
  await expect(messages(bob.page).last().getByTestId('message-sender')).toHaveText(alice.username);
  await sendMessage(bob.page, 'I do');

  await openChat(carol.page, 'Weekend trip');
  await expect(bodies(carol.page)).toHaveText(['Who brings the tent?', 'I do']);
  await sendMessage(carol.page, 'I bring the food');
  for (const page of [alice.page, bob.page]) {
    await expect(bodies(page)).toHaveText(['Who brings the tent?', 'I do', 'I bring the food']);
  }
  await expect(alice.page.getByTestId('conversation-subtitle')).toHaveText('3 members');

  // Everyone has read alice's question: blue ticks, and the info says who.
  const question = messages(alice.page).first();
  await expect(question.getByTestId('message-status')).toHaveAttribute('aria-label', 'Read');
  await question.hover();
  await question.getByRole('button', { name: 'Message actions' }).click();
  await alice.page
    .getByRole('menu', { name: 'Message actions' })
    .getByRole('menuitem', { name: 'Message info' })
    .click();
  const info = alice.page.getByTestId('message-info');
  await expect(info.getByRole('heading', { name: 'Read by' })).toBeVisible();
  await expect(info.locator('li')).toHaveText([bob.username, carol.username].sort());

  // The group info lists members with roles; bob is promoted by alice.
  await alice.page.getByRole('button', { name: 'Group info' }).click();
  const panel = alice.page.getByTestId('group-info');
  await expect(panel.getByTestId('member')).toHaveCount(3);
  await expect(panel.getByTestId('member').filter({ hasText: alice.username })).toContainText(
    'Admin',
  );
  await panel
    .getByTestId('member')
    .filter({ hasText: bob.username })
    .getByRole('button', { name: 'Make admin' })
    .click();
  await expect(bob.page.getByTestId('system-message').last()).toHaveText(
    `${alice.username} made ${bob.username} an admin`,
  );
});

test('one person’s messages in a row are grouped under one name, as in WhatsApp', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await createGroup(alice.page, 'Runs', [bob.username]);
  await sendMessage(alice.page, 'first');
  await sendMessage(alice.page, 'second');
  // Each writes once the other's messages are there, as people do: the server orders messages
  // as they reach it, and a message sent before another reached it comes before that one.
  await openChat(bob.page, 'Runs');
  await expect(bodies(bob.page)).toHaveText(['first', 'second']);
  await sendMessage(bob.page, 'mine');
  await expect(bodies(alice.page)).toHaveText(['first', 'second', 'mine']);
  await expect(bodies(bob.page)).toHaveText(['first', 'second', 'mine']);
  await sendMessage(alice.page, 'third');
  await expect(bodies(bob.page)).toHaveText(['first', 'second', 'mine', 'third']);
  // Alice's name heads each of her runs; bob's own messages carry none.
  await expect(bob.page.getByTestId('message-sender')).toHaveText([alice.username, alice.username]);
  await expect(messages(bob.page).nth(1).getByTestId('message-sender')).toHaveCount(0);
});

test('removing a member and leaving the group ask first; who went keeps the history, read-only', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  const carol = await actor('carol');
  await createGroup(alice.page, 'Book club', [bob.username, carol.username]);
  await sendMessage(alice.page, 'Welcome');
  await openChat(carol.page, 'Book club');
  await expect(bodies(carol.page)).toHaveText(['Welcome']);
  await alice.page.getByRole('button', { name: 'Group info' }).click();
  const panel = alice.page.getByTestId('group-info');
  await expect(panel.getByTestId('member')).toHaveCount(3);

  // Remove asks; Cancel closes the question and carol stays.
  await panel.getByRole('button', { name: `Remove ${carol.username}` }).click();
  const question = alice.page.getByRole('dialog', { name: `Remove ${carol.username}?` });
  await expect(question).toBeVisible();
  await expect(question).toContainText(`${carol.username} will no longer receive`);
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toBeHidden();
  await expect(panel.getByTestId('member')).toHaveCount(3);

  // Escape cancels too; then confirming removes her.
  await panel.getByRole('button', { name: `Remove ${carol.username}` }).click();
  await expect(question).toBeVisible();
  await alice.page.keyboard.press('Escape');
  await expect(question).toBeHidden();
  await expect(panel.getByTestId('member')).toHaveCount(3);
  await panel.getByRole('button', { name: `Remove ${carol.username}` }).click();
  await question.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(question).toBeHidden();
  await expect(panel.getByTestId('member')).toHaveCount(2);
  await expect(alice.page.getByTestId('system-message').last()).toHaveText(
    `${alice.username} removed ${carol.username}`,
  );

  // Carol keeps what she had, up to her removal, with no composer; nothing later reaches her,
  // not even after a reload.
  await expect(carol.page.getByTestId('membership-ended')).toHaveText('You were removed');
  await expect(carol.page.getByTestId('system-message').last()).toHaveText(
    `${alice.username} removed ${carol.username}`,
  );
  await expect(carol.page.getByLabel('Message', { exact: true })).toHaveCount(0);
  await sendMessage(alice.page, 'Only for the two of us');
  await expect(messages(alice.page).last().getByTestId('message-status')).toHaveAttribute(
    'aria-label',
    /^(Sent|Delivered|Read)$/,
  );
  await carol.page.reload();
  await expect(carol.page.getByTestId('membership-ended')).toHaveText('You were removed');
  await expect(bodies(carol.page)).toHaveText(['Welcome']);
  await expect(carol.page.getByTestId('system-message').last()).toHaveText(
    `${alice.username} removed ${carol.username}`,
  );

  // Leave group asks too.
  await openChat(bob.page, 'Book club');
  await bob.page.getByRole('button', { name: 'Group info' }).click();
  await bob.page.getByRole('button', { name: 'Leave group' }).click();
  const leaving = bob.page.getByRole('dialog', { name: 'Leave “Book club”?' });
  await expect(leaving).toBeVisible();
  await leaving.getByRole('button', { name: 'Cancel' }).click();
  await expect(leaving).toBeHidden();
  await expect(bob.page.getByTestId('group-info').getByTestId('member')).toHaveCount(2);
  await expect(alice.page.getByTestId('system-message').last()).toHaveText(
    `${alice.username} removed ${carol.username}`,
  );
  // The chat's menu offers the same.
  await chooseFromHeaderMenu(bob.page, 'Leave group');
  await leaving.getByRole('button', { name: 'Leave', exact: true }).click();
  await expect(alice.page.getByTestId('system-message').last()).toHaveText(`${bob.username} left`);
  await openChat(bob.page, 'Book club');
  await expect(bob.page.getByTestId('membership-ended')).toHaveText('You left');
  await expect(bodies(bob.page)).toHaveText(['Welcome', 'Only for the two of us']);
});

test('an admin lowers the group size on /admin, and adding one more member then fails visibly', async ({
  browser,
}) => {
  // A server of this test's own, with an admin seeded before it starts (the CLI that grants the
  // role has tests of its own).
  const dataDir = makeDataDir();
  const adminName = uniqueName('root');
  await seedAdmin({ dataDir }, adminName, PASSWORD);
  const server = await startProcessServer({ dataDir });
  const root = await signInOnNewDevice(browser, server.url, adminName);
  const bob = await createActor(browser, server.url, 'bob');
  // Two more members, who need accounts rather than browsers.
  const carol = (await signUp(server.url, 'carol')).user;
  const dave = (await signUp(server.url, 'dave')).user;
  try {
    // A non-admin has no link and is refused.
    await expect(bob.page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
    const refused = await bob.page.goto('/admin');
    expect(refused?.status()).toBe(403);

    await root.page.getByRole('link', { name: 'Admin' }).click();
    await root.page.getByRole('tab', { name: 'Settings' }).click();
    await expect(root.page.getByLabel('Maximum group size')).toHaveValue('256');
    await root.page.getByLabel('Maximum group size').fill('1');
    await root.page.getByRole('button', { name: 'Save' }).click();
    await expect(
      root.page.getByText('Maximum group size must be at least 2.', { exact: true }),
    ).toBeVisible();
    await root.page.getByLabel('Maximum group size').fill('3');
    await root.page.getByRole('button', { name: 'Save' }).click();
    await expect(root.page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

    await root.page.goto('/chats');
    await createGroup(root.page, 'Small', [bob.username, carol.username]);
    await root.page.getByRole('button', { name: 'Group info' }).click();
    await root.page.getByLabel('Add members (usernames)').fill(dave.username);
    await root.page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(root.page.getByTestId('group-error')).toHaveText(
      'This group is full: a group can have at most 3 members.',
    );
    await expect(root.page.getByTestId('group-info').getByTestId('member')).toHaveCount(3);

    // Lowered below that group's size: the page says what it means, and how many groups.
    await root.page.goto('/admin?section=settings');
    await expect(root.page.getByText('bigger groups keep their members')).toBeVisible();
    await expect(root.page.getByTestId('oversized-groups')).toHaveCount(0);
    await root.page.getByLabel('Maximum group size').fill('2');
    await root.page.getByRole('button', { name: 'Save' }).click();
    await expect(root.page.getByTestId('oversized-groups')).toHaveText(
      '1 group has more than 2 members; it keeps them, but no one can be added.',
    );
    await root.page.reload();
    await expect(root.page.getByTestId('oversized-groups')).toHaveText(
      '1 group has more than 2 members; it keeps them, but no one can be added.',
    );
  } finally {
    await root.context.close();
    await bob.context.close();
    await server.stop();
  }
});

test('a member renames the group and describes it; everyone sees it, and admins can keep it to themselves', async ({
  actor,
}) => {
  const alice = await actor('alice');
  const bob = await actor('bob');
  await createGroup(alice.page, 'Trip', [bob.username]);
  await openChat(bob.page, 'Trip');

  await bob.page.getByRole('button', { name: 'Group info' }).click();
  const info = bob.page.getByTestId('group-info');
  await info.getByRole('button', { name: 'Edit name and description' }).click();
  await info.getByLabel('Group name', { exact: true }).fill('Summer trip');
  await info.getByLabel('Description', { exact: true }).fill('Boots, tent, snacks.');
  await info.getByRole('button', { name: 'Save' }).click();
  await expect(info.getByTestId('group-description')).toHaveText('Boots, tent, snacks.');

  await expect(alice.page.getByTestId('conversation-title')).toHaveText('Summer trip');
  await expect(alice.page.getByTestId('system-message').last()).toHaveText(
    `${bob.username} changed the group description`,
  );
  await alice.page.getByRole('button', { name: 'Group info' }).click();
  await alice.page
    .getByTestId('group-info')
    .getByLabel('Only admins can change the name and description')
    .check();
  await expect(bob.page.getByTestId('system-message').last()).toHaveText(
    `${alice.username} allowed only admins to change the group name and description`,
  );
  await expect(info.getByRole('button', { name: 'Edit name and description' })).toHaveCount(0);
});
