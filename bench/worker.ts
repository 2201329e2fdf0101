// A load-generator process: holds thousands of socket.io-client connections, sends on a fixed
// schedule, and keeps what each client received. Commands come from the orchestrator over IPC
// (bench/pool.ts); several may run at once (a drop during traffic), so each has its own id.

import { randomUUID } from 'node:crypto';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { addForward, isHeld, type Thread as HeldRange } from '../hooks/chat-state';
import { ConversationSync, type HistoryPage, type SyncSink } from '../hooks/client/sync';
import {
  comeBackFromRefusals,
  notifyOver,
  requestOver,
  type Request,
} from '../hooks/client/transport';
import { ClientEvent, ServerEvent, type ConversationSummary, type Message } from '../protocol';
import { encodeHistogram, newHistogram, nowMicros, type Histogram } from './histogram';
import {
  KEYS_PER_WORKER,
  makeBody,
  parseBody,
  RELAY_MESSAGE,
  RELAY_SEND,
  type RelayMessage,
  type ClientSpec,
  type Command,
  type ConnectOptions,
  type HeldSummary,
  type ReadRequest,
  type Reply,
  type SenderSpec,
  type TargetKind,
  type TrafficResult,
  type WorkerReport,
} from './protocol';

const ACK_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 60_000;

interface Thread {
  id: string;
  to: string[];
  fromSeq: number;
  /**
   * Parley: the app's range (hooks/chat-state.ts) without the messages the cursor has passed:
   * only those received beyond a gap are kept, until sync fills it. Undefined until held.
   */
  held?: HeldRange;
  /** Relay: keys received (there is no seq to order or dedupe by). */
  seen: Set<number>;
  count: number;
  keySum: number;
  /**
   * Delivery is recorded up to here, as the server last said (the conversation list) or moved
   * it for our own sends; sync keeps what it reported since.
   */
  reportedSeq: number;
  /** From the conversation list, for the delivery report's delay (as the app does). */
  memberCount: number;
}

interface Client {
  spec: ClientSpec;
  socket: Socket;
  threads: Thread[];
  byId: Map<string, Thread>;
  /** Typed requests over the socket, answered by the ack or TIMEOUT. */
  request: Request;
  /** Parley: the app's cursor sync, over this client's socket, into a sink that counts. */
  sync?: ConversationSync;
  droppedAt: number;
  connectedAt: number;
  syncedAt: number;
}

const workerIndex = Number(process.env.BENCH_WORKER_INDEX ?? 0);
let nextKey = workerIndex * KEYS_PER_WORKER + 1;

let kind: TargetKind = 'parley';
let options: ConnectOptions = { sync: true, deliveryReports: true, trackLastDelivery: false };
const clients: Client[] = [];
let stats = freshStats();
/**
 * Told of each client as it finishes a sync. Each looks at that client alone: a storm brings
 * thousands of syncs, and a waiter that looked through every client at each of them cost the
 * generator a second of CPU per worker, on the cores the server needs.
 */
const syncWaiters = new Set<(client: Client) => void>();

function freshStats() {
  return {
    ack: newHistogram(),
    delivery: newHistogram(),
    extra: new Map<string, Histogram>(),
    acked: new Map<string, number[]>(),
    lastDelivery: new Map<number, number>(),
    duplicatePushes: 0,
    outOfOrderPushes: 0,
    errors: [] as string[],
    cpu: process.cpuUsage(),
  };
}

function extraHistogram(label: string): Histogram {
  let histogram = stats.extra.get(label);
  if (!histogram) {
    histogram = newHistogram();
    stats.extra.set(label, histogram);
  }
  return histogram;
}

function noteError(message: string): void {
  if (process.env.BENCH_DEBUG) console.error(`worker ${workerIndex}: ${message}`);
  if (stats.errors.length < 20) stats.errors.push(message);
}

function record(histogram: Histogram, micros: number): void {
  histogram.recordValue(Math.max(1, Math.round(micros)));
}

// ---- receiving ---------------------------------------------------------------------------

function cursorOf(thread: Thread): number {
  return thread.held?.syncedSeq ?? 0;
}

