// The delivery guarantee under faults. Four people on two devices each exchange a steady
// stream of messages in all six of their conversations, through the real ChatClient (outbox,
// retries, cursor sync), while the suite kills the server with SIGKILL and restarts it,
// crashes and restarts PostgreSQL, and drops client connections in the middle of sends.
// Afterwards the checker compares what was acked, what every device holds and what is stored.

import { afterAll, beforeAll, expect, it } from 'vitest';
import postgres from 'postgres';
import { ChatClient } from '../../hooks/chat-client';
import { MemoryDeviceStore } from '../../hooks/device-store';
import type { Message, UserSummary } from '../../protocol';
import { call, connect, cookieFrom, PASSWORD, postJson, signUp } from '../helpers/client';
import { freePort } from '../helpers/ports';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster';
import { makeTempDir, startServer, type TestServer } from '../helpers/server';
import { findViolations, type AckedMessage, type ComposedMessage, type StoredRow } from './checker';

const PEOPLE = 4;
const DEVICES_PER_PERSON = 2;
/** Each device composes a message this often while traffic runs. */
const COMPOSE_EVERY_MS = 100;
/** Every this many compositions, the composing device loses its connection right after. */
const DROP_EVERY = 25;

interface Device {
  name: string;
  user: UserSummary;
  client: ChatClient;
  conversationIds: string[];
}

let cluster: PostgresCluster;
let server: TestServer;
let port: number;
const dataDir = makeTempDir();
const devices: Device[] = [];
const composed: ComposedMessage[] = [];
const acked = new Map<string, AckedMessage>();
const ackWaiters: { count: number; resolve: () => void }[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster();
  port = await freePort();
  server = await startServer({ databaseUrl: cluster.url, port, dataDir });
}, 120_000);

afterAll(async () => {
  for (const device of devices) device.client.stop();
  await server?.stop();
  cluster?.destroy();
});

