// Hostile input, beyond refusals.test.ts: frames the transport refuses, packets Socket.IO cannot
// parse, reserved and prototype-named events, pollution attempts, smuggled fields, crafted
// cursors, replays, oversized headers and broken REST bodies.
//
// Every case checks four things: the attacker gets a clear answer (an ack { ok: false, code,
// message }, an HTTP status with a JSON error, or for a broken transport frame the close of that
// one connection); nothing was stored; the server is still up; and another pair of
// people, connected all along, still exchange a message (`expectStillServing`).
//
// "Nothing stored" is checked twice. On PostgreSQL, each case compares a snapshot of the tables
// taken right before and after the attack. On both databases, the last test stops the server and
// audits the database: every text message is one this file knowingly stored, by the sender that
// stored it, seqs have no gaps, and there are exactly as many users as were signed up. (PGlite
// belongs to the server while it runs, so there the per-case checks go through the API.)

import { randomUUID } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HTTP_MAX_BODY_BYTES,
  MESSAGE_MAX_CODE_POINTS,
  PASSWORD_MAX_LENGTH,
  SOCKET_MAX_FRAME_BYTES,
  USERNAME_RULE,
  countCodePoints,
  type Message,
} from '../../protocol';
import {
  call,
  callRaw,
  cookieFrom,
  nextEvent,
  PASSWORD,
  postJson,
  uniqueName,
} from '../helpers/client';
import type { TestDatabase } from '../helpers/database';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { openRawSocket, tryHandshake } from '../helpers/raw-socket';
import { openTab, pair, person, send, setupSuite, type Person } from '../helpers/suite';

// The bystanders send after every attack, more than one person's message rate allows when the
// cases run fast; what this file tests is the attacks, so its people may send freely.
const suite = setupSuite({
  settings: {
    messagesPerSecond: GENEROUS_LIMITS.messagesPerSecond,
    messageBurst: GENEROUS_LIMITS.messageBurst,
  },
});

// ---------------------------------------------------------------------------------------------
// What this file knowingly stored, for the final audit.

const ledger = {
  users: 0,
  /** Text message id → the user who sent it. */
  texts: new Map<number, string>(),
};

function record(message: Message): Message {
  ledger.texts.set(message.id, message.senderId);
  return message;
}

async function newPerson(base: string): Promise<Person> {
  const who = await person(suite, base);
  ledger.users += 1;
  return who;
}

async function newPair() {
  const people = await pair(suite);
  ledger.users += 2;
  return people;
}

async function sendOk(sender: Person, conversationId: string, body: string): Promise<Message> {
  return record(await send(sender, conversationId, body));
}

// ---------------------------------------------------------------------------------------------
// The database, read directly.

interface Sql {
  rows<T>(query: string): Promise<T[]>;
  close(): Promise<void>;
}

async function openSql(options: TestDatabase['serverOptions']): Promise<Sql> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
    return {
      rows: async <T>(query: string) => (await client.unsafe(query)) as unknown as T[],
      close: () => client.end({ timeout: 5 }),
    };
  }
  // PGlite: only once the server, which owns the folder, has stopped.
  const { PGlite } = await import('@electric-sql/pglite');
  const client = await PGlite.create(`${options.dataDir}/pglite`);
  return {
    rows: async <T>(query: string) => (await client.query<T>(query)).rows,
    close: () => client.close(),
  };
}

/** Everything an attack could have written, in one row (markers, roles, mutes, pins included). */
const SNAPSHOT = `
  select
    (select count(*) from users)::int as users,
    (select count(*) from sessions)::int as sessions,
    (select count(*) from messages)::int as messages,
    (select count(*) from message_hides)::int as hides,
    (select count(*) from push_subscriptions)::int as push_subscriptions,
    (select md5(coalesce(string_agg(concat_ws(':', id, kind, title, last_seq, last_change_seq), ',' order by id), ''))
       from conversations) as conversations,
    (select md5(coalesce(string_agg(concat_ws(':', conversation_id, user_id, role, joined_seq,
       is_muted, delivered_up_to_seq, read_up_to_seq, pinned_at, archived_at), ','
       order by conversation_id, user_id), ''))
       from conversation_members) as members`;

let live: Sql | null = null;

/** The tables' state on PostgreSQL; null on PGlite (see the top of the file). */
async function snapshot(): Promise<unknown> {
  return live ? (await live.rows(SNAPSHOT))[0] : null;
}

/** Runs the attack and checks that the database is exactly as it was. */
async function expectNothingStored<T>(attack: () => Promise<T>): Promise<T> {
  const before = await snapshot();
  const result = await attack();
  expect(await snapshot()).toEqual(before);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Still serving: the server is up and two bystanders, connected since the start, still chat.

let carol: Person;
let dave: Person;
let bystanders: string;

beforeAll(async () => {
  if (suite.database.serverOptions.databaseUrl) {
    live = await openSql(suite.database.serverOptions);
  }
  ({ alice: carol, bob: dave, conversationId: bystanders } = await newPair());
  return async () => {
    await live?.close();
  };
});

async function expectStillServing(): Promise<void> {
  const { server } = suite;
  // In-process, a crash would fail the run itself (Vitest reports uncaught errors); this says
  // the server has not stopped either.
  expect(server.isListening()).toBe(true);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const body = `still here ${randomUUID()}`;
  const delivered = nextEvent(dave.socket, 'message:created', (message) => message.body === body);
  const sent = await sendOk(carol, bystanders, body);
  expect(sent.senderId).toBe(carol.user.id);
  expect(await delivered).toMatchObject({ id: sent.id, senderId: carol.user.id });
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

async function conversation(who: Person, conversationId: string) {
  const result = await call(who.socket, 'conversation:get', { conversationId });
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.conversation;
}

async function bodies(who: Person, conversationId: string): Promise<string[]> {
  const result = await call(who.socket, 'message:history', { conversationId, limit: 100 });
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.messages.map((message) => message.body);
}

/** A message:send payload that would be stored if the frame around it were accepted. */
function validSend(conversationId: string, body = 'hello') {
  return { conversationId, clientMsgId: randomUUID(), body };
}

/** A frame's size as Socket.IO measures it against maxHttpBufferSize: UTF-8 bytes of `42[…]`. */
function frameBytes(event: string, payload: object): number {
  return Buffer.byteLength(`42${JSON.stringify([event, payload])}`);
}

/** One raw HTTP/1.1 exchange over TCP: the status code of the answer (0 if the socket closed). */
function rawHttp(url: string, head: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: hostname, port: Number(port) }, () => socket.write(head));
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    const answer = () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      return { status: match ? Number(match[1]) : 0, text };
    };
    // A server that refuses a request may close while the rest of it is still on the way:
    // the answer it sent first is what counts.
    socket.on('error', (error) => (answer().status ? resolve(answer()) : reject(error)));
    socket.on('close', () => resolve(answer()));
  });
}

