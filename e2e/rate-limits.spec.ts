// Rate limits in the browser: a person sending faster than allowed sees why their messages
// wait, and they go out by themselves, in order; a sign-up over the limit shows the server's
// message. A server of this spec's own, with low limits set as an admin would.

import { writeSettings } from '../db';
import { makeDataDir, withDatabase } from '../test/helpers/database';
import { GENEROUS_LIMITS } from '../test/helpers/rate-limits';
import { startProcessServer, type ProcessServer } from '../test/helpers/process-server';
import { uniqueName, PASSWORD } from '../test/helpers/client';
import {
  bodies,
  createActor,
  expect,
  messages,
  newContext,
  sendMessage,
  startChat,
  test,
} from './fixtures';

let server: ProcessServer;

test.beforeAll(async () => {
  const dataDir = makeDataDir();
  await withDatabase({ dataDir }, (db) =>
    writeSettings(db, {
      ...GENEROUS_LIMITS,
      // One message a second, no burst; and two sign-ups from this address.
      messagesPerSecond: 1,
      messageBurst: 0,
      signUpsPerIpPerHour: 2,
    }),
  );
  server = await startProcessServer({ dataDir });
});

test.afterAll(async () => {
  await server?.stop();
});

test('sending too fast shows the wait, and every message goes out by itself, in order; a refused sign-up says why', async ({
  browser,
}) => {
  const alice = await createActor(browser, server.url, 'alice');
  const bob = await createActor(browser, server.url, 'bob');
  try {
    await startChat(alice.page, bob.username);
    // Written offline, the four wait in the outbox and go out back to back when the network
    // returns, each right after the previous answer: well within one second, whatever the
    // speed of the typing.
    await alice.context.setOffline(true);
    await expect(alice.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
    const texts = ['one', 'two', 'three', 'four'];
    for (const text of texts) await sendMessage(alice.page, text);
    await expect(bodies(alice.page)).toHaveText(texts);
    await alice.context.setOffline(false);
    await expect(alice.page.getByTestId('composer-rate-limited')).toContainText(
      /You’re sending too fast; waiting \d+ s/,
    );
    // Nothing is dropped: all four are sent, in the order written, and the notice goes.
    await expect(bodies(alice.page)).toHaveText(texts);
    for (let index = 0; index < texts.length; index++) {
      await expect(messages(alice.page).nth(index).getByTestId('message-status')).toHaveAttribute(
        'aria-label',
        /^(Sent|Delivered|Read)$/,
      );
    }
    await expect(alice.page.getByTestId('composer-rate-limited')).toHaveCount(0);
    await startChat(bob.page, alice.username);
    await expect(bodies(bob.page)).toHaveText(texts);

    // A third sign-up from this address is over the limit: the form shows the server's reason.
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/sign-up');
    await page.getByLabel('Username').fill(uniqueName('carol'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveText(
      'Too many sign-ups from your network. Try again in 60 minutes.',
    );
    await context.close();
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});