function recordAck(message: Message): void {
  acked.set(message.clientMsgId, {
    clientMsgId: message.clientMsgId,
    id: message.id,
    seq: message.seq,
    conversationId: message.conversationId,
  });
  for (const waiter of [...ackWaiters]) {
    if (acked.size >= waiter.count) {
      ackWaiters.splice(ackWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

/** Resolves once `count` distinct messages have been acked: faults follow progress, not clocks. */
function acksReach(count: number): Promise<void> {
  if (acked.size >= count) return Promise.resolve();
  return new Promise((resolve) => ackWaiters.push({ count, resolve }));
}

/** Resolves when `condition` holds for every device, re-checking on every state change. */
function everyDevice(
  condition: (device: Device) => boolean,
  describe: () => string,
  timeoutMs: number,
) {
  return new Promise<void>((resolve, reject) => {
    const unsubscribers: (() => void)[] = [];
    const done = () => {
      clearTimeout(timer);
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
    const check = () => {
      if (devices.every(condition)) {
        done();
        resolve();
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for devices: ${describe()}`));
    }, timeoutMs);
    for (const device of devices) unsubscribers.push(device.client.subscribe(check));
    check();
  });
}

async function signInDevice(username: string): Promise<string> {
  const response = await postJson(server.url, '/api/auth/sign-in', {
    username,
    password: PASSWORD,
  });
  return cookieFrom(response.setCookie);
}

it('keeps every acked message exactly once, in order, on every device, through crashes and drops', async () => {
  // People, their conversations (every pair), and their devices.
  const people = await Promise.all(Array.from({ length: PEOPLE }, () => signUp(server.url, 'p')));
  const conversationsOf = new Map(people.map((person) => [person.user.id, [] as string[]]));
  const starter = await connect(server.url, people[0]!);
  for (let a = 0; a < PEOPLE; a++) {
    const from = a === 0 ? starter : await connect(server.url, people[a]!);
    for (let b = a + 1; b < PEOPLE; b++) {
      const started = await call(from.socket, 'conversation:start', {
        username: people[b]!.user.username,
      });
      if (!started.ok) throw new Error(started.message);
      conversationsOf.get(people[a]!.user.id)!.push(started.conversation.id);
      conversationsOf.get(people[b]!.user.id)!.push(started.conversation.id);
    }
    from.socket.close();
  }
  for (const person of people) {
    for (let index = 0; index < DEVICES_PER_PERSON; index++) {
      const cookie = await signInDevice(person.user.username);
      const client = new ChatClient(person.user, {
        url: server.url,
        store: new MemoryDeviceStore(),
        socketOptions: {
          transports: ['websocket'],
          extraHeaders: { cookie },
          // Shorter than in browsers, to keep the suite short; the shape is the same.
          reconnectionDelay: 200,
          reconnectionDelayMax: 2_000,
        },
        onAcknowledged: recordAck,
      });
      devices.push({
        name: `${person.user.username}/device-${index + 1}`,
        user: person.user,
        client,
        conversationIds: conversationsOf.get(person.user.id)!,
      });
      await client.start();
    }
  }

  // Every conversation gets a first message, and every device holds it from the beginning.
  const compose = (device: Device, conversationId: string) => {
    const body = `${device.name} #${composed.length + 1}`;
    const result = device.client.sendMessage(conversationId, body);
    if (!result.ok) throw new Error(result.message);
    composed.push({
      clientMsgId: result.clientMsgId,
      conversationId,
      senderId: device.user.id,
      body,
    });
  };
  for (const device of devices.filter((_, index) => index % DEVICES_PER_PERSON === 0)) {
    for (const conversationId of device.conversationIds) {
      if (!composed.some((message) => message.conversationId === conversationId)) {
        compose(device, conversationId);
      }
    }
  }
  await everyDevice(
    (device) =>
      device.conversationIds.every(
        (id) => (device.client.getState().threads[id]?.syncedSeq ?? 0) >= 1,
      ),
    () => 'first messages',
    30_000,
  );

  // Steady traffic, open loop: each device composes on its own schedule, whatever happens.
  let compositions = 0;
  const traffic = devices.map((device) =>
    setInterval(() => {
      const conversationId =
        device.conversationIds[Math.floor(Math.random() * device.conversationIds.length)]!;
      compose(device, conversationId);
      // (c) The connection drops while this send is in flight: after the frame has left,
      // before or after the server committed it, at random.
      if (++compositions % DROP_EVERY === 0) {
        setTimeout(() => device.client.dropConnection(), Math.random() * 20);
      }
    }, COMPOSE_EVERY_MS),
  );

  try {
    // (a) The server dies by SIGKILL mid-traffic and comes back on the same port.
    await acksReach(acked.size + 300);
    await server.kill();
    server = await startServer({ databaseUrl: cluster.url, port, dataDir });

    // (b) PostgreSQL crashes (immediate shutdown, recovery at start) and comes back.
    await acksReach(acked.size + 300);
    await cluster.crashAndRestart();

    await acksReach(acked.size + 300);
  } finally {
    for (const timer of traffic) clearInterval(timer);
  }

  // Every outbox drains: every message composed is eventually acked.
  await everyDevice(
    (device) => device.client.getState().pending.length === 0,
    () => devices.map((d) => `${d.name}: ${d.client.getState().pending.length} pending`).join(', '),
    120_000,
  );

  // Nothing is written any more; every device catches up with what is stored.
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  const rows = await sql<StoredRow[]>`
    select id::int as id, conversation_id as "conversationId", seq, sender_id as "senderId",
           client_msg_id as "clientMsgId", body
    from messages order by conversation_id, seq`;
  await sql.end();
  const lastSeq = new Map<string, number>();
  for (const row of rows)
    lastSeq.set(row.conversationId, Math.max(lastSeq.get(row.conversationId) ?? 0, row.seq));
  await everyDevice(
    (device) =>
      device.conversationIds.every(
        (id) => (device.client.getState().threads[id]?.syncedSeq ?? 0) >= (lastSeq.get(id) ?? 0),
      ),
    () =>
      devices
        .map(
          (d) =>
            `${d.name}: ${d.conversationIds.map((id) => `${d.client.getState().threads[id]?.syncedSeq}/${lastSeq.get(id)}`).join(' ')}`,
        )
        .join('; '),
    60_000,
  );

  const violations = findViolations({
    database: [...rows],
    composed,
    acked: [...acked.values()],
    devices: devices.map((device) => {
      const state = device.client.getState();
      return {
        name: device.name,
        conversationIds: device.conversationIds,
        pendingCount: state.pending.length,
        held: Object.fromEntries(
          Object.entries(state.threads).map(([id, thread]) => [
            id,
            thread.messages.map(({ id: messageId, seq, clientMsgId }) => ({
              id: messageId,
              seq,
              clientMsgId,
            })),
          ]),
        ),
      };
    }),
  });
  expect(violations).toEqual([]);
  expect(rows.length).toBe(composed.length);
  expect(acked.size).toBe(composed.length);
  console.info(
    `fault suite: ${composed.length} messages in ${lastSeq.size} conversations on ${devices.length} devices, all delivered once, in order`,
  );
}, 300_000);
