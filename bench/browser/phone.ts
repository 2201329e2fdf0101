// The browser benchmark's phone: Debian's headless Chromium through Playwright's library (not
// its test runner), emulating a Pixel 7, signed in as the reader through the cookie jar.

import { chromium, devices, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import type { Account } from '../../test/helpers/client';
import { NAME_HELPER_SCRIPT } from './in-page';

export const PHONE = devices['Pixel 7'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * A phone signed in as `account`: its session cookie goes straight into the context's jar, as
 * if it had signed in there. The service worker is blocked, as in most browser tests: its
 * install precaches the whole app, CPU that would land in the measurements; what is measured
 * (the page's own work after a tap) does not go through it.
 */
export async function newPhone(
  browser: Browser,
  baseUrl: string,
  account: Account,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    ...PHONE,
    baseURL: baseUrl,
    serviceWorkers: 'block',
  });
  await context.addInitScript({ content: NAME_HELPER_SCRIPT });
  const separator = account.cookie.indexOf('=');
  await context.addCookies([
    {
      name: account.cookie.slice(0, separator),
      value: account.cookie.slice(separator + 1),
      url: baseUrl,
      httpOnly: true,
      sameSite: 'Strict',
    },
  ]);
  return context;
}

export function chatItem(page: Page, title: string) {
  return page.getByTestId('conversation-item').filter({ hasText: title });
}

/**
 * Loads the chat list and waits until it shows `title`'s chat with `preview` as its last
 * message (and, when `isRead`, nothing unread), and the app is online and idle: a tap then
 * measures the opening alone.
 */
export async function loadChatList(
  page: Page,
  chat: { title: string; preview: string; isRead: boolean },
  timeoutMs: number,
): Promise<void> {
  await page.goto('/chats');
  const item = chatItem(page, chat.title);
  await item.getByTestId('conversation-item-preview').filter({ hasText: chat.preview }).waitFor({
    timeout: timeoutMs,
  });
  if (chat.isRead) {
    await item.getByTestId('unread-count').waitFor({ state: 'detached', timeout: timeoutMs });
  }
  await page
    .locator('[data-testid="connection"][data-state="online"]')
    .waitFor({ state: 'attached', timeout: timeoutMs });
  await whenIdle(page);
}

/** Until the main thread has had nothing to do twice (or a second has passed each time). */
export async function whenIdle(page: Page): Promise<void> {
  for (let time = 0; time < 2; time++) {
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 1_000 })),
    );
  }
}
