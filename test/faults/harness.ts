// A delivery run under faults: people with several devices each (real ChatClients with their
// outbox, retries and cursor sync) exchange a steady stream of messages, some of them replies,
// in every conversation between them and in two groups, and edit, delete (group admins
// others' messages too), react to and forward them, while the test breaks things; then every
// outbox must drain, every action end, every device catch up, and the checker compare what
// was acked, held and stored.

import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import type { Thread } from '../../hooks/chat-state';
import { ChatClient } from '../../hooks/chat-client';
import { MemoryDeviceStore } from '../../hooks/device-store';
import { heldOriginal } from '../../hooks/message-changes';
import type { Message, UserSummary } from '../../protocol';
import {
  call,
  connect,
  cookieFrom,
  PASSWORD,
  postJson,
  signUp,
  type Account,
} from '../helpers/client';
import { indexStored, type StoredHide, type StoredReaction } from './change-checker';
import { ChangeTraffic } from './change-traffic';
import type { HeldQuote } from './reference-checker';
import {
  findViolations,
  type AckedMessage,
  type ComposedMessage,
  type GroupSetUp,
  type HeldMessage,
  type StoredRow,
} from './checker';

/** The share of messages composed as replies to an earlier message of their conversation. */
const REPLY_SHARE = 0.2;

export interface Device {
  name: string;
  user: UserSummary;
  client: ChatClient;
  conversationIds: string[];
  /** The groups its person administers. */
  adminOf: string[];
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
  readonly changes = new ChangeTraffic();
  /** The groups of the run, by conversation id. */
  readonly groups: Record<string, GroupSetUp> = {};
  private readonly composedById = new Map<string, ComposedMessage>();
  private readonly ackWaiters: { count: number; resolve: () => void }[] = [];
  private traffic: ReturnType<typeof setInterval>[] = [];

  constructor(private readonly options: RunOptions) {}