const NOT_FOUND = { ok: false, code: 'NOT_FOUND', message: 'No such conversation.' };

/** The BAD_REQUEST answer for `field: sentence`: the sentence never names the field. */
function badRequest(described: string) {
  const [, field, message] = /^([\w.]+): (.*)$/s.exec(described) ?? [];
  return field === undefined
    ? { ok: false, code: 'BAD_REQUEST', message: described }
    : { ok: false, code: 'BAD_REQUEST', message, field };
}

// ---------------------------------------------------------------------------------------------

describe('message text at the edges of the limit', () => {
  it('takes the largest legal frame and answers one code point more with MESSAGE_TOO_LONG', async () => {
    const { alice, bob, conversationId } = await newPair();
    // A control character is 6 bytes of JSON (\u001f): the most a code point can cost.
    const largest = '\u001f'.repeat(MESSAGE_MAX_CODE_POINTS);
    const legal = validSend(conversationId, largest);
    expect(frameBytes('message:send', legal)).toBeGreaterThan(6 * MESSAGE_MAX_CODE_POINTS);
    expect(frameBytes('message:send', legal)).toBeLessThan(SOCKET_MAX_FRAME_BYTES);
    const accepted = await call(alice.socket, 'message:send', legal);
    expect(accepted).toMatchObject({ ok: true, duplicate: false });
    if (accepted.ok) record(accepted.message);

    const tooLong = validSend(conversationId, `${largest}\u001f`);
    const refused = await expectNothingStored(() => call(alice.socket, 'message:send', tooLong));
    expect(refused).toEqual({
      ok: false,
      code: 'MESSAGE_TOO_LONG',
      message: 'The message is too long: 100,001 characters, the limit is 100,000.',
    });
    expect(alice.socket.connected).toBe(true);
    expect(await bodies(bob, conversationId)).toEqual([largest]);
    await expectStillServing();
  });

  it('counts code points, not what a person sees as one emoji (ZWJ sequences)', async () => {
    const { alice, bob, conversationId } = await newPair();
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // one glyph, five code points
    expect(countCodePoints(family)).toBe(5);
    const atLimit = family.repeat(MESSAGE_MAX_CODE_POINTS / 5);
    await sendOk(alice, conversationId, atLimit);
    const refused = await expectNothingStored(() =>
      call(alice.socket, 'message:send', validSend(conversationId, `${atLimit}\u200D`)),
    );
    expect(refused).toMatchObject({
      ok: false,
      code: 'MESSAGE_TOO_LONG',
      message: expect.stringMatching(/100,001 characters/),
    });
    expect(await bodies(bob, conversationId)).toEqual([atLimit]);
    await expectStillServing();
  });

  it.each([
    ['a lone high surrogate written as a JSON escape', '"broken \\ud800 text"', /unpaired/],
    ['a surrogate pair in the wrong order', '"\\ude00\\ud83d"', /unpaired/],
    ['a high surrogate cut off at the very end', '"last one \\ud83d"', /unpaired/],
    ['NUL written as a JSON escape', '"before\\u0000after"', /NUL/],
  ])('refuses %s in a hand-written frame with MESSAGE_INVALID', async (_, bodyJson, message) => {
    const { alice, bob, conversationId } = await newPair();
    const raw = await openRawSocket(suite.server.url, alice.cookie);
    const frame = `["message:send",{"conversationId":"${conversationId}","clientMsgId":"${randomUUID()}","body":${bodyJson}}]`;
    const ack = await expectNothingStored(() => raw.sendWithAck(frame));
    expect(ack).toMatchObject({ ok: false, code: 'MESSAGE_INVALID', message });
    expect(raw.isOpen()).toBe(true);
    raw.close();
    expect(await bodies(bob, conversationId)).toEqual([]);
    await expectStillServing();
  });
});

describe('frames the transport refuses', () => {
  it('closes a connection whose frame is above maxHttpBufferSize (1009), and only that one', async () => {
    const { alice, bob, conversationId } = await newPair();
    // The limit sits above the largest legal message (see the first test), so only a frame no
    // honest client sends is cut off.
    const payload = validSend(conversationId, 'a'.repeat(SOCKET_MAX_FRAME_BYTES));
    expect(frameBytes('message:send', payload)).toBeGreaterThan(SOCKET_MAX_FRAME_BYTES);
    const raw = await openRawSocket(suite.server.url, alice.cookie);
    const closed = await expectNothingStored(async () => {
      raw.send(`421${JSON.stringify(['message:send', payload])}`);
      return raw.closed;
    });
    expect(closed.code).toBe(1009); // "Message too big"
    // Alice's other tab is untouched, and nothing arrived.
    expect(alice.socket.connected).toBe(true);
    expect(await bodies(alice, conversationId)).toEqual([]);
    expect(await bodies(bob, conversationId)).toEqual([]);
    await expectStillServing();
  });

  it('answers an oversized long-polling POST with 413 and handles nothing in it', async () => {
    const { alice, bob, conversationId } = await newPair();
    const base = `${suite.server.url}/socket.io/?EIO=4&transport=polling`;
    const headers = { cookie: alice.cookie };
    const open = await (await fetch(base, { headers })).text();
    const { sid } = JSON.parse(open.slice(1)) as { sid: string };
    const session = `${base}&sid=${sid}`;
    const post = (body: string) =>
      fetch(session, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' },
        body,
      });
    expect((await post('40')).status).toBe(200);
    // Each GET is a long poll: it returns as soon as the server has something to send.
    let received = '';
    while (!received.includes('session:ready')) {
      received += await (await fetch(session, { headers })).text();
    }

    const payload = validSend(conversationId, 'a'.repeat(SOCKET_MAX_FRAME_BYTES));
    const refused = await expectNothingStored(() =>
      post(`421${JSON.stringify(['message:send', payload])}`),
    );
    expect(refused.status).toBe(413);
    expect(await bodies(bob, conversationId)).toEqual([]);
    // Only that request was refused: the session still answers.
    expect((await post('422["conversation:list",{}]')).status).toBe(200);
    received = '';
    while (!received.includes('432[')) {
      received += await (await fetch(session, { headers })).text();
    }
    expect(received).toContain('432[{"ok":true');
    await post('1'); // Engine.IO close
    await expectStillServing();
  });

  it('closes a connection that sends invalid UTF-8 in a text frame (1007)', async () => {
    const { alice, bob, conversationId } = await newPair();
    const raw = await openRawSocket(suite.server.url, alice.cookie);
    const start = `421["message:send",{"conversationId":"${conversationId}","clientMsgId":"${randomUUID()}","body":"`;
    const frame = Buffer.concat([
      Buffer.from(start),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}]'),
    ]);
    const closed = await expectNothingStored(async () => {
      raw.send(frame, { binary: false });
      return raw.closed;
    });
    expect(closed.code).toBe(1007); // "Invalid frame payload data"
    expect(alice.socket.connected).toBe(true);
    expect(await bodies(bob, conversationId)).toEqual([]);
    await expectStillServing();
  });
});

