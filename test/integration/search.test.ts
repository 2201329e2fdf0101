// Message search (message:search): words found as the start of words, in any script, newest
// first, in pages; only what the searcher may see (after they joined, before they left, never
// a deleted, hidden or system message, never another's conversation); in step with edits and
// deletions; and a clear error for every bad search.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendGeneratedMessages } from '../../db/seed';
import type { MessageSearchResults } from '../../protocol';
import { call } from '../helpers/client';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { pair, person, send, setupSuite, type Person } from '../helpers/suite';

const suite = setupSuite({ settings: GENEROUS_LIMITS });

async function search(
  who: Person,
  query: string,
  options: { conversationId?: string; beforeId?: number; limit?: number } = {},
): Promise<MessageSearchResults> {
  const ack = await call(who.socket, 'message:search', { query, ...options });
  if (!ack.ok) throw new Error(`refused: ${ack.code} ${ack.message}`);
  return ack;
}

const seqsOf = (found: MessageSearchResults) => found.results.map((result) => result.seq);

async function group(creator: Person, members: Person[]): Promise<string> {
  const created = await call(creator.socket, 'group:create', {
    title: 'Plans',
    usernames: members.map((member) => member.user.username),
    clientRequestId: randomUUID(),
  });
  if (!created.ok) throw new Error(created.message);
  return created.conversation.id;
}

