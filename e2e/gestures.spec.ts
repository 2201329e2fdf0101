// Gestures: on a phone a long press opens a message's menu (a finger that moves or scrolls does
// not) and a swipe from the left edge of a conversation goes back to the list (of a panel over
// it, to the conversation); on a desktop a right-click opens the same menu at the pointer.

import { devices, type CDPSession, type Locator, type Page } from '@playwright/test';
import { signUp } from '../test/helpers/client';
import { bodies, expect, messages, openChat, sendOverSocket, test } from './fixtures';

const phone = devices['Pixel 7'];

/**
 * One finger on the screen, through the DevTools protocol: page.touchscreen can only tap. Each
 * call returns once the page has had the event. Each event carries its own time stamp, which
 * the page sees as the event's timeStamp: the finger moves at the pace a test asks for, not at
 * the pace the protocol's calls happen to go (a swipe back tells a flick by its speed).
 */
class Finger {
  /** The time stamp of the last event, in seconds since the epoch. */
  private at = 0;

  private constructor(private readonly cdp: CDPSession) {}

  static async on(page: Page): Promise<Finger> {
    return new Finger(await page.context().newCDPSession(page));
  }

  private async send(
    type: 'touchStart' | 'touchMove' | 'touchEnd',
    touchPoints: { x: number; y: number }[],
  ): Promise<void> {
    await this.cdp.send('Input.dispatchTouchEvent', { type, touchPoints, timestamp: this.at });
  }

  async down(x: number, y: number): Promise<void> {
    // Never before the last gesture's events, whose stamps may run ahead of the clock.
    this.at = Math.max(Date.now() / 1000, this.at + 0.1);
    await this.send('touchStart', [{ x, y }]);
  }

  /**
   * Moves in steps of 10 px at most, as a real finger reports its way, one step every
   * `msPerStep`: by default 40 ms, a slow drag (0.25 px/ms).
   */
  async move(
    from: { x: number; y: number },
    to: { x: number; y: number },
    { msPerStep = 40 } = {},
  ): Promise<void> {
    const steps = Math.max(1, Math.ceil(Math.hypot(to.x - from.x, to.y - from.y) / 10));
    for (let step = 1; step <= steps; step++) {
      this.at += msPerStep / 1000;
      const x = from.x + ((to.x - from.x) * step) / steps;
      const y = from.y + ((to.y - from.y) * step) / steps;
      await this.send('touchMove', [{ x, y }]);
    }
  }

  async up(): Promise<void> {
    this.at += 0.016;
    await this.send('touchEnd', []);
  }
}

async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * The centre of `locator` once it stays put and is what a finger there would touch. After a
 * finger scrolls the list, the list can still move (Chromium flings on, the list renders its
 * rows again): a press at a centre read a moment too early landed on the message above, in 1
 * of 16 runs.
 */
async function settledCentreOf(locator: Locator): Promise<{ x: number; y: number }> {
  let centre = await centreOf(locator);
  await expect
    .poll(async () => {
      const previous = centre;
      centre = await centreOf(locator);
      const isStill = previous.x === centre.x && previous.y === centre.y;
      const isTouched = await locator.evaluate(
        (element, point) => element.contains(document.elementFromPoint(point.x, point.y)),
        centre,
      );
      return isStill && isTouched;
    })
    .toBe(true);
  return centre;
}

/**
 * Runs the page's paused clock past a long press, then lets React render what its timers did:
 * React schedules through MessageChannel (not faked), so a message posted after them arrives
 * after its work.
 */
async function runPastLongPress(page: Page): Promise<void> {
  await page.clock.runFor(1_000);
  for (let round = 0; round < 2; round++) {
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(null);
        }),
    );
  }
}

const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Conversations' });
const messageMenu = (page: Page) => page.getByRole('menu', { name: 'Message actions' });

test('on a phone a long press opens a message’s menu once, and a finger that moves or scrolls opens none', async ({
  actor,
  server,
}) => {
  // Timers under the test's control: that a press opens nothing is seen by running the clock
  // past the long press, not by waiting.
  const alice = await actor('alice', {
    contextOptions: phone,
    prepare: (context) => context.clock.install(),
  });
  const bob = await signUp(server.url, 'bob');
  await sendOverSocket(server.url, bob, alice.username, [
    ...Array.from({ length: 30 }, (_, index) => ({ body: `earlier ${index}` })),
    { body: 'see https://example.org/page' },
    { body: 'hold me' },
  ]);
  const page = alice.page;
  await openChat(page, bob.user.username);
  await expect(bodies(page).last()).toHaveText('hold me');
  const target = messages(page).last();
  const finger = await Finger.on(page);
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);

  // A finger that slides sideways over the message is not a press.
  const start = await centreOf(target);
  await finger.down(start.x, start.y);
  await finger.move(start, { x: start.x - 40, y: start.y });
  await runPastLongPress(page);
  expect(await messageMenu(page).count()).toBe(0);
  await finger.up();

  // Neither is one that scrolls the list.
  await finger.down(start.x, start.y);
  await finger.move(start, { x: start.x, y: start.y + 150 });
  await runPastLongPress(page);
  expect(await messageMenu(page).count()).toBe(0);
  await finger.up();

  // Held still: the menu opens beside the bubble, and lifting the finger leaves it open, with
  // no text selected.
  await target.scrollIntoViewIfNeeded();
  const still = await settledCentreOf(target);
  await finger.down(still.x, still.y);
  await page.clock.runFor(600);
  await expect(messageMenu(page)).toHaveCount(1);
  await finger.up();
  await expect(messageMenu(page)).toHaveCount(1);
  expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
  await page.clock.resume();

  await messageMenu(page).getByRole('menuitem', { name: 'Reply' }).tap();
  await expect(messageMenu(page)).toHaveCount(0);
  await expect(page.getByTestId('reply-bar')).toContainText('hold me');
});

