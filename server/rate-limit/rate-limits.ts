// Rate limits, with rate-limiter-flexible. Counters live in this node's memory, or in Redis when
// the node has REDIS_URL, so that a limit holds for a person however their sockets are spread
// over the nodes. A Redis outage never turns into errors for people: a Redis call is not even
// tried while the connection is down, one that takes longer than REDIS_TIMEOUT_MS is given up,
// and either way the same limit is counted in this node's memory instead (the library's
// insurance limiter) until Redis is back. Keys that are over their limit are also blocked in
// memory, so a flood costs Redis nothing more until its window ends.
//
// The limits come from the settings (protocol/settings.ts). When an admin changes them (on any
// node: each node reloads its SettingsStore), the limiters are built again before the next use.
//
// Concurrent connections are counted in each node's own memory, never in Redis: a node that
// dies would leave its counts behind in Redis and lock people out. Behind nginx, which sends
// every address to one node, the per-address count is the whole cluster's anyway.

import type { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import {
  ErrorCode,
  RATE_LIMIT_SETTINGS,
  type RateLimitSetting,
  type Settings,
} from '../../protocol';
import type { SettingsStore } from '../chat/settings';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { addressKey } from '../http/client-address';
import { safeError, type Logger } from '../logger';
import type { Metrics } from '../metrics';
import { WorkBudget } from './work-budget';

/** Every limiter, as named in logs and in the `limiter` label of parley_rate_limited_total. */
export type LimiterName =
  | 'message'
  | 'typing'
  | 'conversation'
  | 'group'
  | 'search'
  | 'export'
  | 'report'
  | 'work'
  | 'in-flight'
  | 'sign-up'
  | 'sign-in-address'
  | 'sign-in-account'
  | 'sockets-user'
  | 'sockets-address';

/** The limiters that socket events consume, one point per event, counted per user. */
export type EventLimiterName = 'message' | 'typing' | 'conversation' | 'group' | 'search';

/** Who reached a limit, for the log line (never a message body, password or token). */
type Subject = { userId: string } | { address: string };

/**
 * A socket answered RATE_LIMITED this many times within the window is cut off (see
 * server/realtime/event-gate.ts).
 */
export const ABUSE_REJECTIONS = 50;
export const ABUSE_WINDOW_SECONDS = 10;
/**
 * What an event refused for too many in flight on its socket is told to wait: the answers it
 * waits for usually come within milliseconds, and a client that waits this long is no flood.
 */
const IN_FLIGHT_RETRY_AFTER_MS = 500;
/** After the free failures, each failed sign-in waits 1 s, doubling, up to this. */
const SIGN_IN_DELAY_MAX_SECONDS = 15 * 60;
/** Failures in a row are forgotten at a successful sign-in, or a day after the first one. */
const SIGN_IN_FAILURES_KEPT_SECONDS = 24 * 60 * 60;
/** The burst reserve of the message limiter refills this long after its first use. */
const MESSAGE_BURST_WINDOW_SECONDS = 60;
const REDIS_TIMEOUT_MS = 300;
/** "Download my data" per user an hour (fixed: it is not a setting). */
const EXPORTS_PER_HOUR = 3;
/**
 * Reports (report:create) per user an hour (fixed: not a setting). Each is a row admins read,
 * so a few a day is what honest people send; this stops a flood of the admins' list.
 */
export const REPORTS_PER_HOUR = 20;
/** What a connection refused for too many open ones is told to wait before trying again. */
const SOCKET_RETRY_AFTER_MS = 15_000;
/** At most one log line per limiter and subject per window, and LOG_BUDGET lines in all. */
const LOG_WINDOW_SECONDS = 10;
const LOG_BUDGET = 50;

interface SettingsLimiters {
  message: BurstyRateLimiter;
  typing: RateLimiterAbstract;
  conversation: RateLimiterAbstract;
  group: RateLimiterAbstract;
  search: RateLimiterAbstract;
  signUp: RateLimiterAbstract;
  signInAddress: RateLimiterAbstract;
}

export interface RateLimitDeps {
  settings: SettingsStore;
  logger: Logger;
  metrics: Metrics;
  /** Where the work budget reads the time. */
  clock: Clock;
  /** The node's Redis connection for commands; the counters stay in memory without it. */
  redis?: Redis | undefined;
}

export class RateLimits {
  private built: { from: Settings; limiters: SettingsLimiters } | undefined;
  /** Failed sign-ins in a row, per account and address. */
  private readonly signInFailures: RateLimiterAbstract;
  /** The growing wait after them, per account and address (set with block()). */
  private readonly signInDelay: RateLimiterAbstract;
  private readonly socketsPerUser = new OpenCounts();
  private readonly socketsPerAddress = new OpenCounts();
  private readonly work: WorkBudget;
  /** Exports per user: each reads all the user's messages, so a few an hour. */
  private readonly exports: RateLimiterAbstract;
  /** Reports per user (REPORTS_PER_HOUR). */
  private readonly reports: RateLimiterAbstract;
  private readonly logPerSubject = new RateLimiterMemory({
    points: 1,
    duration: LOG_WINDOW_SECONDS,
  });
  private readonly logOverall = new RateLimiterMemory({
    points: LOG_BUDGET,
    duration: LOG_WINDOW_SECONDS,
  });

  constructor(private readonly deps: RateLimitDeps) {
    this.signInFailures = this.store(
      'sign-in-failures',
      1_000_000_000,
      SIGN_IN_FAILURES_KEPT_SECONDS,
    );
    this.signInDelay = this.store('sign-in-delay', 1, SIGN_IN_FAILURES_KEPT_SECONDS);
    this.work = new WorkBudget(deps);
    this.exports = this.store('export', EXPORTS_PER_HOUR, 3_600);
    this.reports = this.store('report', REPORTS_PER_HOUR, 3_600);
    this.limiters();
  }

  /**
   * One socket event of a user (or `points` of them: a forward counts each copy as a message);
   * throws RATE_LIMITED when they are over the limit.
   */
  async consumeEvent(name: EventLimiterName, userId: string, points = 1): Promise<void> {
    await this.take(name, this.limiters()[name], userId, { userId }, points);
  }

  /** One "download my data" of the user; throws RATE_LIMITED beyond EXPORTS_PER_HOUR. */
  async consumeExport(userId: string): Promise<void> {
    await this.take('export', this.exports, userId, { userId }, 1);
  }

  /** One report:create of the user, refused or not; throws RATE_LIMITED beyond REPORTS_PER_HOUR. */
  async consumeReport(userId: string): Promise<void> {
    await this.take('report', this.reports, userId, { userId }, 1);
  }

  /**
   * Spends `cost` points of the user's work budget (see work-budget.ts); throws RATE_LIMITED,
   * spending nothing, when the budget does not hold them. Synchronous: it runs before anything
   * else an event does.
   */
  spendWork(userId: string, cost: number): void {
    const waitMs = this.work.spend(userId, cost);
    if (waitMs > 0) throw this.refuse('work', { userId }, waitMs);
  }

  /**
   * Spends `cost` points of the user's work budget if it holds them, and says whether it did:
   * for work an answer may leave out (conversation:list's catch-up pages), which is no refusal.
   */
  trySpendWork(userId: string, cost: number): boolean {
    return this.work.spend(userId, cost) === 0;
  }

  /** The error for an event beyond the events a socket may have in flight. */
  refuseInFlight(userId: string): AppError {
    return this.refuse('in-flight', { userId }, IN_FLIGHT_RETRY_AFTER_MS);
  }

  /** One sign-up attempt from an address. */
  async consumeSignUp(address: string): Promise<void> {
    const key = addressKey(address);
    await this.take('sign-up', this.limiters().signUp, key, { address: key });
  }

  /**
   * Before a password is checked: refused while the address has failed too often this hour,
   * or while this account and address wait after failures. The answer does not depend on
   * whether the account exists.
   */
  async checkSignIn(username: string, address: string): Promise<void> {
    const key = addressKey(address);
    const { signInAddress } = this.limiters();
    const [byAddress, byAccount] = await Promise.all([
      this.peek('sign-in-address', signInAddress, key),
      this.peek('sign-in-account', this.signInDelay, accountKey(username, key)),
    ]);
    if (
      byAddress &&
      byAddress.consumedPoints >= this.deps.settings.current.signInFailuresPerIpPerHour
    ) {
      throw this.refuse('sign-in-address', { address: key }, retryAfter(byAddress));
    }
    // block() sets a key to points + 1 (2) for its duration.
    if (byAccount && byAccount.consumedPoints > 1 && byAccount.msBeforeNext > 0) {
      throw this.refuse('sign-in-account', { address: key }, retryAfter(byAccount));
    }
  }

  /** A wrong password or unknown user: counts for the address, and makes the next wait longer. */
  async signInFailed(username: string, address: string): Promise<void> {
    const key = addressKey(address);
    const account = accountKey(username, key);
    await this.quietly('sign-in-address', this.limiters().signInAddress.penalty(key));
    const failures = await this.quietly('sign-in-account', this.signInFailures.penalty(account));
    const free = this.deps.settings.current.signInFailuresBeforeDelay;
    if (failures && failures.consumedPoints >= free) {
      const doublings = Math.min(30, failures.consumedPoints - free);
      const seconds = Math.min(SIGN_IN_DELAY_MAX_SECONDS, 2 ** doublings);
      await this.quietly('sign-in-account', this.signInDelay.block(account, seconds));
    }
  }

  async signInSucceeded(username: string, address: string): Promise<void> {
    const account = accountKey(username, addressKey(address));
    await Promise.all([
      this.quietly('sign-in-account', this.signInFailures.delete(account)),
      this.quietly('sign-in-account', this.signInDelay.delete(account)),
    ]);
  }

  /**
   * Holds a place for a new Engine.IO connection from this address, signed in or not (yet), or
   * throws RATE_LIMITED. Call the returned function once the connection is closed (more calls
   * do nothing).
   */
  acquireAddress(address: string): () => void {
    const key = addressKey(address);
    const limit = this.deps.settings.current.socketsPerIp;
    if (!this.socketsPerAddress.take(key, limit)) {
      throw this.refuse(
        'sockets-address',
        { address: key },
        SOCKET_RETRY_AFTER_MS,
        connectionsMessage('address', limit),
      );
    }
    return this.socketsPerAddress.holder(key);
  }

  /** Holds a place for a new socket of this user, or throws RATE_LIMITED; like acquireAddress. */
  acquireUser(userId: string): () => void {
    const limit = this.deps.settings.current.socketsPerUser;
    if (!this.socketsPerUser.take(userId, limit)) {
      throw this.refuse(
        'sockets-user',
        { userId },
        SOCKET_RETRY_AFTER_MS,
        connectionsMessage('user', limit),
      );
    }
    return this.socketsPerUser.holder(userId);
  }

  /** The limiters for the current settings, built again when the limits changed. */
  private limiters(): SettingsLimiters {
    const settings = this.deps.settings.current;
    if (this.built?.from === settings) return this.built.limiters;
    if (this.built && sameLimits(this.built.from, settings)) {
      this.built = { from: settings, limiters: this.built.limiters };
      return this.built.limiters;
    }
    const limiters: SettingsLimiters = {
      message: new BurstyRateLimiter(
        this.store('message', settings.messagesPerSecond, 1),
        this.store('message-burst', settings.messageBurst, MESSAGE_BURST_WINDOW_SECONDS),
      ),
      typing: this.store('typing', settings.typingPerMinute, 60),
      conversation: this.store('conversation', settings.conversationsPerHour, 3_600),
      group: this.store('group', settings.groupsPerHour, 3_600),
      search: this.store('search', settings.searchesPerMinute, 60),
      signUp: this.store('sign-up', settings.signUpsPerIpPerHour, 3_600),
      signInAddress: this.store('sign-in-address', settings.signInFailuresPerIpPerHour, 3_600),
    };
    if (this.built) {
      this.deps.logger.info({ event: 'rate-limit.settings-applied' }, 'rate limits changed');
    }
    this.built = { from: settings, limiters };
    return limiters;
  }

  /** A limiter in memory, or in Redis with this node's memory as insurance. */
  private store(prefix: string, points: number, duration: number): RateLimiterAbstract {
    const options = { keyPrefix: `parley:rl:${prefix}`, points, duration };
    const memory = new RateLimiterMemory(options);
    if (!this.deps.redis) return memory;
    return new RLWrapperTimeouts({
      limiter: new RateLimiterRedis({
        ...options,
        storeClient: this.deps.redis,
        // The app's connection queues commands while Redis is away; don't wait for it.
        rejectIfRedisNotReady: true,
        inMemoryBlockOnConsumed: points + 1,
        insuranceLimiter: memory,
      }),
      timeoutMs: REDIS_TIMEOUT_MS,
    });
  }

  private async take(
    name: LimiterName,
    limiter: Pick<RateLimiterAbstract, 'consume'>,
    key: string,
    subject: Subject,
    points = 1,
  ): Promise<void> {
    try {
      await limiter.consume(key, points);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        this.storeFailed(name, rejection); // let it through: never an error for people
        return;
      }
      throw this.refuse(name, subject, retryAfter(rejection));
    }
  }

  private async peek(
    name: LimiterName,
    limiter: RateLimiterAbstract,
    key: string,
  ): Promise<RateLimiterRes | null> {
    return this.quietly(name, limiter.get(key));
  }

  /** A store operation whose failure is logged and otherwise ignored. */
  private async quietly<T>(name: LimiterName, operation: Promise<T>): Promise<T | null> {
    try {
      return await operation;
    } catch (error) {
      if (error instanceof RateLimiterRes) return null;
      this.storeFailed(name, error);
      return null;
    }
  }

  private refuse(
    name: LimiterName,
    subject: Subject,
    retryAfterMs: number,
    message = describeRefusal(name, retryAfterMs),
  ): AppError {
    this.deps.metrics.rateLimited.inc({ limiter: name });
    this.throttledLog(`${name}:${'userId' in subject ? subject.userId : subject.address}`, () =>
      this.deps.logger.info(
        { event: 'rate-limit.hit', limiter: name, ...subject, retryAfterMs },
        'rate limit reached',
      ),
    );
    return new AppError(ErrorCode.RateLimited, message, { retryAfterMs });
  }

  private storeFailed(name: LimiterName, error: unknown): void {
    this.throttledLog(`store:${name}`, () =>
      this.deps.logger.error(
        { event: 'rate-limit.store-failed', limiter: name, err: safeError(error) },
        'rate limiter failed; letting the request through',
      ),
    );
  }

  /** A flood must not flood the logs: one line per key per window, and a budget overall. */
  private throttledLog(key: string, write: () => void): void {
    this.logPerSubject
      .consume(key)
      .then(() => this.logOverall.consume('all'))
      .then(write, () => undefined);
  }
}

