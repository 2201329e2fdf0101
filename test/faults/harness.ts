// A delivery run under faults: people with several devices each (real ChatClients with their
// outbox, retries and cursor sync) exchange a steady stream of messages in every conversation
// between them while the test breaks things; then every outbox must drain, every device catch
// up, and the checker compare what was acked, held and stored.

import postgres from 'postgres';
import { ChatClient } from '../../hooks/chat-client';
import { MemoryDeviceStore } from '../../hooks/device-store';
import type { Message, UserSummary } from '../../protocol';
import { call, connect, cookieFrom, PASSWORD, postJson, signUp } from '../helpers/client';
import { findViolations, type AckedMessage, type ComposedMessage, type StoredRow } from './checker';

export interface Device {
  name: string;
  user: UserSummary;
  client: ChatClient;
  conversationIds: string[];
}

export interface RunOptions {
  /** Where sign-up and conversation starts go. */
  serverUrl: string;
  people: number;
  devicesPerPerson: number;
  /** Where device `index` connects, and with which extra socket options (e.g. a source address). */
  deviceUrl: (index: number) => string;
  deviceSocketOptions?: (index: number) => Record<string, unknown>;
}

export class DeliveryRun {
  readonly devices: Device[] = [];
  readonly composed: ComposedMessage[] = [];
  readonly acked = new Map<string, AckedMessage>();
  private readonly ackWaiters: { count: number; resolve: () => void }[] = [];
  private traffic: ReturnType<typeof setInterval>[] = [];

  constructor(private readonly options: RunOptions) {}

