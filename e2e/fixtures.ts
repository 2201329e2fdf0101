// Actors for browser tests: each is a person in a browser context of their own.

import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { call, connect, uniqueName, PASSWORD, type Account } from '../test/helpers/client';
import { writeSettings } from '../db';
import { makeDataDir, withDatabase } from '../test/helpers/database';
import { httpEndpoints } from '../protocol/http';
import { GENEROUS_LIMITS, SUITE_BASELINE } from '../test/helpers/rate-limits';
import { startProcessServer, type ProcessServer } from '../test/helpers/process-server';

export { expect };

export interface Actor {
  username: string;
  context: BrowserContext;
  page: Page;
  /** Another tab in the same browser (same cookies). */
  openTab(): Promise<Page>;
}

/** Signs up through the real form, the way a person does. */
export async function signUpInBrowser(page: Page, username: string): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByTestId('me')).toHaveText(username.toLowerCase());
}

/**
 * Signs up through the REST API in the context's own cookie jar, then opens the chats: one page
 * load instead of the form's two. The form has tests of its own (`throughForm`).
 */
async function signUpThroughApi(page: Page, baseURL: string, username: string): Promise<void> {
  const { method, path } = httpEndpoints.signUp;
  const response = await page.context().request.fetch(path, {
    method,
    headers: { origin: new URL(baseURL).origin },
    data: { username, password: PASSWORD },
  });
  expect(response.status(), await response.text()).toBe(httpEndpoints.signUp.status);
  await page.goto('/chats');
  await expect(page.getByTestId('me')).toHaveText(username.toLowerCase());
}

export interface ActorOptions {
  exactName?: boolean;
  contextOptions?: BrowserContextOptions;
  /** Sign up through the sign-up page, as a person does, rather than the API. */
  throughForm?: boolean;
  /** Runs on the new context before its first page opens (to route its requests). */
  prepare?: (context: BrowserContext) => Promise<void>;
  /** Lets the service worker install: for opening offline and for notifications. */
  serviceWorker?: boolean;
}

/**
 * A browser context on the server. The service worker is blocked unless asked for: installing it
 * precaches the whole app, which costs each new context more CPU than its first page, and only
 * the tests of opening offline and of notifications need it.
 */
export function newContext(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions & { serviceWorker?: boolean } = {},
): Promise<BrowserContext> {
  const { serviceWorker, ...contextOptions } = options;
  return browser.newContext({
    serviceWorkers: serviceWorker ? 'allow' : 'block',
    ...contextOptions,
    baseURL,
  });
}

export async function createActor(
  browser: Browser,
  baseURL: string,
  name: string,
  options: ActorOptions = {},
): Promise<Actor> {
  const context = await newContext(browser, baseURL, {
    ...options.contextOptions,
    serviceWorker: options.serviceWorker,
  });
  await options.prepare?.(context);
  const page = await context.newPage();
  const username = options.exactName ? name : uniqueName(name);
  if (options.throughForm) await signUpInBrowser(page, username);
  else await signUpThroughApi(page, baseURL, username);
  return {
    username,
    context,
    page,
    openTab: async () => {
      const tab = await context.newPage();
      await tab.goto('/chats');
      return tab;
    },
  };
}

/** The same person on another device: a fresh browser context, signed in through the form. */
export async function signInOnNewDevice(
  browser: Browser,
  baseURL: string,
  username: string,
  options: { serviceWorker?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, baseURL, options);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('me')).toHaveText(username.toLowerCase());
  return { context, page };
}

/**
 * `from` sends messages to `username` in their direct chat over a socket of its own, each after
 * the previous one's ack: for a history that typing would take a minute to write. Beyond the
 * rate limit's burst, a send goes again when the server says it may.
 */
export async function sendOverSocket(
  baseURL: string,
  from: Account,
  username: string,
  sends: { body: string; replyToSeq?: number }[],
): Promise<void> {
  const { socket } = await connect(baseURL, from, { origin: baseURL });
  try {
    const started = await call(socket, 'conversation:start', { username });
    if (!started.ok) throw new Error(started.message);
    for (const send of sends) {
      const request = {
        conversationId: started.conversation.id,
        clientMsgId: randomUUID(),
        ...send,
      };
      for (;;) {
        const sent = await call(socket, 'message:send', request);
        if (sent.ok) break;
        if (sent.code !== 'RATE_LIMITED') throw new Error(sent.message);
        await new Promise((resolve) => setTimeout(resolve, sent.retryAfterMs));
      }
    }
  } finally {
    socket.close();
  }
}