function accountKey(username: string, address: string): string {
  return `${username}|${address}`;
}

function retryAfter(result: RateLimiterRes): number {
  return result.msBeforeNext > 0 ? Math.ceil(result.msBeforeNext) : 1_000;
}

/**
 * Connections open at once per key, in this node's memory. Synchronous, so that a place is
 * taken in the same tick the connection opens; a key back at zero is dropped.
 */
class OpenCounts {
  private readonly counts = new Map<string, number>();

  take(key: string, limit: number): boolean {
    const open = this.counts.get(key) ?? 0;
    if (open >= limit) return false;
    this.counts.set(key, open + 1);
    return true;
  }

  /** Gives the place taken for `key` back, once however often it is called. */
  holder(key: string): () => void {
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const open = (this.counts.get(key) ?? 1) - 1;
      if (open <= 0) this.counts.delete(key);
      else this.counts.set(key, open);
    };
  }
}

function sameLimits(a: Settings, b: Settings): boolean {
  return (Object.keys(RATE_LIMIT_SETTINGS) as RateLimitSetting[]).every((key) => a[key] === b[key]);
}

/** "3 seconds", "60 minutes", "2 hours": the wait, rounded up. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1_000));
  const [value, unit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds <= 3_600
        ? [Math.ceil(seconds / 60), 'minute']
        : [Math.ceil(seconds / 3_600), 'hour'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

function describeRefusal(name: LimiterName, retryAfterMs: number): string {
  const wait = describeWait(retryAfterMs);
  switch (name) {
    case 'message':
      return `You are sending messages too fast. Try again in ${wait}.`;
    case 'typing':
      return `Too many typing updates. Try again in ${wait}.`;
    case 'conversation':
      return `You have started or joined too many chats. Try again in ${wait}.`;
    case 'group':
      return `You have created too many groups. Try again in ${wait}.`;
    case 'search':
      return `You are searching too often. Try again in ${wait}.`;
    case 'export':
      return `You have downloaded your data several times this hour. Try again in ${wait}.`;
    case 'report':
      return `You have sent many reports this hour. Try again in ${wait}.`;
    case 'work':
      return `You are making requests too fast. Try again in ${wait}.`;
    case 'in-flight':
      return `Too many requests at once on this connection. Wait for the answers, then try again in ${wait}.`;
    case 'sign-up':
      return `Too many sign-ups from your network. Try again in ${wait}.`;
    case 'sign-in-address':
    case 'sign-in-account':
      return `Too many failed sign-ins. Try again in ${wait}.`;
    case 'sockets-user':
    case 'sockets-address':
      return `Too many connections. Try again in ${wait}.`;
  }
}

function connectionsMessage(per: 'user' | 'address', limit: number): string {
  return per === 'user'
    ? `Too many connections for your account: at most ${limit} at once. Close a tab or another device, then try again.`
    : `Too many connections from your network: at most ${limit} at once. Try again later.`;
}