  /**
   * People, a conversation between every two of them, two groups, their devices, and a first
   * message in each conversation.
   */
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
    // Each group is administered by its creator alone: everyone, created by the first person,
    // and everyone but the first, created by the last. System messages record their creation.
    const groups: [Account, Account[]][] =
      count < 3
        ? []
        : [
            [people[0]!, people.slice(1)],
            [people.at(-1)!, people.slice(1, -1)],
          ];
    for (const [creator, members] of groups) {
      const from = await connect(serverUrl, creator);
      const created = await call(from.socket, 'group:create', {
        title: `group of ${creator.user.username}`,
        usernames: members.map((member) => member.user.username),
        clientRequestId: randomUUID(),
      });
      from.socket.close();
      if (!created.ok) throw new Error(created.message);
      const { id, lastSeq } = created.conversation;
      this.groups[id] = { adminIds: [creator.user.id], lastSystemSeq: lastSeq };
      for (const person of [creator, ...members]) conversationsOf.get(person.user.id)!.push(id);
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
          adminOf: Object.keys(this.groups).filter((id) =>
            this.groups[id]!.adminIds.includes(person.user.id),
          ),
        });
        await client.start();
      }
    }
    // Every device is connected and has its list before the first messages go out: a device
    // that connected after them would find them delivered (to the person's other device) and,
    // as the app does for a conversation nobody opened on it, not hold the conversation.
    await this.everyDevice(
      (device) => {
        const state = device.client.getState();
        return state.connection === 'online' && state.isListLoaded;
      },
      () =>
        `devices online: ${this.devices
          .map((device) => `${device.name} ${device.client.getState().connection}`)
          .join('; ')}`,
      30_000,
    );
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
          (id) =>
            (device.client.getState().threads[id]?.syncedSeq ?? 0) >=
            (this.groups[id]?.lastSystemSeq ?? 0) + 1,
        ),
      // Each device, and per conversation the seq it holds up to of the one wanted.
      () =>
        `first messages: ${this.devices
          .map((device) => {
            const { threads } = device.client.getState();
            const seqs = device.conversationIds.map(
              (id) =>
                `${threads[id]?.syncedSeq ?? 'not held'}/${(this.groups[id]?.lastSystemSeq ?? 0) + 1}`,
            );
            return `${device.name} ${seqs.join(',')}`;
          })
          .join('; ')}`,
      30_000,
    );
  }

  /**
   * Steady traffic, open loop: each device composes on its own schedule whatever happens, and
   * every `changeEveryMs` edits, deletes, reacts to or forwards a recent message
   * (change-traffic.ts).
   * Every `dropEvery` compositions, and every `dropEvery` changes, the device loses its
   * connection a few milliseconds later: after the frame left, before or after the server
   * committed it, so that its retry finds it done or not.
   */
  startTraffic(options: { everyMs: number; changeEveryMs: number; dropEvery?: number }): void {
    let compositions = 0;
    let changes = 0;
    const dropSoon = (device: Device) =>
      setTimeout(() => device.client.dropConnection(), Math.random() * 20);
    this.traffic = this.devices.flatMap((device) => [
      setInterval(() => {
        const ids = device.conversationIds;
        this.compose(device, ids[Math.floor(Math.random() * ids.length)]!);
        if (options.dropEvery && ++compositions % options.dropEvery === 0) dropSoon(device);
      }, options.everyMs),
      setInterval(() => {
        if (!this.changes.act(device)) return;
        if (options.dropEvery && ++changes % options.dropEvery === 0) dropSoon(device);
      }, options.changeEveryMs),
    ]);
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
   * Stops the traffic, waits for every outbox to drain, every action to end and every device
   * to catch up with what is stored (messages and changes), and returns what the checker
   * found (empty: the guarantee held).
   */
  async finish(
    databaseUrl: string,
  ): Promise<{ violations: string[]; stored: number; replies: number; conversations: number }> {
    this.stopTraffic();
    await Promise.all([
      this.changes.settled(),
      this.everyDevice(
        (device) => device.client.getState().pending.length === 0,
        () =>
          this.devices
            .map((d) => {
              const { pending, connection } = d.client.getState();
              const statuses = pending.map(
                (item) => item.status + (item.error ? ` (${item.error})` : ''),
              );
              return `${d.name} (${connection}): ${pending.length} pending${statuses.length ? ` [${[...new Set(statuses)].join('; ')}]` : ''}`;
            })
            .join(', '),
        120_000,
      ),
    ]);
    // Nothing is written any more; every device catches up with what is stored.
    const stored = await readStored(databaseUrl, [
      ...new Set(this.devices.flatMap((device) => device.conversationIds)),
    ]);
    const { rows } = stored;
    const lastSeq = new Map<string, number>();
    for (const row of rows)
      lastSeq.set(row.conversationId, Math.max(lastSeq.get(row.conversationId) ?? 0, row.seq));
    // The newest change each person sees per conversation: their devices' change cursors must
    // reach it. Someone else's hide is never pushed to them: as the last change it may stay
    // beyond their cursor.
    const index = indexStored({ messages: rows, ...stored });
    const lastChangeSeen = (device: Device, conversationId: string) =>
      Math.max(
        0,
        ...rows
          .filter((row) => row.conversationId === conversationId)
          .map((row) => index.view(row, device.user.id).changeSeq),
      );
    const targets = new Map(
      this.devices.map((device) => [
        device,
        device.conversationIds.map((id) => ({
          id,
          seq: lastSeq.get(id) ?? 0,
          changeSeq: lastChangeSeen(device, id),
        })),
      ]),
    );
    await this.everyDevice(
      (device) =>
        targets.get(device)!.every(({ id, seq, changeSeq }) => {
          const thread = device.client.getState().threads[id];
          return (thread?.syncedSeq ?? 0) >= seq && (thread?.changeSeq ?? 0) >= changeSeq;
        }),
      () =>
        this.devices
          .map(
            (d) =>
              `${d.name}: ${targets
                .get(d)!
                .map(({ id, seq, changeSeq }) => {
                  const thread = d.client.getState().threads[id];
                  return `${thread?.syncedSeq}/${seq} changes ${thread?.changeSeq}/${changeSeq}`;
                })
                .join(', ')}`,
          )
          .join('; '),
      60_000,
    );
    const violations = findViolations({
      database: [...rows],
      composed: this.composed,
      acked: [...this.acked.values()],
      reactions: stored.reactions,
      hides: stored.hides,
      lastChangeSeqs: stored.lastChangeSeqs,
      actions: this.changes.actions,
      forwards: this.changes.forwards,
      groups: this.groups,
      devices: this.devices.map((device) => {
        const state = device.client.getState();
        return {
          name: device.name,
          userId: device.user.id,
          conversationIds: device.conversationIds,
          pendingCount: state.pending.length,
          held: Object.fromEntries(
            Object.entries(state.threads).map(([id, thread]) => [
              id,
              thread.messages.map((message) => toHeld(message, thread)),
            ]),
          ),
        };
      }),
    });
    const sent = rows.filter((row) => row.kind === 'text' && !row.isForwarded).length;
    if (sent !== this.composed.length) {
      violations.push(`${this.composed.length} messages composed, ${sent} stored`);
    }
    if (this.acked.size !== this.composed.length) {
      violations.push(`${this.composed.length} messages composed, ${this.acked.size} acked`);
    }
    return {
      violations,
      stored: rows.length,
      replies: rows.filter((row) => row.replyToSeq !== null).length,
      conversations: lastSeq.size,
    };
  }

  stop(): void {
    this.stopTraffic();
    for (const device of this.devices) device.client.stop();
  }

  private compose(device: Device, conversationId: string): void {
    const body = `${device.name} #${this.composed.length + 1}`;
    const replyToSeq =
      Math.random() < REPLY_SHARE ? this.changes.quotable(conversationId) : undefined;
    const result = device.client.sendMessage(conversationId, body, replyToSeq);
    if (!result.ok) throw new Error(result.message);
    const composed: ComposedMessage = {
      clientMsgId: result.clientMsgId,
      conversationId,
      senderId: device.user.id,
      body,
      ...(replyToSeq !== undefined && { replyToSeq }),
    };
    this.composed.push(composed);
    this.composedById.set(composed.clientMsgId, composed);
  }

  private recordAck(message: Message): void {
    // A retry may be acked again: the first ack makes it something to act on.
    if (!this.acked.has(message.clientMsgId)) {
      const composed = this.composedById.get(message.clientMsgId);
      if (composed) this.changes.noteStored({ ...composed, seq: message.seq });
    }
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

/** Every message of the conversations as stored now, with its reactions and hides. */
async function readStored(databaseUrl: string, conversationIds: string[]) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<StoredRow[]>`
      select id::int as id, conversation_id as "conversationId", seq, sender_id as "senderId",
             client_msg_id as "clientMsgId", kind, body, reply_to_seq as "replyToSeq",
             is_forwarded as "isForwarded", edited_at is not null as "isEdited",
             deleted_by as "deletedBy", change_seq as "changeSeq"
      from messages
      where conversation_id in ${sql(conversationIds)}
      order by conversation_id, seq`;
    const reactions = await sql<StoredReaction[]>`
      select r.message_id::int as "messageId", r.user_id as "userId", r.emoji
      from message_reactions r join messages m on m.id = r.message_id
      where m.conversation_id in ${sql(conversationIds)}`;
    const hides = await sql<StoredHide[]>`
      select user_id as "userId", conversation_id as "conversationId", seq,
             change_seq as "changeSeq"
      from message_hides
      where conversation_id in ${sql(conversationIds)}`;
    const counters = await sql<{ id: string; lastChangeSeq: number }[]>`
      select id, last_change_seq as "lastChangeSeq" from conversations
      where id in ${sql(conversationIds)}`;
    return {
      rows,
      reactions: [...reactions],
      hides: [...hides],
      lastChangeSeqs: Object.fromEntries(counters.map((row) => [row.id, row.lastChangeSeq])),
    };
  } finally {
    await sql.end();
  }
}