describe('packets Socket.IO cannot parse close that connection only', () => {
  type Frame = string | { binary: Buffer };
  const placeholder = (num: number) => ({ _placeholder: true, num });
  // Each carries a message:send that would be stored if the packet were accepted.
  const cases: [string, (conversationId: string) => Frame[]][] = [
    ['JSON that does not parse', (id) => [`421["message:send",${JSON.stringify(validSend(id))}`]],
    [
      'an unknown Socket.IO packet type',
      (id) => [`471${JSON.stringify(['message:send', validSend(id)])}`],
    ],
    [
      'an unknown Engine.IO packet type',
      (id) => [`921${JSON.stringify(['message:send', validSend(id)])}`],
    ],
    ['an event that is not an array', (id) => [`421${JSON.stringify(validSend(id))}`]],
    [
      'an event name that is an object',
      (id) => [`421${JSON.stringify([{ name: 'message:send' }, validSend(id)])}`],
    ],
    [
      'zero binary attachments announced',
      (id) => [`450-1${JSON.stringify(['message:send', validSend(id)])}`],
    ],
    [
      'more binary attachments announced than allowed',
      (id) => [`4511-1${JSON.stringify(['message:send', validSend(id)])}`],
    ],
    [
      'fewer attachments sent than announced, then a text frame',
      (id) => [
        `452-1${JSON.stringify(['message:send', { ...validSend(id), body: placeholder(0) }])}`,
        { binary: Buffer.from('only one') },
        `422${JSON.stringify(['message:send', validSend(id)])}`,
      ],
    ],
    [
      'a placeholder pointing past the attachments sent',
      (id) => [
        `451-1${JSON.stringify(['message:send', { ...validSend(id), body: placeholder(7) }])}`,
        { binary: Buffer.from('hello') },
      ],
    ],
    ['a binary frame nobody announced', () => [{ binary: Buffer.from('hello') }]],
    [
      'an event for a namespace never joined',
      (id) => [`42/admin,1${JSON.stringify(['message:send', validSend(id)])}`],
    ],
    ['a second CONNECT to the namespace already joined', () => ['40']],
  ];

  it.each(cases)('%s', async (_, frames) => {
    const { alice, bob, conversationId } = await newPair();
    const raw = await openRawSocket(suite.server.url, alice.cookie);
    const closed = await expectNothingStored(async () => {
      for (const frame of frames(conversationId)) {
        if (typeof frame === 'string') raw.send(frame);
        else raw.send(frame.binary, { binary: true });
      }
      return raw.closed;
    });
    expect(closed.code).toBeGreaterThanOrEqual(1000);
    // No ack was sent for any of it.
    expect(raw.frames.filter((frame) => frame.startsWith('43'))).toEqual([]);
    expect(alice.socket.connected).toBe(true);
    expect(await bodies(bob, conversationId)).toEqual([]);
    await expectStillServing();
  });
});

describe('event names', () => {
  it.each([
    'connect',
    'connect_error',
    'disconnect',
    'disconnecting',
    'newListener',
    'removeListener',
  ])('refuses the reserved name “%s” by closing that connection', async (name) => {
    const { alice, bob, conversationId } = await newPair();
    const raw = await openRawSocket(suite.server.url, alice.cookie);
    const closed = await expectNothingStored(async () => {
      raw.send(`421${JSON.stringify([name, validSend(conversationId)])}`);
      return raw.closed;
    });
    expect(closed.code).toBeGreaterThanOrEqual(1000);
    expect(raw.frames.filter((frame) => frame.startsWith('43'))).toEqual([]);
    expect(await bodies(bob, conversationId)).toEqual([]);
    await expectStillServing();
  });

  it.each([
    ['error', 'error'],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['toString', 'toString'],
    ['hasOwnProperty', 'hasOwnProperty'],
    ['a number', 7],
    ['a known name in capitals', 'MESSAGE:SEND'],
    ['a known name with a trailing space', 'message:send '],
  ])('answers %s with UNKNOWN_EVENT and keeps serving the socket', async (_, name) => {
    const { alice, bob, conversationId } = await newPair();
    const raw = await openRawSocket(suite.server.url, alice.cookie);
    const ack = await expectNothingStored(() => raw.emitWithAck(name, validSend(conversationId)));
    expect(ack).toEqual({
      ok: false,
      code: 'UNKNOWN_EVENT',
      message: `Unknown event “${String(name)}”.`,
    });
    // Without an ack as well: nothing to answer, nothing done, the socket stays.
    raw.send(`42${JSON.stringify([name, validSend(conversationId)])}`);
    expect(await raw.emitWithAck('conversation:list', {})).toMatchObject({ ok: true });
    expect(raw.isOpen()).toBe(true);
    raw.close();
    expect(await bodies(bob, conversationId)).toEqual([]);
    await expectStillServing();
  });
});