/** The sink sync fills: it keeps no messages, it counts them once each, in seq order. */
function countingSink(client: Client): SyncSink {
  const thread = (conversationId: string) => client.byId.get(conversationId);
  return {
    cursorOf: (conversationId) => thread(conversationId)?.held?.syncedSeq,
    // Unknown: sync pages until the server has no more, as it did before the list said.
    lastSeqOf: () => undefined,
    deliveredSeqOf: (conversationId) => thread(conversationId)?.reportedSeq,
    memberCountOf: (conversationId) => thread(conversationId)?.memberCount ?? 2,
    heldCursors: (max) =>
      client.threads
        .filter((thread) => thread.held)
        .slice(0, max)
        .map((thread) => ({ conversationId: thread.id, afterSeq: cursorOf(thread) })),
    acceptList: (conversations) => acceptList(client, conversations),
    holdNewest: (conversationId, page) => holdNewest(thread(conversationId), page),
    addForward: (conversationId, messages) => {
      const found = thread(conversationId);
      if (found) addMessages(client, found, messages);
    },
    whenStored: () => Promise.resolve(),
  };
}

/**
 * After every connect. A conversation not held yet (a new device) is held from its newest
 * seq on; the list leaves out conversations someone else started that nobody has written in
 * yet: those start at 0. Held ones with news are synced, and so are those whose delivery the
 * server has recorded short of what is held (a report lost with its connection), as the app
 * does: sync reports them again.
 */
function acceptList(client: Client, conversations: ConversationSummary[]): string[] {
  const listed = new Map(conversations.map((item) => [item.id, item]));
  const toSync: string[] = [];
  for (const thread of client.threads) {
    const item = listed.get(thread.id);
    if (item) thread.memberCount = item.memberCount;
    const lastSeq = item?.lastSeq ?? 0;
    if (!thread.held) {
      startHolding(thread, lastSeq);
    } else {
      if (item) thread.reportedSeq = item.deliveredSeq;
      if (lastSeq > cursorOf(thread) || thread.reportedSeq < cursorOf(thread)) {
        toSync.push(thread.id);
      }
    }
  }
  return toSync;
}

/** Holding starts at the page's newest message: what came before it is not counted. */
function holdNewest(thread: Thread | undefined, page: HistoryPage): void {
  if (!thread || thread.held) return;
  startHolding(thread, page.messages.at(-1)?.seq ?? 0);
}

/** The thread is held from after `lastSeq`: messages up to it are not counted. */
function startHolding(thread: Thread, lastSeq: number): void {
  thread.fromSeq = thread.reportedSeq = lastSeq;
  thread.held = {
    messages: [],
    oldestSeq: lastSeq + 1,
    syncedSeq: lastSeq,
    changeSeq: 0,
    isLoadingOlder: false,
  };
}

/** The app's rule (addForward) moves the cursor; each message it passes is counted once. */
function addMessages(client: Client, thread: Thread, incoming: Message[]): void {
  const before = thread.held;
  if (!before) return;
  const after = addForward(
    before,
    incoming.filter((message) => message.seq > before.syncedSeq),
  );
  if (after === before) return;
  for (const message of after.messages) {
    if (message.seq > after.syncedSeq) break;
    countMessage(client, thread, message);
  }
  thread.held =
    after.syncedSeq === before.syncedSeq
      ? after
      : { ...after, messages: after.messages.filter((message) => message.seq > after.syncedSeq) };
}

function countMessage(client: Client, thread: Thread, message: Message): void {
  // The server moved the sender's own markers when it stored the message: no report needed.
  if (message.senderId === client.spec.id)
    thread.reportedSeq = Math.max(thread.reportedSeq, message.seq);
  const parsed = parseBody(message.body);
  if (parsed) countReceived(client, thread, parsed.key, parsed.dueMicros, message.senderId);
}

function countReceived(
  client: Client,
  thread: Thread,
  key: number,
  dueMicros: number,
  senderId: string,
): void {
  thread.count += 1;
  thread.keySum += key;
  if (senderId === client.spec.id) return;
  const latency = nowMicros() - dueMicros;
  record(stats.delivery, latency);
  if (options.trackLastDelivery) {
    stats.lastDelivery.set(key, Math.max(stats.lastDelivery.get(key) ?? 0, latency));
  }
}

/** A push. Gaps and duplicates are counted here; sync does what the app does with them. */
function receiveParley(client: Client, message: Message): void {
  const thread = client.byId.get(message.conversationId);
  if (!thread?.held || !client.sync) return;
  if (message.seq <= thread.held.syncedSeq || isHeld(thread.held.messages, message)) {
    stats.duplicatePushes += 1;
    return;
  }
  // Something lies between: sync holds this one and fetches the gap, as the app does.
  if (message.seq !== thread.held.syncedSeq + 1) stats.outOfOrderPushes += 1;
  client.sync.receive(message);
}

