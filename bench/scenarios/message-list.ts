// Scenario 8, in the browser: a phone (Pixel 7 in headless Chromium) whose device holds a chat
// of 10,000 messages. The time from the tap on the chat until its newest message is on screen,
// the DOM the virtual list keeps, and the frame times of a fast scroll up through 1,000
// messages, older pages coming from the device's IndexedDB as the app loads them.

import { newHistogram, summarize, type LatencySummary } from '../histogram';
import {
  awaitOpening,
  countListNodes,
  scrollUpThrough,
  waitUntilDeviceHolds,
  watchOpening,
  type Opening,
} from '../browser/in-page';
import {
  MESSAGE_LIST_LIMITS,
  notesOf,
  tablesOf,
  targetsOf,
  type MessageListData,
} from '../browser/message-list-report';
import { chatItem, launchBrowser, loadChatList, newPhone, whenIdle } from '../browser/phone';
import { NEWEST_BODY, seedMessages, startBenchServer, startChat } from '../browser/seed-chat';
import type { BenchContext, ScenarioResult } from '../scenario';
import { round } from '../steps';

const FULL = { messages: 10_000, scrollThrough: 1_000, opens: 5 };
const QUICK = { messages: 300, scrollThrough: 100, opens: 2 };
/** Pixels scrolled each frame: a fast fling (about 5,000 px a second at 60 frames a second). */
const STEP_PX = 80;
/** A frame this long missed at least one refresh at 60 Hz: listed with what the list did. */
const SLOW_FRAME_MS = 25;

export async function messageList(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.quick ? QUICK : FULL;
  const timeoutMs = ctx.quick ? 60_000 : 300_000;
  const bench = await startBenchServer();
  const browser = await launchBrowser();
  try {
    const chat = await startChat(bench.server.url);
    const title = chat.writer.user.username;
    const phone = await newPhone(browser, bench.server.url, chat.reader);

    // The phone opens the chat once: from then on its device holds it, and brings it up to date
    // from its cursor whenever the app starts.
    let page = await phone.newPage();
    await loadChatList(page, { title, preview: chat.firstBody, isRead: false }, timeoutMs);
    await chatItem(page, title).tap();
    await page.getByTestId('message-body').filter({ hasText: chat.firstBody }).waitFor();
    await page.close();

    const seeded = await seedMessages(chat, size.messages - 1);
    ctx.log(`  ${size.messages} messages sent in ${round(seeded.seconds, 1)} s`);

    // The phone comes back: the app syncs every message beyond its cursor into IndexedDB.
    page = await phone.newPage();
    const syncStartedAt = performance.now();
    await page.goto('/chats');
    await page.evaluate(waitUntilDeviceHolds, {
      userId: chat.reader.user.id,
      conversationId: chat.conversationId,
      count: seeded.last.seq,
      timeoutMs,
    });
    const syncSeconds = (performance.now() - syncStartedAt) / 1000;
    ctx.log(`  the phone synced them in ${round(syncSeconds, 1)} s`);

    // Each opening from a fresh page load: the app starts from what the device holds.
    const openings: Opening[] = [];
    for (let run = 0; run < size.opens; run++) {
      await loadChatList(page, { title, preview: NEWEST_BODY, isRead: true }, timeoutMs);
      await page.evaluate(watchOpening, { lastSeq: seeded.last.seq, timeoutMs: 10_000 });
      await chatItem(page, title).tap();
      openings.push(await page.evaluate(awaitOpening));
    }
    await whenIdle(page);
    const afterOpening = await page.evaluate(countListNodes);
    ctx.log(
      `  opened in ${openings.map((opening) => Math.round(opening.visibleMs)).join(', ')} ms`,
    );

    const { frameMs, ...scroll } = await page.evaluate(scrollUpThrough, {
      targetSeq: seeded.last.seq - size.scrollThrough,
      stepPx: STEP_PX,
      slowFrameMs: SLOW_FRAME_MS,
      timeoutMs,
    });
    const frames = summarizeMs(frameMs);
    ctx.log(
      `  scrolled ${size.scrollThrough} messages in ${round(scroll.totalMs / 1000, 1)} s: frame p95 ${frames.p95Ms} ms, max ${frames.maxMs} ms`,
    );

    const data: MessageListData = {
      browser: `Chromium ${browser.version()}`,
      messages: seeded.last.seq,
      scrollThrough: size.scrollThrough,
      stepPx: STEP_PX,
      slowFrameMs: SLOW_FRAME_MS,
      seedSeconds: round(seeded.seconds, 1),
      syncSeconds: round(syncSeconds, 1),
      openings,
      opening: summarizeMs(openings.map((opening) => opening.visibleMs)),
      afterOpening,
      scroll: {
        ...scroll,
        frames,
        overLimit: frameMs.filter((ms) => ms > MESSAGE_LIST_LIMITS.frameMs).length,
      },
      frameMs: frameMs.map((ms) => round(ms, 1)),
    };
    return {
      id: 'message-list',
      title: 'Message list on a phone (browser)',
      ok: scroll.isReached,
      tables: tablesOf(data),
      targets: targetsOf(data),
      notes: notesOf(data),
      data,
    };
  } finally {
    await browser.close();
    await bench.stop();
  }
}

/** Percentiles from the HDR histogram (to 0.1%); the maximum exactly, as the target judges it. */
function summarizeMs(values: number[]): LatencySummary {
  const histogram = newHistogram();
  for (const ms of values) histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  return { ...summarize(histogram), maxMs: round(Math.max(0, ...values), 2) };
}
