// Looking and sounding like WhatsApp Web: the theme chosen in Settings, the chime of a new
// message while the tab is hidden, and the composer's emoji picker. All under the production
// CSP, with no violation reported.

import type { BrowserContext, Page } from '@playwright/test';
import { signUp, type Account } from '../test/helpers/client';
import {
  bodies,
  chooseFromHeaderMenu,
  expect,
  openChat,
  openSettings,
  sendMessage,
  sendOverSocket,
  startChat,
  test,
  watchCspViolations,
} from './fixtures';

/** 👍 as emojibase gives it: with the emoji presentation selector (U+FE0F). */
const THUMBS_UP = '👍\u{FE0F}';

/** body's background (--bg) in each theme. */
const LIGHT_BG = 'rgb(240, 242, 245)';
const DARK_BG = 'rgb(11, 20, 26)';

function backgroundOf(page: Page) {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

test('the theme chosen in Settings shows at once, before the first paint of the next load, and follows the system when asked to', async ({
  actor,
}) => {
  let violations: string[] = [];
  const alice = await actor('alice', {
    contextOptions: { colorScheme: 'light' },
    prepare: async (context) => {
      violations = await watchCspViolations(context);
      // The theme as the page's body first appears, before any of the app's scripts ran.
      await context.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (!document.body) return;
          (window as unknown as { themeAtBody?: string }).themeAtBody =
            document.documentElement.dataset.theme;
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true });
      });
    },
  });
  const { page } = alice;
  const themeColor = page.locator('meta[name="theme-color"]').first();
  expect(await backgroundOf(page)).toBe(LIGHT_BG);

  await openSettings(page);
  const theme = page.getByRole('group', { name: 'Theme' });
  await expect(theme.getByRole('radio', { name: 'System' })).toBeChecked();
  await theme.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await backgroundOf(page)).toBe(DARK_BG);
  await expect(themeColor).toHaveAttribute('content', '#111b21');

  // Kept by this browser: dark from the first paint of the next load, though the system is light.
  await page.reload();
  await expect(page.getByTestId('me')).toBeVisible();
  expect(await page.evaluate(() => (window as { themeAtBody?: string }).themeAtBody)).toBe('dark');
  expect(await backgroundOf(page)).toBe(DARK_BG);
  await openSettings(page);
  await expect(theme.getByRole('radio', { name: 'Dark' })).toBeChecked();

  await theme.getByRole('radio', { name: 'Light' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await backgroundOf(page)).toBe(LIGHT_BG);
  await expect(themeColor).toHaveAttribute('content', '#0b6e4f');

  // System: the system's dark mode, as it changes.
  await theme.getByRole('radio', { name: 'System' }).check();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => localStorage.getItem('parley:theme'))).toBeNull();
  expect(violations).toEqual([]);
});

/**
 * Lets the test hide the page as far as the app can tell (document.visibilityState), and
 * counts the oscillators the app starts: two per chime (its two notes).
 */
async function fakeVisibilityAndCountNotes(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const page = window as unknown as { notesStarted: number; setHidden(value: boolean): void };
    page.notesStarted = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) {
      page.notesStarted += 1;
      return start.apply(this, args);
    };
    let isHidden = false;
    Object.defineProperty(Document.prototype, 'visibilityState', {
      configurable: true,
      get: () => (isHidden ? 'hidden' : 'visible'),
    });
    Object.defineProperty(Document.prototype, 'hidden', {
      configurable: true,
      get: () => isHidden,
    });
    page.setHidden = (value) => {
      isHidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
}

function notesStarted(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { notesStarted: number }).notesStarted);
}

