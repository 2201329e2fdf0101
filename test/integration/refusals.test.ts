// Every bad input gets a clear error ack, nothing is stored, and the server stays up.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MESSAGE_MAX_CODE_POINTS } from '../../protocol';
import { call, callRaw } from '../helpers/client';
import { pair, person, send, setupSuite, type Person } from '../helpers/suite';

const suite = setupSuite();

async function lastSeq(who: Person, conversationId: string): Promise<number> {
  const result = await call(who.socket, 'conversation:get', { conversationId });
  if (!result.ok) throw new Error(result.message);
  return result.conversation.lastSeq;
}

describe('message text', () => {
  it.each([
    [
      'over-long text',
      'a'.repeat(MESSAGE_MAX_CODE_POINTS + 1),
      'MESSAGE_TOO_LONG',
      /too long: 100,001 characters, the limit is 100,000/,
    ],
    [
      'over-long emoji text',
      '😀'.repeat(MESSAGE_MAX_CODE_POINTS + 1),
      'MESSAGE_TOO_LONG',
      /100,001 characters/,
    ],
    ['empty text', '', 'MESSAGE_EMPTY', /empty/],
    ['only whitespace', ' \n\t ', 'MESSAGE_EMPTY', /empty/],
    ['a NUL character', 'before\u0000after', 'MESSAGE_INVALID', /NUL/],
    ['a lone high surrogate', 'broken \ud83d text', 'MESSAGE_INVALID', /unpaired/],
    ['a lone low surrogate', '\ude00', 'MESSAGE_INVALID', /unpaired/],
  ])('refuses %s, stores nothing and stays up', async (_, body, code, message) => {
    const { alice, conversationId } = await pair(suite);
    await send(alice, conversationId, 'before');
    const ack = await call(alice.socket, 'message:send', {
      conversationId,
      clientMsgId: randomUUID(),
      body,
    });
    expect(ack).toMatchObject({ ok: false, code, message });
    expect(await lastSeq(alice, conversationId)).toBe(1);
    // Still serving, and the next message takes the very next seq.
    expect((await send(alice, conversationId, 'after')).seq).toBe(2);
  });

  it('accepts text exactly at the limit, counted in code points (4-byte emoji)', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const body = '😀'.repeat(MESSAGE_MAX_CODE_POINTS);
    expect(body.length).toBe(2 * MESSAGE_MAX_CODE_POINTS);
    const message = await send(alice, conversationId, body);
    const history = await call(bob.socket, 'message:history', { conversationId, limit: 1 });
    expect(history.ok && history.messages[0]).toMatchObject({ seq: message.seq, body });
  });

  it('keeps line breaks, tabs and markup exactly as typed', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const body = 'line one\n\n\tindented <script>alert(1)</script> & "quotes"\r\nend';
    await send(alice, conversationId, body);
    const history = await call(bob.socket, 'message:history', { conversationId });
    expect(history.ok && history.messages[0]?.body).toBe(body);
  });
});

describe('malformed events', () => {
  it.each([
    ['a number as body', { body: 42 }, /body: Message body must be text/],
    ['a missing body', { body: undefined }, /body/],
    [
      'a conversation id that is not a UUID',
      { conversationId: '1 or 1=1' },
      /conversationId: Must be a UUID/,
    ],
    ['a clientMsgId that is not a UUID', { clientMsgId: 'abc' }, /clientMsgId: Must be a UUID/],
    ['a spoofed senderId', { senderId: randomUUID() }, /Unrecognized key: "senderId"/],
    [
      'a __proto__ key',
      JSON.parse('{"__proto__": {"isAdmin": true}}') as object,
      /Unrecognized key/,
    ],
  ])('refuses %s with BAD_REQUEST and stores nothing', async (_, change, message) => {
    const { alice, conversationId } = await pair(suite);
    const payload = { conversationId, clientMsgId: randomUUID(), body: 'hello', ...change };
    const ack = await callRaw(alice.socket, 'message:send', payload);
    expect(ack).toMatchObject({ ok: false, code: 'BAD_REQUEST', message });
    expect(await lastSeq(alice, conversationId)).toBe(0);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses payloads that are not one object', async () => {
    const alice = await person(suite, 'alice');
    expect(await callRaw(alice.socket, 'conversation:list', 'text')).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
    expect(await callRaw(alice.socket, 'conversation:list', null)).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
    expect(await callRaw(alice.socket, 'conversation:list', [])).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
    expect(await callRaw(alice.socket, 'conversation:list')).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: '“conversation:list” takes exactly one payload object and an ack.',
    });
    expect(await callRaw(alice.socket, 'conversation:list', {}, {})).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
  });

  it('answers unknown event names with UNKNOWN_EVENT', async () => {
    const alice = await person(suite, 'alice');
    expect(await callRaw(alice.socket, 'admin:drop-tables', {})).toEqual({
      ok: false,
      code: 'UNKNOWN_EVENT',
      message: 'Unknown event “admin:drop-tables”.',
    });
  });

  it('ignores an event without an ack and keeps serving the socket', async () => {
    const { alice, conversationId } = await pair(suite);
    const untyped = alice.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    untyped.emit('message:send', { conversationId, clientMsgId: randomUUID(), body: 'no ack' });
    untyped.emit('conversation:list');
    const list = await call(alice.socket, 'conversation:list', {});
    expect(list.ok).toBe(true);
    expect(await lastSeq(alice, conversationId)).toBe(0);
  });
});

describe('conversations you are not in', () => {
  it('refuses sending to them with the same error as to one that does not exist', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'between us');
    const eve = await person(suite, 'eve');
    const foreign = await call(eve.socket, 'message:send', {
      conversationId,
      clientMsgId: randomUUID(),
      body: 'let me in',
    });
    const missing = await call(eve.socket, 'message:send', {
      conversationId: randomUUID(),
      clientMsgId: randomUUID(),
      body: 'hello?',
    });
    expect(foreign).toEqual({ ok: false, code: 'NOT_FOUND', message: 'No such conversation.' });
    expect(missing).toEqual(foreign);
    expect(await lastSeq(bob, conversationId)).toBe(1);
  });
});