describe('payloads', () => {
  it.each([
    ['message:send', { body: ['hello'] }, 'body: Message body must be text.'],
    ['message:send', { body: { toString: 'hello' } }, 'body: Message body must be text.'],
    ['message:send', { body: null }, 'body: Message body must be text.'],
    ['message:send', { conversationId: 42 }, 'conversationId: Must be a UUID.'],
    ['message:send', { clientMsgId: ['a'] }, 'clientMsgId: Must be a UUID.'],
    ['conversation:mute', { isMuted: 'true' }, 'isMuted: isMuted must be true or false.'],
    ['conversation:pin', { isPinned: 1 }, 'isPinned: isPinned must be true or false.'],
    ['conversation:archive', { isArchived: null }, 'isArchived: isArchived must be true or false.'],
    ['conversation:clear', { conversationId: 42 }, 'conversationId: Must be a UUID.'],
    ['conversation:mark-read', { seq: '3' }, 'seq: Must be a whole number from 0 to 2147483647.'],
    ['group:create', { title: 7 }, 'title: Group name must be text.'],
    ['group:create', { usernames: 'bob' }, 'usernames: Give the members as a list of usernames.'],
    ['group:set-role', { role: 'owner' }, 'role: Role must be "member" or "admin".'],
    ['conversation:start', { username: ['bob'] }, 'username: Username must be text.'],
    ['presence:query', { userIds: 'everyone' }, 'userIds: Give the users as a list of ids.'],
  ])('refuses %s with the wrong type %j, naming the field', async (event, change, message) => {
    const { alice, bob, conversationId } = await newPair();
    const base: Record<string, object> = {
      'message:send': validSend(conversationId),
      'conversation:mute': { conversationId, isMuted: true },
      'conversation:pin': { conversationId, isPinned: true },
      'conversation:archive': { conversationId, isArchived: true },
      'conversation:clear': { conversationId },
      'conversation:mark-read': { conversationId, seq: 1 },
      'group:create': {
        title: 'Trip',
        usernames: [bob.user.username],
        clientRequestId: randomUUID(),
      },
      'group:set-role': { conversationId, userId: bob.user.id, role: 'admin' },
      'conversation:start': { username: bob.user.username },
      'presence:query': { userIds: [bob.user.id] },
    };
    const ack = await expectNothingStored(() =>
      callRaw(alice.socket, event, { ...base[event], ...change }),
    );
    expect(ack).toEqual(badRequest(message));
    expect(await conversation(alice, conversationId)).toMatchObject({
      lastSeq: 0,
      isMuted: false,
      pinnedAt: null,
      archivedAt: null,
    });
    const list = await call(alice.socket, 'conversation:list', {});
    expect(list.ok && list.conversations.map((item) => item.kind)).not.toContain('group');
    await expectStillServing();
  });

  it.each([
    ['message:send', 'kind', 'system'],
    ['message:send', 'seq', 1],
    ['message:send', 'id', 1],
    ['message:send', 'senderUsername', 'bob'],
    ['message:send', 'createdAt', '2000-01-01T00:00:00.000Z'],
    ['conversation:mark-read', 'userId', 'bob'],
    ['group:add-members', 'role', 'admin'],
  ])('refuses %s with a smuggled “%s” field', async (event, field, value) => {
    const { alice, bob, conversationId } = await newPair();
    const created = await call(alice.socket, 'group:create', {
      title: 'Club',
      usernames: [],
      clientRequestId: randomUUID(),
    });
    if (!created.ok) throw new Error(created.message);
    const eve = await newPerson('eve');
    const payloads: Record<string, object> = {
      'message:send': validSend(conversationId),
      'conversation:mark-read': { conversationId, seq: 1 },
      'group:add-members': {
        conversationId: created.conversation.id,
        usernames: [eve.user.username],
      },
    };
    const smuggled =
      value === 'bob' ? (field === 'userId' ? bob.user.id : bob.user.username) : value;
    const ack = await expectNothingStored(() =>
      callRaw(alice.socket, event, { ...payloads[event], [field]: smuggled }),
    );
    expect(ack).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: `Unrecognized key: "${field}"`,
    });
    expect(await conversation(bob, conversationId)).toMatchObject({ lastSeq: 0, readSeq: 0 });
    expect(await conversation(alice, created.conversation.id)).toMatchObject({ memberCount: 1 });
    // The same message without the extra field is stored, as Alice's, whatever was claimed.
    const honest = await sendOk(alice, conversationId, 'mine');
    expect(honest).toMatchObject({ senderId: alice.user.id, senderUsername: alice.user.username });
    await expectStillServing();
  });

  it('refuses __proto__ and constructor.prototype keys, and nothing is polluted', async () => {
    const { alice, bob, conversationId } = await newPair();
    for (const body of ['one', 'two', 'three']) await sendOk(alice, conversationId, body);
    const raw = await openRawSocket(suite.server.url, bob.cookie);
    // Had any of these reached Object.prototype on the server, a history request without a
    // cursor or limit would pick up `limit: 1` and `afterSeq: 1` from it.
    const poison = '{"limit":1,"afterSeq":1,"senderId":"' + bob.user.id + '"}';
    const frames = [
      `["message:history",{"conversationId":"${conversationId}","__proto__":${poison}}]`,
      `["message:history",{"conversationId":"${conversationId}","constructor":{"prototype":${poison}}}]`,
      `["message:send",{"conversationId":"${conversationId}","clientMsgId":"${randomUUID()}","body":"x","__proto__":${poison}}]`,
      `["message:send",{"conversationId":"${conversationId}","clientMsgId":"${randomUUID()}","body":{"__proto__":${poison}}}]`,
      `["conversation:list",{"constructor":{"prototype":${poison}}}]`,
    ];
    // One at a time: a socket may have only a few events in flight.
    const acks = await expectNothingStored(async () => {
      const answers = [];
      for (const frame of frames) answers.push(await raw.sendWithAck(frame));
      return answers;
    });
    expect(acks).toEqual([
      { ok: false, code: 'BAD_REQUEST', message: 'Unrecognized key: "__proto__"' },
      { ok: false, code: 'BAD_REQUEST', message: 'Unrecognized key: "constructor"' },
      { ok: false, code: 'BAD_REQUEST', message: 'Unrecognized key: "__proto__"' },
      badRequest('body: Message body must be text.'),
      { ok: false, code: 'BAD_REQUEST', message: 'Unrecognized key: "constructor"' },
    ]);
    const history = await raw.emitWithAck('message:history', { conversationId });
    expect(history).toMatchObject({ ok: true, hasMore: false });
    expect((history as { messages: Message[] }).messages.map((m) => m.body)).toEqual([
      'one',
      'two',
      'three',
    ]);
    raw.close();

    // Over HTTP too: the body is refused, and no account is made.
    const username = uniqueName('mallory');
    for (const body of [
      `{"username":"${username}","password":"${PASSWORD}","__proto__":{"role":"admin"}}`,
      `{"username":"${username}","password":"${PASSWORD}","constructor":{"prototype":{"role":"admin"}}}`,
    ]) {
      const response = await expectNothingStored(() =>
        postJson(suite.server.url, '/api/auth/sign-up', body),
      );
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        ok: false,
        code: 'BAD_REQUEST',
        message: expect.stringMatching(/^Unrecognized key: "(__proto__|constructor)"$/),
      });
      expect(response.setCookie).toBeNull();
    }
    const signIn = await postJson(suite.server.url, '/api/auth/sign-in', {
      username,
      password: PASSWORD,
    });
    expect(signIn.status).toBe(401);
    await expectStillServing();
  });
});