test("a message chimes while the tab is hidden, but not one's own, a muted chat's, a burst's second, or with the sound off", async ({
  actor,
  server,
}) => {
  let violations: string[] = [];
  const alice = await actor('alice', {
    prepare: async (context) => {
      violations = await watchCspViolations(context);
      await fakeVisibilityAndCountNotes(context);
    },
  });
  const { page } = alice;
  const [bob, carol] = await Promise.all([signUp(server.url, 'bob'), signUp(server.url, 'carol')]);
  const say = (from: Account, ...texts: string[]) =>
    sendOverSocket(
      server.url,
      from,
      alice.username,
      texts.map((body) => ({ body })),
    );
  const item = (name: string) => page.getByTestId('conversation-item').filter({ hasText: name });

  await say(bob, 'hello from bob');
  await say(carol, 'hello from carol');
  // Carol's chat is muted; bob's stays open. (These clicks are what lets the page make sound.)
  await openChat(page, carol.user.username);
  await chooseFromHeaderMenu(page, 'Mute notifications');
  await expect(item(carol.user.username).getByRole('img', { name: 'Muted' })).toBeVisible();
  await openChat(page, bob.user.username);

  // Each of these would chime at once (the store's subscriber plays as the message lands, before
  // it shows), and the first chime of the test is never held back by the rate limit.
  await say(bob, 'while alice looks');
  await expect(bodies(page).last()).toHaveText('while alice looks');
  expect(await notesStarted(page)).toBe(0);

  await page.evaluate(() =>
    (window as unknown as { setHidden(value: boolean): void }).setHidden(true),
  );
  await sendMessage(page, 'my own words');
  await expect(item(bob.user.username)).toContainText('my own words');
  expect(await notesStarted(page)).toBe(0);

  await say(carol, 'muted words');
  await expect(item(carol.user.username)).toContainText('muted words');
  expect(await notesStarted(page)).toBe(0);

  await openSettings(page);
  const sound = page.getByRole('switch', { name: 'Sound for new messages' });
  await expect(sound).toBeChecked();
  await sound.click();
  await expect(sound).not.toBeChecked();
  await say(bob, 'while the sound is off');
  await expect(bodies(page).last()).toHaveText('while the sound is off');
  expect(await notesStarted(page)).toBe(0);

  // On again: a burst of two chimes once.
  await sound.click();
  await expect(sound).toBeChecked();
  await say(bob, 'first', 'second');
  await expect(bodies(page).last()).toHaveText('second');
  expect(await notesStarted(page)).toBe(2);
  expect(violations).toEqual([]);
});

test('the emoji picker finds an emoji by name and puts it in at the caret, which stays in the composer', async ({
  actor,
  server,
}) => {
  let violations: string[] = [];
  const alice = await actor('alice', {
    prepare: async (context) => {
      violations = await watchCspViolations(context);
    },
  });
  const { page } = alice;
  const bob = await signUp(server.url, 'bob');
  await startChat(page, bob.user.username);
  const composer = page.getByLabel('Message', { exact: true });
  const picker = page.getByRole('dialog', { name: 'Emoji picker' });
  const emojiButton = page.getByRole('button', { name: 'Emoji', exact: true });

  // Escape, and a click elsewhere, close it.
  await emojiButton.click();
  await expect(picker.getByRole('searchbox', { name: 'Search emoji' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();
  await expect(composer).toBeFocused();
  await emojiButton.click();
  await expect(picker).toBeVisible();
  await page.getByTestId('conversation-title').click();
  await expect(picker).toBeHidden();

  // Between two words, at the caret.
  await composer.fill('Nice work');
  await composer.press('End');
  for (let step = 0; step < ' work'.length; step += 1) await composer.press('ArrowLeft');
  await emojiButton.click();
  await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('thumbs');
  await picker.getByRole('gridcell', { name: 'Thumbs up', exact: true }).click();
  await expect(picker).toBeHidden();
  await expect(composer).toHaveValue(`Nice${THUMBS_UP} work`);
  await expect(composer).toBeFocused();
  await page.keyboard.type('!');
  await expect(composer).toHaveValue(`Nice${THUMBS_UP}! work`);

  await composer.press('Enter');
  await expect(bodies(page)).toHaveText([`Nice${THUMBS_UP}! work`]);
  expect(violations).toEqual([]);
});

test('the emoji picker fits a 360 px phone', async ({ actor, server }) => {
  const alice = await actor('alice', {
    contextOptions: { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true },
  });
  const { page } = alice;
  const bob = await signUp(server.url, 'bob');
  await startChat(page, bob.user.username);
  await page.getByRole('button', { name: 'Emoji', exact: true }).click();
  const picker = page.getByRole('dialog', { name: 'Emoji picker' });
  await expect(picker.getByRole('gridcell').first()).toBeVisible();
  const box = await picker.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(360);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
