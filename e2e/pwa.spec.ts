// Parley on a phone: the installable app, one pane at a time, usable offline; and a device store
// written by the previous version of the app, opened by this one.

import { randomUUID } from 'node:crypto';
import { chromium, devices, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { call, connect, nextEvent, signUp, uniqueName } from '../test/helpers/client';
import { makeTempDir } from '../test/helpers/paths';
import {
  bodies,
  createActor,
  createGroup,
  expect,
  messages,
  newContext,
  openChat,
  sendMessage,
  signUpInBrowser,
  test,
} from './fixtures';

const phone = devices['Pixel 7'];

const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Conversations' });

/**
 * Every visible control is at least 44 × 44 px, the size of a fingertip. The controls are found
 * and measured in one step in the page: a locator's query and its evaluation are two, and a
 * control that leaves the page between them (the jump-to-latest button as the list settles)
 * would be measured detached, at 0 × 0.
 */
async function expectTouchTargets(page: Page) {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('button, a, input, textarea')]
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      // Visible as Playwright's :visible means it: rendered, not hidden, with a non-empty box.
      .filter(
        ({ element, box }) =>
          element.checkVisibility({ visibilityProperty: true }) && box.width > 0 && box.height > 0,
      )
      .filter(({ box }) => box.width < 44 || box.height < 44)
      .map(
        ({ element, box }) =>
          `${element.outerHTML.slice(0, 80)} ${Math.round(box.width)}×${Math.round(box.height)}`,
      ),
  );
  expect(small).toEqual([]);
}

test('the whole flow on a phone: sign up, make a group, chat, go back', async ({
  browser,
  server,
}) => {
  const [alice, bob, carol] = await Promise.all(
    ['alice', 'bob', 'carol'].map((name) =>
      createActor(browser, server.url, name, { contextOptions: phone }),
    ),
  );
  try {
    await expect(sidebar(alice!.page)).toBeVisible();
    await expectTouchTargets(alice!.page);

    await createGroup(alice!.page, 'Pocket', [bob!.username, carol!.username]);
    // One pane at a time: the conversation replaces the list.
    await expect(sidebar(alice!.page)).toBeHidden();
    await sendMessage(alice!.page, 'Sent from a phone');
    await expectTouchTargets(alice!.page);

    for (const person of [bob!, carol!]) {
      await openChat(person.page, 'Pocket');
      await expect(sidebar(person.page)).toBeHidden();
      await expect(bodies(person.page)).toHaveText(['Sent from a phone']);
    }
    await sendMessage(bob!.page, 'Got it');
    await expect(bodies(alice!.page)).toHaveText(['Sent from a phone', 'Got it']);

    // The browser's back button goes from the conversation to the list.
    await alice!.page.goBack();
    await expect(sidebar(alice!.page)).toBeVisible();
    await expect(alice!.page.getByTestId('conversation-title')).toBeHidden();
    await alice!.page.goForward();
    await expect(alice!.page.getByTestId('conversation-title')).toHaveText('Pocket');
  } finally {
    for (const person of [alice, bob, carol]) await person?.context.close();
  }
});