/** The sender holds its own message from the ack (once held: before, pushes are ignored too). */
function receiveOwn(client: Client, message: Message): void {
  if (client.byId.get(message.conversationId)?.held) client.sync?.receive(message);
}

function receiveOwnRelayed(client: Client, thread: Thread, key: number, dueMicros: number): void {
  if (thread.seen.has(key)) return;
  thread.seen.add(key);
  countReceived(client, thread, key, dueMicros, client.spec.id);
}

function receiveRelay(client: Client, message: RelayMessage): void {
  const thread = client.byId.get(message.conversationId);
  const parsed = parseBody(message.body);
  if (!thread || !parsed) return;
  if (thread.seen.has(parsed.key)) {
    stats.duplicatePushes += 1;
    return;
  }
  thread.seen.add(parsed.key);
  countReceived(client, thread, parsed.key, parsed.dueMicros, message.from);
}

/** The same requests; every refusal or timeout is noted as an error. */
function noting(request: Request): Request {
  return async (event, payload) => {
    const response = await request(event, payload);
    if (!response.ok) noteError(`${event}: ${response.message}`);
    return response;
  };
}

function onConnected(client: Client): void {
  const connectedAt = nowMicros();
  client.connectedAt = connectedAt;
  if (client.droppedAt) record(extraHistogram('reconnect'), connectedAt - client.droppedAt);
  const finish = () => {
    client.syncedAt = nowMicros();
    if (client.droppedAt) record(extraHistogram('resync'), client.syncedAt - client.droppedAt);
    for (const wake of syncWaiters) wake(client);
  };
  if (!client.sync || !options.sync) {
    finish();
    return;
  }
  // Only a complete sync counts; a failed request was noted, and the next connect retries.
  void client.sync.syncAll().then((isComplete) => {
    if (isComplete) finish();
  });
}

// ---- connecting --------------------------------------------------------------------------

function createClient(spec: ClientSpec, localAddress: string): Client {
  // The WebSocket transport passes localAddress on to the ws library (not in the types).
  const socketOptions: Partial<ManagerOptions & SocketOptions> & { localAddress: string } = {
    transports: ['websocket'],
    autoConnect: false,
    // Like the app: reconnect with exponential backoff and jitter.
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 30_000,
    randomizationFactor: 0.5,
    localAddress,
    ...(kind === 'parley'
      ? { extraHeaders: { cookie: spec.cookie ?? '' } }
      : { auth: { room: spec.id, rooms: spec.rooms ?? [] } }),
  };
  const socket = io(spec.url, socketOptions);
  const threads = spec.conversations.map<Thread>((conversation) => ({
    id: conversation.id,
    to: conversation.to ?? [],
    fromSeq: 0,
    seen: new Set(),
    count: 0,
    keySum: 0,
    reportedSeq: 0,
    memberCount: 2,
  }));
  const client: Client = {
    spec,
    socket,
    threads,
    byId: new Map(threads.map((thread) => [thread.id, thread])),
    request: requestOver(socket, ACK_TIMEOUT_MS),
    droppedAt: 0,
    connectedAt: 0,
    syncedAt: 0,
  };
  if (kind === 'parley') {
    client.sync = new ConversationSync({
      request: noting(client.request),
      notify: notifyOver(socket),
      isConnected: () => socket.connected,
      sink: countingSink(client),
      reportsDelivery: options.deliveryReports,
    });
    socket.on(ServerEvent.SessionReady, () => onConnected(client));
    socket.on(ServerEvent.MessageCreated, (message: Message) => receiveParley(client, message));
    socket.on(ServerEvent.SyncRequired, () => onConnected(client));
    // Once connected, a client comes back as the app's do from what socket.io never retries;
    // before that the bench counts a refusal as a failure (connectAll).
    comeBackFromRefusals(socket, {
      isWanted: () => client.connectedAt > 0,
      onUnauthenticated: () => {},
      onRetrying: () => {},
    });
  } else {
    socket.on('connect', () => onConnected(client));
    socket.on(RELAY_MESSAGE, (message: RelayMessage) => receiveRelay(client, message));
  }
  return client;
}

