// What the browser benchmark runs inside the phone's page, through page.evaluate: the clocks
// start and stop in the page, so Playwright's round trips are not in the figures. Playwright
// sends each function as its source text, so each one uses nothing from outside itself (not
// even a constant of this file), and its types are all it shares with the benchmark.

/**
 * tsx (esbuild) wraps inner functions in a helper `__name(fn, "name")`, which the page does
 * not have: the benchmark's browser context defines it, as this do-nothing, before any script.
 */
export const NAME_HELPER_SCRIPT = 'globalThis.__name = (target) => target;';

/** What the message list holds in the DOM. */
export interface ListNodes {
  /** Rows of the virtual list (`li`): messages, day separators, the unread divider. */
  rows: number;
  /** Message bubbles (`[data-testid="message"]`). */
  messages: number;
  /** Every element inside the scroller. */
  elements: number;
}

export function countListNodes(): ListNodes {
  const scroller = document.querySelector('[data-testid="message-scroller"]');
  return {
    rows: scroller?.querySelectorAll('li').length ?? 0,
    messages: scroller?.querySelectorAll('[data-testid="message"]').length ?? 0,
    elements: scroller?.querySelectorAll('*').length ?? 0,
  };
}

/**
 * Resolves once the device's IndexedDB (the app's database, `parley-<user id>`) holds `count`
 * messages of the conversation, looking four times a second: the app tells nothing when a
 * write has landed. The database is opened only once the app has created it: opening one that
 * does not exist would create it empty, and the app would then not upgrade it.
 */
export function waitUntilDeviceHolds({
  userId,
  conversationId,
  count,
  timeoutMs,
}: {
  userId: string;
  conversationId: string;
  count: number;
  timeoutMs: number;
}): Promise<void> {
  const name = `parley-${userId}`;
  const countHeld = async (): Promise<number> => {
    if (!(await indexedDB.databases()).some((database) => database.name === name)) return 0;
    return new Promise<number>((resolve, reject) => {
      const opened = indexedDB.open(name);
      opened.onerror = () => reject(opened.error ?? new Error(`${name} did not open`));
      opened.onsuccess = () => {
        const db = opened.result;
        if (!db.objectStoreNames.contains('messages')) {
          db.close();
          resolve(0);
          return;
        }
        const counted = db
          .transaction('messages')
          .objectStore('messages')
          .index('byConversation')
          .count(IDBKeyRange.bound([conversationId, 0], [conversationId, Number.MAX_SAFE_INTEGER]));
        counted.onsuccess = () => {
          db.close();
          resolve(counted.result);
        };
        counted.onerror = () => {
          db.close();
          reject(counted.error ?? new Error('the count failed'));
        };
      };
    });
  };
  const startedAt = performance.now();
  return new Promise<void>((resolve, reject) => {
    const look = () => {
      countHeld().then((held) => {
        if (held >= count) resolve();
        else if (performance.now() - startedAt > timeoutMs)
          reject(new Error(`the device holds ${held} of ${count} messages`));
        else setTimeout(look, 250);
      }, reject);
    };
    look();
  });
}

/**
 * Chromium's Long Animation Frame entry (a frame over 50 ms) as its toJSON() gives it, the
 * fields the report reads: where the frame's time went. Times are the page's performance.now().
 */
export interface RawLongAnimationFrame {
  startTime: number;
  duration: number;
  /** When the frame's own style and layout began; 0 when it had none. */
  styleAndLayoutStart: number;
  scripts: {
    duration: number;
    invoker: string;
    /** The function and the file: the app's chunk, or empty for the benchmark's own code. */
    sourceFunctionName: string;
    sourceURL: string;
    forcedStyleAndLayoutDuration: number;
  }[];
}

/** One opening of the chat, timed from the click on its row in the list. */
export interface Opening extends ListNodes {
  /** Until the frame that shows the newest message's body was handed to the compositor. */
  visibleMs: number;
  /** Until the body was laid out in view (the start of that frame's paint). */
  inLayoutMs: number;
  /** Animation frames from the click until then. */
  frames: number;
  /** What the list showed, each time it changed, frame by frame from the click. */
  trace: string[];
  clickedAt: number;
  /** The long frames from the click until then. */
  longAnimationFrames: RawLongAnimationFrame[];
}

/**
 * Starts watching, before the tap, for the newest message's body to lie within the scroller's
 * box; `awaitOpening` then gives the result. The clock starts at the click event's own time
 * stamp. Checked once a frame, in requestAnimationFrame (after the frame's scripts, before its
 * layout is painted); a message posted from there is handled once that frame has been
 * rendered, which is when it counts as visible.
 */