  /** People, a conversation between every two of them, their devices, and a first message each. */
  async setUp(): Promise<void> {
    const { serverUrl, people: count, devicesPerPerson } = this.options;
    const people = await Promise.all(Array.from({ length: count }, () => signUp(serverUrl, 'p')));
    const conversationsOf = new Map(people.map((person) => [person.user.id, [] as string[]]));
    for (let a = 0; a < count; a++) {
      const from = await connect(serverUrl, people[a]!);
      for (let b = a + 1; b < count; b++) {
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
      for (let index = 0; index < devicesPerPerson; index++) {
        const deviceIndex = this.devices.length;
        const signedIn = await postJson(serverUrl, '/api/auth/sign-in', {
          username: person.user.username,
          password: PASSWORD,
        });
        const client = new ChatClient(person.user, {
          url: this.options.deviceUrl(deviceIndex),
          store: new MemoryDeviceStore(),
          socketOptions: {
            transports: ['websocket'],
            extraHeaders: { cookie: cookieFrom(signedIn.setCookie) },
            // Shorter than in browsers, to keep the suite short; the shape is the same.
            reconnectionDelay: 200,
            reconnectionDelayMax: 2_000,
            ...this.options.deviceSocketOptions?.(deviceIndex),
          },
          onAcknowledged: (message) => this.recordAck(message),
        });
        this.devices.push({
          name: `${person.user.username}/device-${index + 1}`,
          user: person.user,
          client,
          conversationIds: conversationsOf.get(person.user.id)!,
        });
        await client.start();
      }
    }
    // Every conversation gets a first message, and every device holds it from the beginning.
    for (const device of this.devices.filter((_, index) => index % devicesPerPerson === 0)) {
      for (const conversationId of device.conversationIds) {
        if (!this.composed.some((message) => message.conversationId === conversationId)) {
          this.compose(device, conversationId);
        }
      }
    }
    await this.everyDevice(
      (device) =>
        device.conversationIds.every(
          (id) => (device.client.getState().threads[id]?.syncedSeq ?? 0) >= 1,
        ),
      () => 'first messages',
      30_000,
    );
  }

  /**
   * Steady traffic, open loop: each device composes on its own schedule whatever happens.
   * Every `dropEvery` compositions, the composing device loses its connection a few
   * milliseconds later: after the frame left, before or after the server committed it.
   */
  startTraffic(options: { everyMs: number; dropEvery?: number }): void {
    let compositions = 0;
    this.traffic = this.devices.map((device) =>
      setInterval(() => {
        const ids = device.conversationIds;
        this.compose(device, ids[Math.floor(Math.random() * ids.length)]!);
        if (options.dropEvery && ++compositions % options.dropEvery === 0) {
          setTimeout(() => device.client.dropConnection(), Math.random() * 20);
        }
      }, options.everyMs),
    );
  }

  stopTraffic(): void {
    for (const timer of this.traffic) clearInterval(timer);
    this.traffic = [];
  }

  /** Resolves once `count` more distinct messages have been acked: faults follow progress. */
  moreAcks(count: number): Promise<void> {
    const target = this.acked.size + count;
    return new Promise((resolve) => {
      this.ackWaiters.push({ count: target, resolve });
      this.wakeAckWaiters();
    });
  }

  /**
   * Stops the traffic, waits for every outbox to drain and every device to catch up with
   * what is stored, and returns what the checker found (empty: the guarantee held).
   */
  async finish(
    databaseUrl: string,
  ): Promise<{ violations: string[]; stored: number; conversations: number }> {
    this.stopTraffic();
    await this.everyDevice(
      (device) => device.client.getState().pending.length === 0,
      () =>
        this.devices
          .map((d) => `${d.name}: ${d.client.getState().pending.length} pending`)
          .join(', '),
      120_000,
    );
    // Nothing is written any more; every device catches up with what is stored.
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const rows = await sql<StoredRow[]>`
      select id::int as id, conversation_id as "conversationId", seq, sender_id as "senderId",
             client_msg_id as "clientMsgId", body
      from messages
      where conversation_id in ${sql([...new Set(this.devices.flatMap((device) => device.conversationIds))])}
      order by conversation_id, seq`;
    await sql.end();
    const lastSeq = new Map<string, number>();
    for (const row of rows)
      lastSeq.set(row.conversationId, Math.max(lastSeq.get(row.conversationId) ?? 0, row.seq));
    await this.everyDevice(
      (device) =>
        device.conversationIds.every(
          (id) => (device.client.getState().threads[id]?.syncedSeq ?? 0) >= (lastSeq.get(id) ?? 0),
        ),
      () =>
        this.devices
          .map(
            (d) =>
              `${d.name}: ${d.conversationIds.map((id) => `${d.client.getState().threads[id]?.syncedSeq}/${lastSeq.get(id)}`).join(' ')}`,
          )
          .join('; '),
      60_000,
    );
    const violations = findViolations({
      database: [...rows],
      composed: this.composed,
      acked: [...this.acked.values()],
      devices: this.devices.map((device) => {
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
    if (rows.length !== this.composed.length) {
      violations.push(`${this.composed.length} messages composed, ${rows.length} stored`);
    }
    if (this.acked.size !== this.composed.length) {
      violations.push(`${this.composed.length} messages composed, ${this.acked.size} acked`);
    }
    return { violations, stored: rows.length, conversations: lastSeq.size };
  }

  stop(): void {
    this.stopTraffic();
    for (const device of this.devices) device.client.stop();
  }

  private compose(device: Device, conversationId: string): void {
    const body = `${device.name} #${this.composed.length + 1}`;
    const result = device.client.sendMessage(conversationId, body);
    if (!result.ok) throw new Error(result.message);
    this.composed.push({
      clientMsgId: result.clientMsgId,
      conversationId,
      senderId: device.user.id,
      body,
    });
  }

  private recordAck(message: Message): void {
    this.acked.set(message.clientMsgId, {
      clientMsgId: message.clientMsgId,
      id: message.id,
      seq: message.seq,
      conversationId: message.conversationId,
    });
    this.wakeAckWaiters();
  }

  private wakeAckWaiters(): void {
    for (const waiter of [...this.ackWaiters]) {
      if (this.acked.size >= waiter.count) {
        this.ackWaiters.splice(this.ackWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves when `condition` holds for every device, re-checking on every state change. */
  private everyDevice(
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
        if (this.devices.every(condition)) {
          done();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for devices: ${describe()}`));
      }, timeoutMs);
      for (const device of this.devices) unsubscribers.push(device.client.subscribe(check));
      check();
    });
  }
}
