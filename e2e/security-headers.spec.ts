// The app under its Content-Security-Policy: signing up, chatting over a WebSocket, the service
// worker, notifications, the admin page, a 404 and the offline shell all work, and the browser
// reports not a single CSP violation.

import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { PASSWORD, uniqueName } from '../test/helpers/client';
import { makeDataDir, seedAdmin } from '../test/helpers/database';
import { startProcessServer, type ProcessServer } from '../test/helpers/process-server';
import {
  bodies,
  expect,
  newContext,
  openChat,
  openSettings,
  sendMessage,
  signUpInBrowser,
  startChat,
  test,
  watchCspViolations,
} from './fixtures';

let server: ProcessServer;
const adminName = uniqueName('root');

test.beforeAll(async () => {
  const dataDir = makeDataDir();
  await seedAdmin({ dataDir }, adminName, PASSWORD);
  server = await startProcessServer({ dataDir });
});

test.afterAll(async () => {
  await server?.stop();
});

async function newPerson(
  browser: import('@playwright/test').Browser,
  name: string,
  options: { serviceWorker?: boolean } = {},
) {
  const context = await newContext(browser, server.url, options);
  const violations = await watchCspViolations(context);
  const page = await context.newPage();
  const username = uniqueName(name);
  return { context, page, username, violations };
}

function nonceOf(policy: string | undefined): string {
  const nonce = /'nonce-([^']+)'/.exec(policy ?? '')?.[1];
  if (!nonce) throw new Error(`no nonce in ${policy}`);
  return nonce;
}

/** A push subscription as the browser's push service would give it (this machine has none). */
async function fakePushService(page: Page): Promise<void> {
  const keys = {
    p256dh: randomBytes(65).toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
  const endpoint = `https://fcm.googleapis.com/fcm/send/e2e-${randomBytes(6).toString('hex')}`;
  await page.addInitScript(
    ({ endpoint, keys }) => {
      let current: unknown = null;
      const subscription = {
        endpoint,
        toJSON: () => ({ endpoint, expirationTime: null, keys }),
        unsubscribe: async () => {
          current = null;
          return true;
        },
      };
      PushManager.prototype.subscribe = async () => {
        current = subscription;
        return subscription as unknown as PushSubscription;
      };
      PushManager.prototype.getSubscription = async () => current as PushSubscription | null;
    },
    { endpoint, keys },
  );
}

test('the app works under its CSP with no violation at all', async ({ browser }) => {
  test.setTimeout(120_000);
  const alice = await newPerson(browser, 'alice', { serviceWorker: true });
  const bob = await newPerson(browser, 'bob');
  const root = await newPerson(browser, 'root');
  try {
    const sockets: string[] = [];
    alice.page.on('websocket', (socket) => sockets.push(socket.url()));

    // Sign-in page, then sign up through the form (a same-origin POST: Origin is accepted).
    const signIn = await alice.page.goto('/sign-in');
    expect(signIn?.headers()['content-security-policy']).toContain("'strict-dynamic'");
    await expect(alice.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await signUpInBrowser(alice.page, alice.username);
    await signUpInBrowser(bob.page, bob.username);

    // Chat, over a WebSocket of the page's own origin (connect-src 'self').
    await startChat(alice.page, bob.username);
    await sendMessage(alice.page, 'Hello under a strict CSP');
    await openChat(bob.page, alice.username);
    await expect(bodies(bob.page)).toHaveText(['Hello under a strict CSP']);
    await sendMessage(bob.page, 'Works here too');
    await expect(bodies(alice.page)).toHaveText(['Hello under a strict CSP', 'Works here too']);
    expect(sockets.some((url) => /^ws:\/\/.*\/socket\.io\/.*transport=websocket/.test(url))).toBe(
      true,
    );

    // The service worker registers and takes control; pages it passes on still get a fresh
    // nonce every time.
    await alice.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const first = await alice.page.goto('/chats');
    const second = await alice.page.reload();
    expect(nonceOf(first?.headers()['content-security-policy'])).not.toBe(
      nonceOf(second?.headers()['content-security-policy']),
    );
    await expect(alice.page.getByTestId('conversation-item')).toHaveText([
      new RegExp(bob.username),
    ]);

    // Notifications: permission, the server's key, the subscription registered and removed.
    await fakePushService(alice.page);
    await alice.context.grantPermissions(['notifications']);
    await alice.page.reload();
    const subscribed = alice.page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/push/subscriptions') &&
        response.request().method() === 'POST',
    );
    await openSettings(alice.page);
    await alice.page.getByRole('button', { name: 'Turn on notifications' }).click();
    expect((await subscribed).status()).toBe(201);
    await expect(alice.page.getByRole('button', { name: 'Turn off notifications' })).toBeVisible();
    const unsubscribed = alice.page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/push/subscriptions') &&
        response.request().method() === 'DELETE',
    );
    await alice.page.getByRole('button', { name: 'Turn off notifications' }).click();
    expect((await unsubscribed).status()).toBe(200);

    // The manifest and its icons (manifest-src, img-src).
    const manifest = await (await alice.page.request.get('/manifest.webmanifest')).json();
    for (const icon of manifest.icons as { src: string }[]) {
      expect((await alice.page.request.get(icon.src)).status()).toBe(200);
    }

    // A page that does not exist.
    const missing = await alice.page.goto('/no-such-page');
    expect(missing?.status()).toBe(404);
    await expect(alice.page.getByRole('heading', { name: 'Not found' })).toBeVisible();

    // The admin console, and a change saved from it.
    await root.page.goto('/sign-in');
    await root.page.getByLabel('Username').fill(adminName);
    await root.page.getByLabel('Password').fill(PASSWORD);
    await root.page.getByRole('button', { name: 'Sign in' }).click();
    // argon2 and a page rendered per request: slow on a loaded machine.
    await expect(root.page.getByTestId('me')).toHaveText(adminName, { timeout: 30_000 });
    // The console opens on its overview (counts from every node); its settings are a tab.
    await root.page.goto('/admin');
    await expect(root.page.getByRole('tab', { name: 'Overview' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await root.page.getByRole('tab', { name: 'Users' }).click();
    await expect(root.page.getByText(`@${alice.username}`)).toBeVisible();
    await root.page.getByRole('tab', { name: 'Settings' }).click();
    await root.page.getByLabel('Maximum group size').fill('100');
    const saved = root.page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/admin/settings') && response.request().method() === 'PUT',
    );
    await root.page.getByRole('button', { name: 'Save' }).click();
    expect((await saved).status()).toBe(200);
    await expect(root.page.getByRole('status')).toHaveText(/Saved/);

    // Offline: the shell kept by the worker, with the CSP it was fetched with.
    await alice.context.setOffline(true);
    await alice.page.goto('/chats');
    await expect(alice.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
    await expect(alice.page.getByTestId('conversation-item')).toHaveText([
      new RegExp(bob.username),
    ]);
    await alice.context.setOffline(false);

    expect([...alice.violations, ...bob.violations, ...root.violations]).toEqual([]);
  } finally {
    for (const person of [alice, bob, root]) await person.context.close();
  }
});