describe('events without an ack are ignored: nothing is done', () => {
  it.each([
    [
      'group:create',
      (p: Ctx) => ({
        title: 'Ghost',
        usernames: [p.bob.user.username],
        clientRequestId: randomUUID(),
      }),
    ],
    ['conversation:start', (p: Ctx) => ({ username: p.eve.user.username })],
    ['conversation:mark-read', (p: Ctx) => ({ conversationId: p.conversationId, seq: 1 })],
    ['conversation:mute', (p: Ctx) => ({ conversationId: p.conversationId, isMuted: true })],
    ['conversation:pin', (p: Ctx) => ({ conversationId: p.conversationId, isPinned: true })],
    ['conversation:archive', (p: Ctx) => ({ conversationId: p.conversationId, isArchived: true })],
    ['conversation:clear', (p: Ctx) => ({ conversationId: p.conversationId })],
    ['message:send', (p: Ctx) => validSend(p.conversationId, 'no ack')],
  ])('%s, also with a last argument that is not a function', async (event, payload) => {
    const { alice, bob, conversationId } = await newPair();
    const eve = await newPerson('eve');
    await sendOk(bob, conversationId, 'unread for alice');
    const ctx = { alice, bob, eve, conversationId };
    const untyped = alice.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    await expectNothingStored(async () => {
      untyped.emit(event, payload(ctx));
      untyped.emit(event, payload(ctx), 'not a function');
      // The server logs each one it ignores: wait for both instead of sleeping.
      const ignored = (entry: Record<string, unknown>) =>
        entry.event === 'socket.missing-ack' &&
        entry.name === event &&
        entry.userId === alice.user.id;
      await suite.server.waitForLog(ignored);
      await expect.poll(() => suite.server.logs.filter(ignored).length).toBe(2);
    });
    const list = await call(alice.socket, 'conversation:list', {});
    expect(list.ok && list.conversations.map((item) => item.id)).toEqual([conversationId]);
    expect(await conversation(alice, conversationId)).toMatchObject({
      lastSeq: 1,
      readSeq: 0,
      unreadCount: 1,
      isMuted: false,
      pinnedAt: null,
      archivedAt: null,
    });
    await expectStillServing();
  });
});

interface Ctx {
  alice: Person;
  bob: Person;
  eve: Person;
  conversationId: string;
}

describe('conversations that are not yours', () => {
  it('a stranger gets the answer of a missing conversation for every event on a direct chat', async () => {
    const { alice, bob, conversationId } = await newPair();
    await sendOk(alice, conversationId, 'between us');
    const eve = await newPerson('eve');
    const attempts: [string, (id: string) => object][] = [
      ['message:history', (id) => ({ conversationId: id, afterSeq: 0 })],
      ['message:receipts', (id) => ({ conversationId: id, seq: 1 })],
      ['conversation:mark-delivered', (id) => ({ conversationId: id, seq: 1 })],
      ['conversation:mute', (id) => ({ conversationId: id, isMuted: true })],
      ['conversation:pin', (id) => ({ conversationId: id, isPinned: true })],
      ['conversation:archive', (id) => ({ conversationId: id, isArchived: true })],
      ['conversation:clear', (id) => ({ conversationId: id })],
      ['typing:start', (id) => ({ conversationId: id })],
      ['typing:stop', (id) => ({ conversationId: id })],
      ['group:members', (id) => ({ conversationId: id })],
      ['group:add-members', (id) => ({ conversationId: id, usernames: [eve.user.username] })],
      ['group:remove-member', (id) => ({ conversationId: id, userId: bob.user.id })],
      ['group:set-role', (id) => ({ conversationId: id, userId: eve.user.id, role: 'admin' })],
    ];
    const typing: unknown[] = [];
    bob.socket.on('typing:updated', (update) => typing.push(update));
    await expectNothingStored(async () => {
      for (const [event, payload] of attempts) {
        const foreign = await callRaw(eve.socket, event, payload(conversationId));
        const missing = await callRaw(eve.socket, event, payload(randomUUID()));
        expect(foreign, event).toEqual(NOT_FOUND);
        expect(missing, event).toEqual(foreign);
      }
      // Leaving a group you are not in is done already, whether it exists or not.
      const left = await callRaw(eve.socket, 'group:leave', { conversationId });
      expect(left).toEqual({ ok: true });
      expect(await callRaw(eve.socket, 'group:leave', { conversationId: randomUUID() })).toEqual(
        left,
      );
    });
    // A socket receives in order: a typing update from Eve would have come before this.
    const marker = nextEvent(bob.socket, 'message:created', (message) => message.body === 'marker');
    await sendOk(alice, conversationId, 'marker');
    await marker;
    bob.socket.off('typing:updated');
    expect(typing).toEqual([]);
    const members = await call(bob.socket, 'group:members', { conversationId });
    expect(members.ok && members.members.map((member) => member.id).sort()).toEqual(
      [alice.user.id, bob.user.id].sort(),
    );
    await expectStillServing();
  });

  it('a member cannot run group admin events on a direct chat', async () => {
    const { alice, bob, conversationId } = await newPair();
    const eve = await newPerson('eve');
    const attempts: [string, object][] = [
      ['group:add-members', { conversationId, usernames: [eve.user.username] }],
      ['group:remove-member', { conversationId, userId: bob.user.id }],
      ['group:set-role', { conversationId, userId: alice.user.id, role: 'admin' }],
      ['group:leave', { conversationId }],
    ];
    await expectNothingStored(async () => {
      for (const [event, payload] of attempts) {
        expect(await callRaw(alice.socket, event, payload), event).toEqual(NOT_FOUND);
      }
    });
    expect(await conversation(bob, conversationId)).toMatchObject({ memberCount: 2, lastSeq: 0 });
    expect(await call(eve.socket, 'conversation:get', { conversationId })).toEqual(NOT_FOUND);
    await expectStillServing();
  });

  it('there is no way to join another user’s rooms: nothing of theirs reaches the attacker', async () => {
    const { alice, bob, conversationId } = await newPair();
    const eve = await newPerson('eve');
    const seen: string[] = [];
    eve.socket.onAny((event: string) => seen.push(event));
    const rooms = [`user:${alice.user.id}`, `user:${bob.user.id}`, conversationId];
    await expectNothingStored(async () => {
      for (const event of ['join', 'room:join', 'subscribe', 'conversation:join', 'rooms']) {
        for (const room of rooms) {
          for (const payload of [room, { room }, { conversationId: room }, [room]]) {
            expect(await callRaw(eve.socket, event, payload)).toEqual({
              ok: false,
              code: 'UNKNOWN_EVENT',
              message: `Unknown event “${event}”.`,
            });
          }
        }
      }
      // Presence is answered only for people who share a conversation with the asker.
      expect(
        await call(eve.socket, 'presence:query', { userIds: [alice.user.id, bob.user.id] }),
      ).toEqual({ ok: true, presence: [] });
    });
    const delivered = nextEvent(
      bob.socket,
      'message:created',
      (message) => message.body === 'psst',
    );
    await sendOk(alice, conversationId, 'psst');
    await delivered;
    await call(bob.socket, 'typing:start', { conversationId });
    // Anything the server sent Eve before answering this would have arrived before the answer.
    expect(await call(eve.socket, 'conversation:list', {})).toEqual({
      ok: true,
      conversations: [],
    });
    expect(seen).toEqual([]);
    await expectStillServing();
  });
});