async function connectAll(
  command: Extract<Command, { type: 'connect' }>,
): Promise<Extract<Reply, { type: 'connected' }>> {
  kind = command.kind;
  options = command.options;
  const created = command.clients.map((spec) => createClient(spec, command.localAddress));
  clients.push(...created);
  let failed = 0;
  let firstError: string | undefined;
  const queue = [...created];
  // The clients being connected, each with what ends its wait once it has synced.
  const connecting = new Map<Client, () => void>();
  const onSynced = (client: Client) => connecting.get(client)?.();
  syncWaiters.add(onSynced);
  const connectOne = (client: Client) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => done('timed out'), CONNECT_TIMEOUT_MS);
      const onError = (error: Error) => {
        // The manager retries by itself; a refused session will not change, so give up.
        const code = (error as Error & { data?: { code?: string } }).data?.code;
        if (code) done(`${code}: ${error.message}`);
      };
      function done(problem?: string) {
        clearTimeout(timer);
        connecting.delete(client);
        client.socket.off('connect_error', onError);
        if (problem) {
          failed += 1;
          firstError ??= problem;
          client.socket.disconnect();
        }
        resolve();
      }
      connecting.set(client, () => done());
      client.socket.on('connect_error', onError);
      client.socket.connect();
    });
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, command.concurrency) }, async () => {
        for (let client = queue.shift(); client; client = queue.shift()) await connectOne(client);
      }),
    );
  } finally {
    syncWaiters.delete(onSynced);
  }
  return {
    type: 'connected',
    connected: created.length - failed,
    failed,
    ...(firstError ? { firstError } : {}),
  };
}

// ---- the open-loop schedule ---------------------------------------------------------------

/**
 * Calls `fire(index, dueMicros)` for `total` events evenly spaced from `startAtMicros`, never
 * waiting for earlier ones to finish. Returns the worst lag behind the schedule (ms).
 */
function runSchedule(
  ratePerSecond: number,
  durationMs: number,
  startAtMicros: number,
  fire: (index: number, dueMicros: number) => void,
): Promise<number> {
  const total = Math.floor((ratePerSecond * durationMs) / 1000);
  const intervalMicros = 1e6 / ratePerSecond;
  let index = 0;
  let maxLagMicros = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const now = nowMicros();
      if (index < total && startAtMicros + index * intervalMicros <= now) {
        maxLagMicros = Math.max(maxLagMicros, now - (startAtMicros + index * intervalMicros));
      }
      while (index < total && startAtMicros + index * intervalMicros <= now) {
        fire(index, Math.round(startAtMicros + index * intervalMicros));
        index += 1;
      }
      if (index < total) setTimeout(tick, 1);
      else resolve(maxLagMicros / 1000);
    };
    if (total === 0) resolve(0);
    else setTimeout(tick, Math.max(0, (startAtMicros - nowMicros()) / 1000));
  });
}

async function runTraffic(command: Extract<Command, { type: 'traffic' }>): Promise<TrafficResult> {
  const result: TrafficResult = {
    sent: 0,
    acked: 0,
    failed: 0,
    skipped: 0,
    maxLagMs: 0,
    ackedPerConversation: {},
  };
  const outstanding = new Set<Promise<void>>();
  const fail = (message: string) => {
    result.failed += 1;
    result.firstError ??= message;
  };
  result.maxLagMs = await runSchedule(
    command.ratePerSecond,
    command.durationMs,
    command.startAtMicros,
    (index, dueMicros) => {
      const sender: SenderSpec = command.senders[index % command.senders.length]!;
      const client = clients[sender.client]!;
      const thread = client.threads[sender.conversation]!;
      if (!client.socket.connected) {
        result.skipped += 1;
        return;
      }
      const key = nextKey++;
      const body = makeBody(key, dueMicros, command.bodyBytes);
      result.sent += 1;
      const acked = new Promise<void>((resolve) => {
        const onAck = (
          error: Error | null,
          response?: { ok: boolean; message?: string | Message },
        ) => {
          record(stats.ack, nowMicros() - dueMicros);
          if (error) fail(error.message);
          else if (!response?.ok) fail(String(response?.message));
          else {
            result.acked += 1;
            result.ackedPerConversation[thread.id] =
              (result.ackedPerConversation[thread.id] ?? 0) + 1;
            const seq = kind === 'parley' ? (response.message as Message).seq : 0;
            // Neither server echoes a send to the socket it came from: the ack stands for it.
            if (kind === 'parley') receiveOwn(client, response.message as Message);
            else receiveOwnRelayed(client, thread, key, dueMicros);
            let list = stats.acked.get(thread.id);
            if (!list) stats.acked.set(thread.id, (list = []));
            list.push(key, seq);
          }
          resolve();
        };
        if (kind === 'parley') {
          client.socket
            .timeout(ACK_TIMEOUT_MS)
            .emit(
              ClientEvent.MessageSend,
              { conversationId: thread.id, clientMsgId: randomUUID(), body },
              onAck,
            );
        } else {
          client.socket
            .timeout(ACK_TIMEOUT_MS)
            .emit(RELAY_SEND, { conversationId: thread.id, to: thread.to, body }, onAck);
        }
      });
      outstanding.add(acked);
      void acked.then(() => outstanding.delete(acked));
    },
  );
  await Promise.all(outstanding);
  return result;
}