/** What the checker compares of a message a device holds. */
function toHeld(message: Message, thread: Thread): HeldMessage {
  const reactions = message.reactions ?? [];
  return {
    id: message.id,
    seq: message.seq,
    clientMsgId: message.clientMsgId,
    body: message.body,
    isEdited: message.editedAt !== undefined,
    deletedBy: message.deleted?.by.id ?? null,
    isForwarded: message.isForwarded === true,
    quote: quoteOf(message, thread),
    reactions: reactions.map((reaction) => `${reaction.user.id} ${reaction.emoji}`).sort(),
    reactionUsers: reactions.map((reaction) => reaction.user.id),
    isHidden: message.isHidden === true,
    changeSeq: message.changeSeq ?? 0,
  };
}

/**
 * A reply's quote as the message list draws it (components/message-item.tsx, quoteOf): from
 * the original as the device holds it now, else from what the reply came with.
 */
function quoteOf(message: Message, thread: Thread): HeldQuote | null {
  const quoted = message.replyTo;
  if (!quoted) return null;
  const original = heldOriginal(thread, quoted.seq);
  const isDeleted = original ? original.deleted !== undefined : quoted.isDeleted === true;
  return {
    seq: quoted.seq,
    senderId: quoted.senderId,
    isDeleted,
    body: isDeleted ? '' : (original?.body ?? quoted.body),
  };
}