test('is installable: manifest served, service worker in control, no installability errors', async ({
  server,
}) => {
  // A real profile: Chromium never offers installation in an off-the-record context.
  const context = await chromium.launchPersistentContext(makeTempDir('parley-profile-'), {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    baseURL: server.url,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await signUpInBrowser(page, uniqueName('alice'));
    const manifest = await (await page.request.get('/manifest.webmanifest')).json();
    expect(manifest).toMatchObject({
      name: 'Parley',
      short_name: 'Parley',
      display: 'standalone',
      start_url: '/chats',
    });
    expect(
      manifest.icons.map(
        (icon: { sizes: string; purpose?: string }) => `${icon.sizes} ${icon.purpose}`,
      ),
    ).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of manifest.icons as { src: string }[]) {
      const response = await page.request.get(icon.src);
      expect(response.headers()['content-type']).toBe('image/png');
    }
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: unknown[];
    };
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('opens without a network, with the conversations and history on the device', async ({
  browser,
  server,
}) => {
  const alice = await createActor(browser, server.url, 'alice', {
    contextOptions: phone,
    serviceWorker: true,
  });
  const bob = (await signUp(server.url, 'bob')).user;
  try {
    await createGroup(alice.page, 'Offline', [bob.username]);
    await sendMessage(alice.page, 'kept on the phone');
    await expect(messages(alice.page).last().getByTestId('message-status')).not.toHaveAttribute(
      'aria-label',
      'Not sent yet',
    );
    await alice.page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await alice.context.setOffline(true);
    await alice.page.goto('/chats');
    await expect(sidebar(alice.page)).toBeVisible();
    await expect(alice.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
    await expect(alice.page.getByTestId('conversation-item')).toHaveText([/Offline/]);
    await openChat(alice.page, 'Offline');
    await expect(bodies(alice.page)).toHaveText(['kept on the phone']);
  } finally {
    await alice.context.close();
  }
});

test('a device store written by the previous version opens with all it held, then catches up', async ({
  browser,
  server,
}) => {
  const alice = await signUp(server.url, 'alice');
  const bob = await signUp(server.url, 'bob');
  const bobSocket = (await connect(server.url, bob, { origin: server.url })).socket;
  const aliceSocket = (await connect(server.url, alice, { origin: server.url })).socket;
  const context = await newContext(browser, server.url);
  try {
    const started = await call(bobSocket, 'conversation:start', { username: alice.user.username });
    if (!started.ok) throw new Error(started.message);
    const conversationId = started.conversation.id;
    for (const body of ['first', 'second']) {
      const sent = await call(bobSocket, 'message:send', {
        conversationId,
        clientMsgId: randomUUID(),
        body,
      });
      if (!sent.ok) throw new Error(sent.message);
    }
    // What version 2 of the device store held of it: the summary, the thread's cursor, its
    // messages, an unsent message and a draft, each in the shape of the time (no change
    // counters, no membership, no reply fields).
    const listed = await call(aliceSocket, 'conversation:list', {});
    const history = await call(aliceSocket, 'message:history', { conversationId });
    if (!listed.ok || !history.ok) throw new Error('could not read what alice has');
    const {
      lastChangeSeq: _change,
      membership: _membership,
      ...summary
    } = listed.conversations[0]!;
    const v2 = {
      origin: new URL(server.url).origin,
      name: `parley-${alice.user.id}`,
      summary,
      cursor: { conversationId, oldestSeq: 1, syncedSeq: 2 },
      messages: history.messages.map(
        ({ id, seq, senderId, senderUsername, clientMsgId, kind, body, createdAt }) => ({
          id,
          conversationId,
          seq,
          senderId,
          senderUsername,
          clientMsgId,
          kind,
          body,
          createdAt,
        }),
      ),
      pending: {
        clientMsgId: randomUUID(),
        conversationId,
        body: 'written before the update',
        createdAt: new Date().toISOString(),
        order: 1,
        status: 'sending',
      },
      draft: { conversationId, text: 'half a thought' },
    };
    aliceSocket.close();
    // Meanwhile bob deleted the first message and wrote a third.
    const deleted = await call(bobSocket, 'message:delete', {
      conversationId,
      seq: 1,
      for: 'everyone',
    });
    expect(deleted.ok).toBe(true);
    const third = await call(bobSocket, 'message:send', {
      conversationId,
      clientMsgId: randomUUID(),
      body: 'third',
    });
    expect(third.ok).toBe(true);

    // The database exists before the app opens it; the server stays out of reach until the
    // page has shown what the device holds.
    await context.addInitScript((stored) => {
      if (location.origin !== stored.origin) return;
      const request = indexedDB.open(stored.name, 2);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore('conversations', { keyPath: 'id' }).put(stored.summary);
        db.createObjectStore('threads', { keyPath: 'conversationId' }).put(stored.cursor);
        const messages = db.createObjectStore('messages', { keyPath: 'id' });
        messages.createIndex('byConversation', ['conversationId', 'seq']);
        for (const message of stored.messages) messages.put(message);
        db.createObjectStore('outbox', { keyPath: 'clientMsgId' }).put(stored.pending);
        db.createObjectStore('drafts', { keyPath: 'conversationId' }).put(stored.draft);
      };
      request.onsuccess = () => request.result.close();
    }, v2);
    let isServerReachable = false;
    await context.routeWebSocket(/\/socket\.io\//, (route) => {
      if (isServerReachable) route.connectToServer();
      else void route.close();
    });
    await context.route('**/socket.io/**', (route) =>
      isServerReachable ? route.continue() : route.abort(),
    );
    const [name, value] = alice.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    await page.goto('/chats');

    const item = page.getByTestId('conversation-item');
    await expect(item).toHaveText([new RegExp(`${bob.user.username}.*Draft: half a thought`)]);
    await openChat(page, bob.user.username);
    await expect(bodies(page)).toHaveText(['first', 'second', 'written before the update']);
    await expect(page.getByLabel('Message', { exact: true })).toHaveValue('half a thought');
    await expect(page.getByTestId('connection')).not.toHaveAttribute('data-state', 'online');

    // Online: the unsent message goes out, the deletion (a change the old store knew nothing
    // of: its change cursor starts at 0) and the third message come in.
    const bobGets = nextEvent(
      bobSocket,
      'message:created',
      (message) => message.body === 'written before the update',
    );
    isServerReachable = true;
    await context.setOffline(true);
    await context.setOffline(false);
    await bobGets;
    await expect(bodies(page)).toHaveText(['second', 'third', 'written before the update']);
    await expect(messages(page).first().getByTestId('message-deleted')).toBeVisible();
    await expect(messages(page).last().getByTestId('message-status')).not.toHaveAttribute(
      'aria-label',
      'Not sent yet',
    );
  } finally {
    bobSocket.close();
    aliceSocket.close();
    await context.close();
  }
});