test('on a desktop a right-click opens a message’s menu at the pointer', async ({
  actor,
  server,
}) => {
  const alice = await actor('alice');
  const bob = await signUp(server.url, 'bob');
  await sendOverSocket(server.url, bob, alice.username, [{ body: 'right-click me' }]);
  const page = alice.page;
  await openChat(page, bob.user.username);
  const target = messages(page).last();
  await target.click({ button: 'right', position: { x: 20, y: 10 } });
  const menu = messageMenu(page);
  await expect(menu).toHaveCount(1);
  await expect(menu.getByRole('menuitemcheckbox', { name: 'React with 👍' })).toBeFocused();
  const [bubble, opened] = await Promise.all([target.boundingBox(), menu.boundingBox()]);
  expect(Math.round(opened!.x)).toBe(Math.round(bubble!.x + 20));
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(target).toBeFocused();
});

test('on a phone a swipe from the left edge goes back to the list, a short slow one snaps back, a short flick goes back', async ({
  actor,
  server,
}) => {
  const alice = await actor('alice', { contextOptions: phone });
  const bob = await signUp(server.url, 'bob');
  await sendOverSocket(server.url, bob, alice.username, [{ body: 'swipe me away' }]);
  const page = alice.page;
  await openChat(page, bob.user.username);
  const view = page.getByRole('region', { name: `Chat with ${bob.user.username}` });
  const finger = await Finger.on(page);
  const y = 400;

  // From the middle of the screen a swipe is not a way back.
  await finger.down(150, y);
  await finger.move({ x: 150, y }, { x: 350, y });
  await expect(view).not.toHaveAttribute('data-swipe-back');
  await finger.up();

  // From the edge the view follows the finger, over the list; let go early, it snaps back.
  await finger.down(4, y);
  await finger.move({ x: 4, y }, { x: 104, y });
  await expect(view).toHaveAttribute('data-swipe-back', 'dragging');
  expect(await view.evaluate((element) => element.style.transform)).toBe('translateX(100px)');
  await expect(sidebar(page)).toBeVisible();
  // What slides past the edge does not make the page wider.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(
    phone.viewport.width,
  );
  await finger.up();
  await expect(view).not.toHaveAttribute('data-swipe-back');
  await expect(sidebar(page)).toBeHidden();
  await expect(page.getByTestId('conversation-title')).toHaveText(bob.user.username);

  // Over the chat's search panel, the same swipe closes the panel and leaves the chat open.
  await page.getByRole('button', { name: 'Search in chat' }).click();
  const panel = page.getByRole('complementary', { name: 'Search in chat' });
  await expect(panel).toBeVisible();
  await finger.down(4, y);
  await finger.move({ x: 4, y }, { x: 250, y });
  await expect(panel).toHaveAttribute('data-swipe-back', 'dragging');
  await expect(sidebar(page)).toBeHidden();
  await finger.up();
  await expect(panel).toBeHidden();
  await expect(page.getByTestId('conversation-title')).toHaveText(bob.user.username);

  // Further than a third of the screen: back to the list, as the header's back link does.
  await finger.down(4, y);
  await finger.move({ x: 4, y }, { x: 250, y });
  await finger.up();
  await expect(sidebar(page)).toBeVisible();
  await expect(page.getByTestId('conversation-title')).toBeHidden();
  expect(new URL(page.url()).search).toBe('');
  // The browser's back button returns to the conversation.
  await page.goBack();
  await expect(page.getByTestId('conversation-title')).toHaveText(bob.user.username);

  // A quick flick goes back from a shorter distance than a slow drag needs (1 px/ms here).
  await finger.down(4, y);
  await finger.move({ x: 4, y }, { x: 84, y }, { msPerStep: 10 });
  await finger.up();
  await expect(sidebar(page)).toBeVisible();
  await expect(page.getByTestId('conversation-title')).toBeHidden();
});