describe('message search', () => {
  it('finds words by their start, in any case and script, newest first, with a snippet', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'Hello Bob, lunch tomorrow?');
    await send(bob, conversationId, 'HELLO! Yes, lunch at noon');
    await send(alice, conversationId, 'Привет, как дела?');
    await send(bob, conversationId, 'Nothing to see here');

    const hello = await search(bob, 'hel');
    expect(hello.terms).toEqual(['hel']);
    expect(seqsOf(hello)).toEqual([2, 1]);
    expect(hello.results[1]).toMatchObject({
      conversationId,
      senderId: alice.user.id,
      senderUsername: alice.user.username,
      snippet: 'Hello Bob, lunch tomorrow?',
      isCutBefore: false,
      isCutAfter: false,
    });
    // Every word must be there; "at" only as the start of a word (not inside "Nothing").
    expect(seqsOf(await search(alice, 'lunch noon'))).toEqual([2]);
    expect(seqsOf(await search(alice, 'прив'))).toEqual([3]);
    expect(seqsOf(await search(alice, 'ДЕЛА'))).toEqual([3]);
    expect(seqsOf(await search(alice, 'othing'))).toEqual([]);
  });

  it('cuts a long message around the first word found', async () => {
    const { alice, conversationId } = await pair(suite);
    const long = `${'filler '.repeat(2_000)}needle in the middle ${'filler '.repeat(2_000)}`;
    await send(alice, conversationId, long);
    const [found] = (await search(alice, 'needle')).results;
    expect(found?.snippet).toContain('needle in the middle');
    expect(found?.snippet.length).toBeLessThanOrEqual(160);
    expect(found).toMatchObject({ isCutBefore: true, isCutAfter: true });
  });

  it('pages through the matches with beforeId', async () => {
    const { alice, conversationId } = await pair(suite);
    for (let index = 1; index <= 5; index++) await send(alice, conversationId, `page ${index}`);
    const first = await search(alice, 'page', { limit: 2 });
    expect(seqsOf(first)).toEqual([5, 4]);
    expect(first.hasMore).toBe(true);
    const second = await search(alice, 'page', { limit: 2, beforeId: first.results[1]!.id });
    expect(seqsOf(second)).toEqual([3, 2]);
    const last = await search(alice, 'page', { limit: 2, beforeId: second.results[1]!.id });
    expect(seqsOf(last)).toEqual([1]);
    expect(last.hasMore).toBe(false);
  });

  it('follows edits and deletions, and leaves out what the searcher hid', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'the old wording');
    await send(alice, conversationId, 'a secret to delete');
    await send(bob, conversationId, 'a remark alice hides');
    const edited = await call(alice.socket, 'message:edit', {
      conversationId,
      seq: 1,
      body: 'the new phrasing',
      clientEditId: randomUUID(),
    });
    expect(edited.ok).toBe(true);
    const deleted = await call(alice.socket, 'message:delete', {
      conversationId,
      seq: 2,
      for: 'everyone',
    });
    expect(deleted.ok).toBe(true);
    const hidden = await call(alice.socket, 'message:delete', {
      conversationId,
      seq: 3,
      for: 'me',
    });
    expect(hidden.ok).toBe(true);

    expect(seqsOf(await search(bob, 'wording'))).toEqual([]);
    expect(seqsOf(await search(bob, 'phrasing'))).toEqual([1]);
    expect(seqsOf(await search(bob, 'secret'))).toEqual([]);
    expect(seqsOf(await search(alice, 'remark'))).toEqual([]);
    expect(seqsOf(await search(bob, 'remark'))).toEqual([3]);
  });

  it('shows a member only what they may see: from joining, up to leaving, never system messages', async () => {
    const owner = await person(suite, 'owner');
    const early = await person(suite, 'early');
    const late = await person(suite, 'late');
    const stranger = await person(suite, 'stranger');
    const conversationId = await group(owner, [early]);
    await send(owner, conversationId, 'banana before late joined');
    const added = await call(owner.socket, 'group:add-members', {
      conversationId,
      usernames: [late.user.username],
    });
    expect(added.ok).toBe(true);
    await send(owner, conversationId, 'banana after late joined');
    const removed = await call(owner.socket, 'group:remove-member', {
      conversationId,
      userId: early.user.id,
    });
    expect(removed.ok).toBe(true);
    await send(owner, conversationId, 'banana after early left');

    const everything = seqsOf(await search(owner, 'banana'));
    expect(everything).toHaveLength(3);
    const [afterLeft, afterJoined, beforeJoined] = everything;
    expect(seqsOf(await search(late, 'banana'))).toEqual([afterLeft, afterJoined]);
    expect(seqsOf(await search(early, 'banana'))).toEqual([afterJoined, beforeJoined]);
    expect(seqsOf(await search(stranger, 'banana'))).toEqual([]);
    // The system messages name the members and the group, and are never found.
    expect(seqsOf(await search(owner, 'plans'))).toEqual([]);
    expect(seqsOf(await search(owner, late.user.username))).toEqual([]);
  });

  it('searches within one conversation, and refuses one the searcher is not in', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const carol = await person(suite, 'carol');
    const other = await call(alice.socket, 'conversation:start', { username: carol.user.username });
    if (!other.ok) throw new Error(other.message);
    await send(alice, conversationId, 'kiwi for bob');
    await send(alice, other.conversation.id, 'kiwi for carol');

    expect((await search(alice, 'kiwi')).results).toHaveLength(2);
    const inOne = await search(alice, 'kiwi', { conversationId });
    expect(inOne.results.map((result) => result.conversationId)).toEqual([conversationId]);
    const refused = await call(carol.socket, 'message:search', { query: 'kiwi', conversationId });
    expect(refused).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
      message: 'No such conversation.',
    });
    const unknown = await call(bob.socket, 'message:search', {
      query: 'kiwi',
      conversationId: randomUUID(),
    });
    expect(unknown).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('refuses a search whose words are in more than 1,000 messages, and narrows with more words', async () => {
    const { alice, conversationId } = await pair(suite);
    await appendGeneratedMessages(suite.server.database.db, conversationId, alice.user.id, 1_200);
    const broad = await call(alice.socket, 'message:search', { query: 'generated' });
    expect(broad).toEqual({
      ok: false,
      code: 'SEARCH_TOO_BROAD',
      field: 'query',
      message: 'These words are in more than 1,000 messages. Add a word, or search in one chat.',
    });
    const narrow = await search(alice, 'generated message 1150', { conversationId });
    expect(seqsOf(narrow)).toEqual([1_150]);
  });

  it('gives a clear error for every bad search, and the socket stays usable', async () => {
    const { alice } = await pair(suite);
    const cases: [unknown, string][] = [
      [{ query: '' }, 'Type at least 2 letters or digits to search.'],
      [{ query: '  a  ' }, 'Type at least 2 letters or digits to search.'],
      [{ query: '?! …' }, 'Type at least 2 letters or digits to search.'],
      [{ query: 'x'.repeat(201) }, 'Search for at most 200 characters.'],
      [{ query: 'ab\u0000cd' }, 'Search text cannot contain control characters.'],
      [
        { query: 'ab\ud800cd' },
        'Search text cannot contain broken characters (an unpaired UTF-16 surrogate).',
      ],
      [{ query: 'a b c d e f g h i j k' }, 'Search for at most 10 words at a time.'],
      [{ query: 42 }, 'Search text must be text.'],
      [{ query: 'hello', limit: 51 }, 'Must be a whole number from 1 to 50.'],
      [{ query: 'hello', conversationId: 'nope' }, 'Must be a UUID.'],
      [{ query: 'hello', extra: true }, 'Unrecognized key: "extra"'],
    ];
    for (const [payload, message] of cases) {
      const ack = await call(alice.socket, 'message:search', payload as { query: string });
      expect(ack, JSON.stringify(payload)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      expect(ack.ok === false && ack.message, JSON.stringify(payload)).toContain(message);
    }
    // Quotes, backslashes and tsquery operators are only text.
    expect((await search(alice, `it's a \\ "test" & | ! (x) :*`)).results).toEqual([]);
  });
});