describe('crafted cursors and limits', () => {
  const seqRule = 'Must be a whole number from 0 to 2147483647.';
  const messageSeqRule = 'Must be a whole number from 1 to 2147483647.';
  const limitRule = 'Must be a whole number from 1 to 100.';

  it.each([
    [{ afterSeq: -1 }, `afterSeq: ${seqRule}`],
    [{ afterSeq: '0' }, `afterSeq: ${seqRule}`],
    [{ afterSeq: true }, `afterSeq: ${seqRule}`],
    [{ beforeSeq: 1.5 }, `beforeSeq: ${messageSeqRule}`],
    [{ beforeSeq: 2 ** 31 }, `beforeSeq: ${messageSeqRule}`],
    [{ beforeSeq: 1e20 }, `beforeSeq: ${messageSeqRule}`],
    [{ beforeSeq: null }, `beforeSeq: ${messageSeqRule}`],
    [{ limit: -5 }, `limit: ${limitRule}`],
    [{ limit: 1e9 }, `limit: ${limitRule}`],
    [{ limit: '50' }, `limit: ${limitRule}`],
  ])('refuses history %j with a message that states the rule', async (cursor, message) => {
    const { alice, conversationId } = await newPair();
    await sendOk(alice, conversationId, 'one');
    const ack = await expectNothingStored(() =>
      callRaw(alice.socket, 'message:history', { conversationId, ...cursor }),
    );
    expect(ack).toEqual(badRequest(message));
    await expectStillServing();
  });

  it('pages normally for cursors in range but beyond the end, and clamps markers there', async () => {
    const { alice, bob, conversationId } = await newPair();
    for (const body of ['one', 'two', 'three']) await sendOk(alice, conversationId, body);
    const top = 2 ** 31 - 1;
    const before = await call(bob.socket, 'message:history', { conversationId, beforeSeq: top });
    expect(before.ok && before.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(before).toMatchObject({ hasMore: false });
    expect(await call(bob.socket, 'message:history', { conversationId, afterSeq: top })).toEqual({
      ok: true,
      messages: [],
      hasMore: false,
    });
    expect(await call(bob.socket, 'conversation:mark-read', { conversationId, seq: top })).toEqual({
      ok: true,
      readSeq: 3,
    });
    expect(await conversation(bob, conversationId)).toMatchObject({
      readSeq: 3,
      deliveredSeq: 3,
      unreadCount: 0,
    });
    // Markers only move forward: a crafted 0 changes nothing.
    await expectNothingStored(async () => {
      expect(await call(bob.socket, 'conversation:mark-read', { conversationId, seq: 0 })).toEqual({
        ok: true,
        readSeq: 3,
      });
      expect(await call(bob.socket, 'message:receipts', { conversationId, seq: top })).toEqual({
        ok: false,
        code: 'NOT_FOUND',
        message: 'No such message.',
      });
      expect(await callRaw(bob.socket, 'message:receipts', { conversationId, seq: 0 })).toEqual(
        badRequest(`seq: ${messageSeqRule}`),
      );
    });
    expect(await conversation(bob, conversationId)).toMatchObject({ readSeq: 3, unreadCount: 0 });
    await expectStillServing();
  });
});

describe('clientMsgId replays', () => {
  it('stores a message replayed many times at once exactly once, and pushes only it', async () => {
    const { alice, bob, conversationId } = await newPair();
    const tab = await openTab(suite, alice);
    const payload = validSend(conversationId, 'exactly once');
    const created: Message[] = [];
    bob.socket.on('message:created', (message) => created.push(message));
    const acks = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        call(index % 2 ? tab.socket : alice.socket, 'message:send', payload),
      ),
    );
    const first = acks.find((ack) => ack.ok && !ack.duplicate);
    if (!first?.ok) throw new Error('no send stored the message');
    record(first.message);
    expect(acks.filter((ack) => ack.ok && !ack.duplicate)).toHaveLength(1);
    for (const ack of acks) {
      expect(ack).toMatchObject({
        ok: true,
        message: { id: first.message.id, seq: 1, body: 'exactly once' },
      });
    }
    const marker = nextEvent(bob.socket, 'message:created', (message) => message.body === 'marker');
    await sendOk(alice, conversationId, 'marker');
    await marker;
    bob.socket.off('message:created');
    // Each replay pushes the stored message again (a replay may follow a node that died before
    // its broadcast); never a second message.
    expect(created.at(-1)!.body).toBe('marker');
    expect(new Set(created.slice(0, -1).map((message) => message.id))).toEqual(
      new Set([first.message.id]),
    );
    expect(await bodies(bob, conversationId)).toEqual(['exactly once', 'marker']);
    await expectStillServing();
  });

  it('someone else’s clientMsgId neither reaches nor returns their message', async () => {
    const { alice, bob, conversationId } = await newPair();
    const original = await sendOk(alice, conversationId, 'for bob only');
    const { alice: eve, conversationId: evesChat } = await newPair();
    const stolen = { conversationId, clientMsgId: original.clientMsgId, body: 'for bob only' };
    const intoTheirs = await expectNothingStored(() => call(eve.socket, 'message:send', stolen));
    expect(intoTheirs).toEqual(NOT_FOUND);
    const intoHers = await call(eve.socket, 'message:send', {
      ...stolen,
      conversationId: evesChat,
    });
    expect(intoHers).toMatchObject({
      ok: true,
      duplicate: false,
      message: { conversationId: evesChat, senderId: eve.user.id, seq: 1 },
    });
    if (intoHers.ok) {
      record(intoHers.message);
      expect(intoHers.message.id).not.toBe(original.id);
    }
    expect(await bodies(bob, conversationId)).toEqual(['for bob only']);
    await expectStillServing();
  });

  it('refuses a clientMsgId reused in another conversation with CLIENT_MSG_ID_REUSED', async () => {
    const { alice, bob, conversationId } = await newPair();
    const carolsChat = await call(alice.socket, 'conversation:start', {
      username: carol.user.username,
    });
    if (!carolsChat.ok) throw new Error(carolsChat.message);
    const original = await sendOk(alice, conversationId, 'same words');
    const reused = await expectNothingStored(() =>
      call(alice.socket, 'message:send', {
        conversationId: carolsChat.conversation.id,
        clientMsgId: original.clientMsgId,
        body: 'same words',
      }),
    );
    expect(reused).toEqual({
      ok: false,
      code: 'CLIENT_MSG_ID_REUSED',
      message: 'This message id was already used for a different message. Send it with a new id.',
    });
    expect(await conversation(alice, carolsChat.conversation.id)).toMatchObject({ lastSeq: 0 });
    expect(await bodies(bob, conversationId)).toEqual(['same words']);
    await expectStillServing();
  });

  it('stores one of two different texts sent at once under one clientMsgId', async () => {
    const { alice, bob, conversationId } = await newPair();
    const clientMsgId = randomUUID();
    const [first, second] = await Promise.all(
      ['version A', 'version B'].map((body) =>
        call(alice.socket, 'message:send', { conversationId, clientMsgId, body }),
      ),
    );
    const stored = [first, second].filter((ack) => ack?.ok);
    const refused = [first, second].filter((ack) => !ack?.ok);
    expect(stored).toHaveLength(1);
    expect(refused).toEqual([expect.objectContaining({ ok: false, code: 'CLIENT_MSG_ID_REUSED' })]);
    const winner = stored[0]!;
    if (!winner.ok) throw new Error('unreachable');
    record(winner.message);
    expect(await bodies(bob, conversationId)).toEqual([winner.message.body]);
    await expectStillServing();
  });
});