async function runHistory(
  command: Extract<Command, { type: 'history' }>,
): Promise<Extract<Reply, { type: 'history-done' }>> {
  let sent = 0;
  let failed = 0;
  let firstError: string | undefined;
  const outstanding: Promise<void>[] = [];
  const maxLagMs = await runSchedule(
    command.ratePerSecond,
    command.durationMs,
    command.startAtMicros,
    (index, dueMicros) => {
      const item = command.requests[index % command.requests.length]!;
      sent += 1;
      outstanding.push(
        read(clients[item.client]!, item).then((problem) => {
          if (problem === null) record(extraHistogram(item.label), nowMicros() - dueMicros);
          else {
            failed += 1;
            firstError ??= `${item.label}: ${problem}`;
          }
        }),
      );
    },
  );
  await Promise.all(outstanding);
  return { type: 'history-done', sent, failed, maxLagMs, ...(firstError ? { firstError } : {}) };
}

/** One read of the history scenario; what was wrong with its answer, or null. */
async function read(client: Client, item: ReadRequest): Promise<string | null> {
  if (item.kind === 'page') {
    const page = await client.request(ClientEvent.MessageHistory, {
      conversationId: item.conversationId,
      limit: 50,
      ...(item.beforeSeq === undefined ? {} : { beforeSeq: item.beforeSeq }),
    });
    if (!page.ok) return page.message;
    return page.messages.length === 50 ? null : `a page of ${page.messages.length} messages`;
  }
  if (item.kind === 'people') {
    const people = await client.request(ClientEvent.PeopleSearch, { query: item.query });
    if (!people.ok) return people.message;
    return people.people.length > 0 ? null : `nobody found for “${item.query}”`;
  }
  const found = await client.request(ClientEvent.MessageSearch, {
    query: item.query,
    ...(item.conversationId === undefined ? {} : { conversationId: item.conversationId }),
  });
  if (item.expect === 'too-broad') {
    return !found.ok && found.code === 'SEARCH_TOO_BROAD' ? null : 'not refused as too broad';
  }
  if (!found.ok) return found.message;
  return found.results.length > 0 ? null : `nothing found for “${item.query}”`;
}

/**
 * A hostile reader: conversation:list over and over from each of `clients`, `inFlight` at a
 * time each, asked again the moment one is answered, refusals or not, until the time is up.
 */
async function runFlood(
  command: Extract<Command, { type: 'flood' }>,
): Promise<Extract<Reply, { type: 'flood-done' }>> {
  const until = performance.now() + command.durationMs;
  const counts = { answered: 0, refused: 0, unanswered: 0 };
  const ask = (client: Client): Promise<void> =>
    new Promise<void>((resolve) => {
      client.socket
        .timeout(ACK_TIMEOUT_MS)
        .emit(
          ClientEvent.ConversationList,
          {},
          (error: Error | null, response?: { ok: boolean }) => {
            if (error) counts.unanswered += 1;
            else if (response?.ok) counts.answered += 1;
            else counts.refused += 1;
            resolve();
          },
        );
    }).then(() => (performance.now() < until && client.socket.connected ? ask(client) : undefined));
  await Promise.all(
    command.clients.flatMap((index) =>
      Array.from({ length: command.inFlight }, () => ask(clients[index]!)),
    ),
  );
  return { type: 'flood-done', ...counts };
}

// ---- drops, waits and reports ------------------------------------------------------------

function dropAll(): Extract<Reply, { type: 'dropped' }> {
  const at = nowMicros();
  let count = 0;
  for (const client of clients) {
    if (!client.socket.connected) continue;
    client.droppedAt = at;
    client.syncedAt = 0;
    // The connection breaks without a goodbye; the manager reconnects with its backoff.
    client.socket.io.engine.close();
    count += 1;
  }
  return { type: 'dropped', at, count };
}