/** Creates a group from the sidebar and opens it. */
export async function createGroup(page: Page, title: string, usernames: string[]): Promise<void> {
  await page.getByRole('button', { name: 'New group' }).click();
  const form = page.getByRole('form', { name: 'New group' });
  await form.getByLabel('Group name').fill(title);
  await form.getByLabel('Members (usernames)').fill(usernames.join(', '));
  await form.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByTestId('conversation-title')).toHaveText(title);
}

/** Opens a conversation from the list by its title. */
export async function openChat(page: Page, title: string): Promise<void> {
  await page.getByTestId('conversation-item').filter({ hasText: title }).click();
  await expect(page.getByTestId('conversation-title')).toHaveText(title);
}

/** Opens (or starts) the chat with `username` from the sidebar. */
export async function startChat(page: Page, username: string): Promise<void> {
  await page.getByLabel('Start a chat with (username)').fill(username);
  await page.getByRole('button', { name: 'Chat', exact: true }).click();
  await expect(page.getByTestId('conversation-title')).toHaveText(username);
}

/**
 * `from` starts the chat with `to` and says `text`; `to` opens the same chat and sees it there,
 * so that what either sends next is ordered after it, as when people wait for an answer.
 */
export async function startChatWith(from: Actor, to: Actor, text: string): Promise<void> {
  await startChat(from.page, to.username);
  await sendMessage(from.page, text);
  await startChat(to.page, from.username);
  await expect(bodies(to.page).last()).toHaveText(text);
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

/** Opens Settings, in place of the chat list (privacy, notifications, password, sign-out). */
export async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
}

/** Chooses an action of the open conversation's "More options" menu (⋮ in its header). */
export async function chooseFromHeaderMenu(page: Page, action: string): Promise<void> {
  await page.getByRole('button', { name: 'More options' }).click();
  await page.getByTestId('header-menu').getByRole('menuitem', { name: action }).click();
}

export function messages(page: Page) {
  return page.getByTestId('message');
}

/**
 * Opens a message's menu the keyboard's way (a long press opens the same): focus, then Enter.
 * The list shows its rows only once it has placed them, and a hidden row takes no focus; nor
 * does a message not yet acked, which has no actions: so it waits for the row to be seen and to
 * take focus, and for the focus to hold, first.
 */
export async function openMessageMenuByKeyboard(page: Page, message: Locator): Promise<Locator> {
  await expect(message).toBeVisible();
  await expect(message).toHaveAttribute('tabindex', '0');
  await message.focus();
  await expect(message).toBeFocused();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Message actions' });
  await expect(menu).toBeVisible();
  return menu;
}

/** The texts of the messages on screen, exactly: for toHaveText([...]) in order. */
export function bodies(page: Page) {
  return page.getByTestId('message-body');
}

/**
 * The settings of each worker's server. Every actor of the worker signs up from 127.0.0.1: more
 * than an address may an hour. The histories that tests write over a socket (sendOverSocket, up
 * to 122 messages) go at once rather than at the default 10 a second after a burst of 30, which
 * kept a test waiting 8 s; e2e/rate-limits.spec.ts tests the limit on a server of its own.
 */
const WORKER_SERVER_SETTINGS = {
  ...SUITE_BASELINE,
  messagesPerSecond: GENEROUS_LIMITS.messagesPerSecond,
  messageBurst: GENEROUS_LIMITS.messageBurst,
};

type Fixtures = { actor: (name: string, options?: ActorOptions) => Promise<Actor> };
type WorkerFixtures = { server: ProcessServer };

export const test = base.extend<Fixtures, WorkerFixtures>({
  server: [
    async ({}, use) => {
      const dataDir = makeDataDir();
      await withDatabase({ dataDir }, (db) => writeSettings(db, WORKER_SERVER_SETTINGS));
      // A short grace period keeps presence tests quick; reloads still fit in it.
      const server = await startProcessServer({ dataDir, env: { PRESENCE_GRACE_MS: '1500' } });
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  actor: async ({ browser, server }, use) => {
    const actors: Actor[] = [];
    await use(async (name, options) => {
      const actor = await createActor(browser, server.url, name, options);
      actors.push(actor);
      return actor;
    });
    for (const actor of actors) await actor.context.close();
  },
});

/** Every violation the browser reports, from any page of the context. */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding('__reportCspViolation', (_, text: string) => {
    violations.push(text);
  });
  // Added through the DevTools protocol, so the CSP does not apply to it.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation(text: string): void })
        .__reportCspViolation;
      report(
        `${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} on ${event.documentURI}`,
      );
    });
  });
  context.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