describe('names and other text fields', () => {
  it.each([
    [
      'a group name with NUL',
      'group:create',
      { title: 'Trip\u0000', usernames: [], clientRequestId: randomUUID() },
      'title: Group names cannot contain control characters.',
    ],
    [
      'a group name with a lone surrogate',
      'group:create',
      { title: 'Trip \ud800', usernames: [], clientRequestId: randomUUID() },
      'title: Group names cannot contain broken characters (an unpaired UTF-16 surrogate).',
    ],
    [
      'a username with NUL',
      'conversation:start',
      { username: 'bob\u0000' },
      `username: ${USERNAME_RULE}`,
    ],
    [
      'a username of 10,000 characters',
      'conversation:start',
      { username: 'x'.repeat(10_000) },
      `username: ${USERNAME_RULE}`,
    ],
  ])('refuses %s (%s) with a clear message', async (_, event, payload, message) => {
    const alice = await newPerson('alice');
    const ack = await expectNothingStored(() => callRaw(alice.socket, event, payload));
    expect(ack).toEqual(badRequest(message));
    expect(await call(alice.socket, 'conversation:list', {})).toEqual({
      ok: true,
      conversations: [],
    });
    await expectStillServing();
  });
});

describe('HTTP: oversized headers', () => {
  it('answers thousands of headers with 431 and serves the next request', async () => {
    // 3,000 headers, about 30 KB: above Node's 16 KiB limit for the whole header block.
    const lines = Array.from({ length: 3_000 }, (_, i) => `X-H${i}: 1\r\n`);
    const head = `GET /api/auth/session HTTP/1.1\r\nHost: localhost\r\n${lines.join('')}\r\n`;
    const refused = await expectNothingStored(() => rawHttp(suite.server.url, head));
    expect(refused.status).toBe(431);
    // Many small headers that fit the size limit are simply a normal request.
    const small = Array.from({ length: 2_500 }, (_, i) => `x${i}:1\r\n`).join('');
    const served = await rawHttp(
      suite.server.url,
      `GET /api/auth/session HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${small}\r\n`,
    );
    expect(served.status).toBe(401);
    expect(served.text).toContain('"code":"UNAUTHENTICATED"');
    await expectStillServing();
  });

  it('answers a huge cookie with 431 on REST and on both Socket.IO handshakes', async () => {
    const alice = await newPerson('alice');
    const cookie = `${alice.cookie}; junk=${'x'.repeat(20_000)}`;
    await expectNothingStored(async () => {
      const signIn = await fetch(`${suite.server.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ username: alice.user.username, password: PASSWORD }),
      });
      expect(signIn.status).toBe(431);
      expect(signIn.headers.get('set-cookie')).toBeNull();
      const polling = await fetch(`${suite.server.url}/socket.io/?EIO=4&transport=polling`, {
        headers: { cookie },
      });
      expect(polling.status).toBe(431);
      expect(await tryHandshake(suite.server.url, { cookie })).toBe(431);
    });
    // The same cookie without the junk still works.
    expect(await tryHandshake(suite.server.url, { cookie: alice.cookie })).toBe(101);
    await expectStillServing();
  });
});

describe('HTTP: broken bodies on sign-in', () => {
  const NOT_VALID_JSON = 'The request body is not valid JSON.';
  const NOT_ONE_OBJECT = 'The request must be one JSON object.';
  const NOT_JSON = 'Send the request as JSON, with the header Content-Type: application/json.';
  it.each([
    ['JSON cut short', 'application/json', '{"username":', 400, 'BAD_REQUEST', NOT_VALID_JSON],
    ['an empty body', 'application/json', '', 400, 'BAD_REQUEST', NOT_VALID_JSON],
    ['JSON null', 'application/json', 'null', 400, 'BAD_REQUEST', NOT_ONE_OBJECT],
    ['a JSON array', 'application/json', '["alice","secret"]', 400, 'BAD_REQUEST', NOT_ONE_OBJECT],
    ['a JSON string', 'application/json', '"alice"', 400, 'BAD_REQUEST', NOT_ONE_OBJECT],
    [
      'text/plain',
      'text/plain;charset=UTF-8',
      '{"username":"alice","password":"secret12"}',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      NOT_JSON,
    ],
    [
      'no content type at all',
      null,
      '{"username":"alice","password":"secret12"}',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      NOT_JSON,
    ],
    [
      'a form',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n--x--',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      NOT_JSON,
    ],
  ])('refuses %s with %i and a JSON error', async (_, type, body, status, code, message) => {
    const response = await expectNothingStored(() =>
      fetch(`${suite.server.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: type ? body : new TextEncoder().encode(body),
      }),
    );
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.json()).toEqual({ ok: false, code, message });
    await expectStillServing();
  });
});