function waitSynced(
  command: Extract<Command, { type: 'wait-synced' }>,
): Promise<Extract<Reply, { type: 'synced' }>> {
  const summary = (): Extract<Reply, { type: 'synced' }> => {
    let pending = 0;
    let lastConnectedAt = 0;
    let lastSyncedAt = 0;
    for (const client of clients) {
      if (client.syncedAt < command.sinceMicros) pending += 1;
      lastConnectedAt = Math.max(lastConnectedAt, client.connectedAt);
      lastSyncedAt = Math.max(lastSyncedAt, client.syncedAt);
    }
    return { type: 'synced', lastConnectedAt, lastSyncedAt, pending };
  };
  return new Promise((resolve) => {
    const pending = new Set(clients.filter((client) => client.syncedAt < command.sinceMicros));
    const check = (client: Client) => {
      if (client.syncedAt >= command.sinceMicros) pending.delete(client);
      if (pending.size === 0) finish(summary());
    };
    const timer = setTimeout(() => finish(summary()), command.timeoutMs);
    function finish(reply: Extract<Reply, { type: 'synced' }>) {
      clearTimeout(timer);
      syncWaiters.delete(check);
      resolve(reply);
    }
    if (pending.size === 0) {
      finish(summary());
      return;
    }
    syncWaiters.add(check);
  });
}

/**
 * Waits until every client holds its conversations up to the target (Parley: that seq;
 * relay: that many messages) with no sync, gap or delivery report under way, or the time is
 * up. Returns how many client conversations fell short.
 */
async function settle(command: Extract<Command, { type: 'settle' }>): Promise<number> {
  const deadline = Date.now() + command.timeoutMs;
  const isShort = (client: Client, thread: Thread) => {
    const target = command.targets[thread.id] ?? 0;
    const reached = kind === 'parley' ? cursorOf(thread) : thread.count;
    return (
      reached < target ||
      (thread.held?.messages.length ?? 0) > 0 ||
      (client.sync?.isBusy(thread.id) ?? false)
    );
  };
  for (;;) {
    const short = clients.reduce(
      (total, client) => total + client.threads.filter((thread) => isShort(client, thread)).length,
      0,
    );
    if (short === 0 || Date.now() > deadline) return short;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function report(reset: boolean): WorkerReport {
  const cpu = process.cpuUsage(stats.cpu);
  const held: HeldSummary[] = clients.flatMap((client) =>
    client.threads.map((thread) => ({
      conversationId: thread.id,
      fromSeq: thread.fromSeq,
      cursor: cursorOf(thread),
      count: thread.count,
      keySum: thread.keySum,
    })),
  );
  const result: WorkerReport = {
    ack: encodeHistogram(stats.ack),
    delivery: encodeHistogram(stats.delivery),
    extra: Object.fromEntries(
      [...stats.extra].map(([label, histogram]) => [label, encodeHistogram(histogram)]),
    ),
    acked: Object.fromEntries(stats.acked),
    held,
    duplicatePushes: stats.duplicatePushes,
    outOfOrderPushes: stats.outOfOrderPushes,
    lastDelivery: Object.fromEntries(stats.lastDelivery),
    connected: clients.filter((client) => client.socket.connected).length,
    cpuMicros: cpu.user + cpu.system,
    errors: stats.errors,
  };
  if (reset) {
    stats = freshStats();
    for (const client of clients) {
      for (const thread of client.threads) {
        thread.fromSeq = cursorOf(thread);
        thread.count = 0;
        thread.keySum = 0;
        thread.seen.clear();
      }
    }
  }
  return result;
}

async function closeAll(): Promise<void> {
  for (const client of clients) {
    client.sync?.stop();
    client.socket.disconnect();
  }
}

async function handle(command: Command): Promise<Reply> {
  switch (command.type) {
    case 'connect':
      return connectAll(command);
    case 'traffic':
      return { type: 'traffic-done', result: await runTraffic(command) };
    case 'drop':
      return dropAll();
    case 'wait-synced':
      return waitSynced(command);
    case 'settle':
      return { type: 'settled', pending: await settle(command) };
    case 'history':
      return runHistory(command);
    case 'flood':
      return runFlood(command);
    case 'report':
      return { type: 'report', report: report(command.reset) };
    case 'close':
      await closeAll();
      return { type: 'closed' };
  }
}

process.on('message', (envelope: { id: number; command: Command }) => {
  handle(envelope.command).then(
    (reply) => process.send?.({ id: envelope.id, reply }),
    (error: Error) =>
      process.send?.({
        id: envelope.id,
        reply: { type: 'error', message: error.stack ?? error.message },
      }),
  );
});
process.on('disconnect', () => process.exit(0));