export function watchOpening({ lastSeq, timeoutMs }: { lastSeq: number; timeoutMs: number }): void {
  const page = window as unknown as { parleyOpening?: Promise<Opening> };
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ type: 'long-animation-frame', buffered: false });
  page.parleyOpening = new Promise<Opening>((resolve, reject) => {
    let clickedAt: number | undefined;
    let frames = 0;
    const trace: string[] = [];
    document.addEventListener(
      'click',
      (event) => {
        clickedAt = event.timeStamp;
      },
      { capture: true, once: true },
    );
    const watchedAt = performance.now();
    const check = () => {
      const scroller = document.querySelector('[data-testid="message-scroller"]');
      const body = scroller?.querySelector(
        `[data-testid="message"][data-seq="${lastSeq}"] [data-testid="message-body"]`,
      );
      if (clickedAt !== undefined) {
        frames++;
        const state = !scroller
          ? 'no list'
          : `${scroller.querySelectorAll('li').length} rows${body ? ', the newest rendered' : ''}`;
        if (!trace.at(-1)?.endsWith(`: ${state}`)) {
          trace.push(`${Math.round(performance.now() - clickedAt)} ms: ${state}`);
        }
      }
      if (clickedAt !== undefined && scroller && body) {
        const view = scroller.getBoundingClientRect();
        const box = body.getBoundingClientRect();
        if (box.height > 0 && box.top >= view.top - 1 && box.bottom <= view.bottom + 1) {
          const startedAt = clickedAt;
          const inLayoutMs = performance.now() - startedAt;
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            const visibleMs = performance.now() - startedAt;
            entries.push(...observer.takeRecords());
            observer.disconnect();
            resolve({
              visibleMs,
              inLayoutMs,
              frames,
              trace,
              clickedAt: startedAt,
              rows: scroller.querySelectorAll('li').length,
              messages: scroller.querySelectorAll('[data-testid="message"]').length,
              elements: scroller.querySelectorAll('*').length,
              longAnimationFrames: entries
                .filter((entry) => entry.startTime + entry.duration > startedAt)
                .map((entry) => entry.toJSON() as RawLongAnimationFrame),
            });
          };
          channel.port2.postMessage(null);
          return;
        }
      }
      if (performance.now() - watchedAt > timeoutMs) {
        observer.disconnect();
        reject(new Error(`the newest message (seq ${lastSeq}) was not on screen in time`));
        return;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

export function awaitOpening(): Promise<Opening> {
  const page = window as unknown as { parleyOpening?: Promise<Opening> };
  return page.parleyOpening ?? Promise.reject(new Error('watchOpening was not called'));
}

/** A frame of the scroll that missed at least one refresh, and the list after it. */
export interface SlowFrame {
  /** When it ended, from the start of the scroll. */
  atMs: number;
  frameMs: number;
  /** Rows in the DOM in the frame before it and after it. */
  rowsBefore: number;
  rowsAfter: number;
  /** The oldest message rendered after it. */
  oldestSeq: number | null;
  /** The list's top edge said it was loading older messages (from the device). */
  isLoadingOlder: boolean;
}

export interface ScrollRun {
  /** The target message came into view before the time ran out. */
  isReached: boolean;
  /** The page's performance.now() at the first frame. */
  startedAt: number;
  totalMs: number;
  /** The time between one animation frame and the next, each frame. */
  frameMs: number[];
  maxNodes: ListNodes;
  /** The DOM when the scroll ended. */
  endNodes: ListNodes;
  /** Frames over `slowFrameMs`. */
  slowFrames: SlowFrame[];
  longAnimationFrames: RawLongAnimationFrame[];
}

/**
 * Scrolls the message list up by `stepPx` every animation frame, like a fast fling that does
 * not slow down, until the row of message `targetSeq` is in view; older pages come from the
 * device as the list nears its top, as the app loads them. Records the time between frames.
 */
export function scrollUpThrough({
  targetSeq,
  stepPx,
  slowFrameMs,
  timeoutMs,
}: {
  targetSeq: number;
  stepPx: number;
  slowFrameMs: number;
  timeoutMs: number;
}): Promise<ScrollRun> {
  const scroller = document.querySelector<HTMLElement>('[data-testid="message-scroller"]');
  if (!scroller) return Promise.reject(new Error('no message list on screen'));
  const count = (): ListNodes => ({
    rows: scroller.querySelectorAll('li').length,
    messages: scroller.querySelectorAll('[data-testid="message"]').length,
    elements: scroller.querySelectorAll('*').length,
  });
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ type: 'long-animation-frame', buffered: false });

  return new Promise((resolve) => {
    const frameMs: number[] = [];
    const slowFrames: SlowFrame[] = [];
    const maxNodes: ListNodes = { rows: 0, messages: 0, elements: 0 };
    let startedAt: number | undefined;
    let previousAt: number | undefined;
    let previousRows = 0;
    const finish = (isReached: boolean, endedAt: number) => {
      entries.push(...observer.takeRecords());
      observer.disconnect();
      const origin = startedAt ?? endedAt;
      resolve({
        isReached,
        startedAt: origin,
        totalMs: endedAt - origin,
        frameMs,
        maxNodes,
        endNodes: count(),
        slowFrames,
        longAnimationFrames: entries
          .filter((entry) => entry.startTime + entry.duration > origin)
          .map((entry) => entry.toJSON() as RawLongAnimationFrame),
      });
    };
    const frame = (now: number) => {
      const nodes = count();
      maxNodes.rows = Math.max(maxNodes.rows, nodes.rows);
      maxNodes.messages = Math.max(maxNodes.messages, nodes.messages);
      maxNodes.elements = Math.max(maxNodes.elements, nodes.elements);
      startedAt ??= now;
      if (previousAt !== undefined) {
        const delta = now - previousAt;
        frameMs.push(delta);
        if (delta > slowFrameMs) {
          const seqs = [...scroller.querySelectorAll('[data-testid="message"][data-seq]')].map(
            (element) => Number(element.getAttribute('data-seq')),
          );
          slowFrames.push({
            atMs: now - startedAt,
            frameMs: delta,
            rowsBefore: previousRows,
            rowsAfter: nodes.rows,
            oldestSeq: seqs.length ? Math.min(...seqs) : null,
            isLoadingOlder: scroller.textContent?.includes('Loading older messages') ?? false,
          });
        }
      }
      previousAt = now;
      previousRows = nodes.rows;
      const target = scroller.querySelector(`[data-testid="message"][data-seq="${targetSeq}"]`);
      if (target) {
        const view = scroller.getBoundingClientRect();
        const box = target.getBoundingClientRect();
        if (box.bottom > view.top && box.top < view.bottom) return finish(true, now);
      }
      if (now - startedAt > timeoutMs) return finish(false, now);
      scroller.scrollTo({ top: scroller.scrollTop - stepPx, behavior: 'instant' });
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}