describe('HTTP: over-long and broken names and passwords', () => {
  it.each([
    [
      'sign-up',
      'a username of 33 characters',
      { username: 'a'.repeat(33) },
      `username: ${USERNAME_RULE}`,
    ],
    [
      'sign-up',
      'a username of 10,000 characters',
      { username: 'a'.repeat(10_000) },
      `username: ${USERNAME_RULE}`,
    ],
    ['sign-up', 'a username with NUL', { username: 'nul\u0000name' }, `username: ${USERNAME_RULE}`],
    [
      'sign-up',
      'a password of 257 characters',
      { password: 'p'.repeat(PASSWORD_MAX_LENGTH + 1) },
      `password: Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
    ],
    [
      'sign-in',
      'a username of 65 characters',
      { username: 'a'.repeat(65) },
      'username: Username is too long.',
    ],
    [
      'sign-in',
      'a password of 257 characters',
      { password: 'p'.repeat(PASSWORD_MAX_LENGTH + 1) },
      `password: Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
    ],
    // PostgreSQL refuses text with NUL: this used to reach the database and answer 500.
    [
      'sign-in',
      'a username with NUL',
      { username: 'nul\u0000name' },
      'username: Usernames cannot contain control characters.',
    ],
    ['sign-in', 'a blank username', { username: '   ' }, 'username: Enter your username.'],
  ])('refuses a %s with %s', async (route, _, change, message) => {
    const body = { username: uniqueName('ok'), password: PASSWORD, ...change };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(HTTP_MAX_BODY_BYTES);
    const response = await expectNothingStored(() =>
      postJson(suite.server.url, `/api/auth/${route}`, body),
    );
    expect(response).toMatchObject({ status: 400, body: badRequest(message), setCookie: null });
    await expectStillServing();
  });

  it('accepts a password of exactly the maximum length', async () => {
    const username = uniqueName('max');
    const password = `${'correct horse '.repeat(40)}`.slice(0, PASSWORD_MAX_LENGTH);
    expect(password).toHaveLength(PASSWORD_MAX_LENGTH);
    const response = await postJson(suite.server.url, '/api/auth/sign-up', { username, password });
    expect(response.status).toBe(201);
    ledger.users += 1;
    const signIn = await postJson(suite.server.url, '/api/auth/sign-in', { username, password });
    expect(signIn.status).toBe(200);
    expect(cookieFrom(signIn.setCookie)).toMatch(/^parley_session=/);
    await expectStillServing();
  });

  it.each([
    ['POST', 'a NUL', 'https://fcm.googleapis.com/fcm/send/abc\u0000def'],
    ['POST', 'a line break', 'https://fcm.googleapis.com/fcm/send/abc\r\ndef'],
    ['DELETE', 'a NUL', 'https://fcm.googleapis.com/fcm/send/abc\u0000def'],
  ])(
    'refuses a push endpoint with %s (%s) instead of failing in the database',
    async (method, _, endpoint) => {
      const alice = await newPerson('alice');
      const keys = {
        p256dh: Buffer.alloc(65, 4).toString('base64url'),
        auth: Buffer.alloc(16, 7).toString('base64url'),
      };
      const response = await expectNothingStored(() =>
        fetch(`${suite.server.url}/api/push/subscriptions`, {
          method,
          headers: { cookie: alice.cookie, 'content-type': 'application/json' },
          body: JSON.stringify(method === 'POST' ? { endpoint, keys } : { endpoint }),
        }),
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual(
        badRequest('endpoint: endpoint cannot contain control characters.'),
      );
      await expectStillServing();
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Last: the database after everything above, read directly on both drivers.

describe('afterwards, the database', () => {
  it('holds exactly what was knowingly stored: no hostile write, no gap, no stray account', async () => {
    await suite.server.stop();
    await live?.close();
    live = null;
    const sql = await openSql(suite.database.serverOptions);
    try {
      const texts = await sql.rows<{ id: number; sender_id: string }>(
        `select id::int as id, sender_id from messages where kind = 'text' order by id`,
      );
      expect(new Map(texts.map((row) => [row.id, row.sender_id]))).toEqual(ledger.texts);

      const gaps = await sql.rows<{ id: string }>(`
        select c.id from conversations c left join messages m on m.conversation_id = c.id
        group by c.id, c.last_seq
        having c.last_seq <> count(m.id) or c.last_seq <> coalesce(max(m.seq), 0)`);
      expect(gaps).toEqual([]);

      const outsiders = await sql.rows<{ id: number }>(`
        select m.id::int as id from messages m
        left join conversation_members cm
          on cm.conversation_id = m.conversation_id and cm.user_id = m.sender_id
        where m.kind = 'text' and cm.user_id is null`);
      expect(outsiders).toEqual([]);

      const [users] = await sql.rows<{ count: number }>(`select count(*)::int as count from users`);
      expect(users?.count).toBe(ledger.users);
      const [pushes] = await sql.rows<{ count: number }>(
        `select count(*)::int as count from push_subscriptions`,
      );
      expect(pushes?.count).toBe(0);
    } finally {
      await sql.close();
    }
  });
});
