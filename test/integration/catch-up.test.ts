// conversation:list with the device's cursors: the answer carries the first page past each
// cursor of a conversation with news, as message:history would answer it, within
// LIST_PAGES_MAX pages and LIST_PAGE_MESSAGES_MAX messages. (That each page is paid for from
// the work budget is tested in abuse.test.ts, which has a small budget.)

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIST_CURSORS_MAX, LIST_PAGE_MESSAGES_MAX } from '../../protocol';
import { call } from '../helpers/client';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { pair, person, send, setupSuite, type Person } from '../helpers/suite';

// A few hundred messages are sent as fast as the suite can.
const suite = setupSuite({ settings: { messagesPerSecond: GENEROUS_LIMITS.messagesPerSecond } });

/** `reader` and a new person with a direct conversation between them. */
async function chatWith(reader: Person, base: string) {
  const other = await person(suite, base);
  const started = await call(other.socket, 'conversation:start', {
    username: reader.user.username,
  });
  if (!started.ok) throw new Error(started.message);
  return { other, conversationId: started.conversation.id };
}

async function sendMany(sender: Person, conversationId: string, count: number) {
  for (let index = 1; index <= count; index++) {
    await send(sender, conversationId, `message ${index}`);
  }
}

describe('conversation:list with cursors', () => {
  it('carries the first page past each cursor that has news, as message:history answers it', async () => {
    const { alice, bob, conversationId: withBob } = await pair(suite);
    const carol = await chatWith(alice, 'carol');
    const dave = await chatWith(alice, 'dave');
    await sendMany(bob, withBob, 3);
    await sendMany(carol.other, carol.conversationId, 2);
    // Someone else's conversation: its cursor is ignored, whatever it says.
    const outsiders = await pair(suite);
    await send(outsiders.alice, outsiders.conversationId, 'not for alice');

    const listed = await call(alice.socket, 'conversation:list', {
      cursors: [
        { conversationId: withBob, afterSeq: 1 },
        { conversationId: carol.conversationId, afterSeq: 2 },
        { conversationId: dave.conversationId, afterSeq: 0 },
        { conversationId: outsiders.conversationId, afterSeq: 0 },
        { conversationId: randomUUID(), afterSeq: 0 },
      ],
    });
    const history = await call(alice.socket, 'message:history', {
      conversationId: withBob,
      afterSeq: 1,
      limit: 100,
    });
    expect(listed.ok && history.ok).toBe(true);
    if (!listed.ok || !history.ok) return;
    expect(listed.pages).toEqual([
      { conversationId: withBob, messages: history.messages, hasMore: false },
    ]);
    expect(history.messages.map((message) => message.body)).toEqual(['message 2', 'message 3']);

    const plain = await call(alice.socket, 'conversation:list', {});
    expect(plain.ok && 'pages' in plain).toBe(false);
  });

  it('gives the most recent conversations their pages first, up to the messages it may carry', async () => {
    const reader = await person(suite, 'reader');
    const oldest = await chatWith(reader, 'oldest');
    const middle = await chatWith(reader, 'middle');
    const newest = await chatWith(reader, 'newest');
    await sendMany(oldest.other, oldest.conversationId, 5);
    await sendMany(middle.other, middle.conversationId, 100);
    await sendMany(newest.other, newest.conversationId, 150);

    const listed = await call(reader.socket, 'conversation:list', {
      cursors: [oldest, middle, newest].map(({ conversationId }) => ({
        conversationId,
        afterSeq: 0,
      })),
    });
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    const pages = listed.pages ?? [];
    expect(pages.map((page) => [page.conversationId, page.messages.length, page.hasMore])).toEqual([
      [newest.conversationId, 100, true],
      [middle.conversationId, 100, false],
    ]);
    const carried = pages.reduce((total, page) => total + page.messages.length, 0);
    expect(carried).toBe(LIST_PAGE_MESSAGES_MAX);
    expect(pages[0]?.messages.map((message) => message.seq)).toEqual(
      Array.from({ length: 100 }, (_, index) => index + 1),
    );
  });

  it('refuses malformed cursors with a clear error', async () => {
    const { alice, conversationId } = await pair(suite);
    const tooMany = Array.from({ length: LIST_CURSORS_MAX + 1 }, () => ({
      conversationId,
      afterSeq: 0,
    }));
    const cases = [
      [{ cursors: 'all' }, /cursors as a list/],
      [{ cursors: tooMany }, new RegExp(`At most ${LIST_CURSORS_MAX} cursors`)],
      [{ cursors: [{ conversationId, afterSeq: -1 }] }, /.+/],
      [{ cursors: [{ conversationId: 'nope', afterSeq: 0 }] }, /.+/],
      [{ cursors: [{ conversationId, afterSeq: 0, limit: 5 }] }, /Unrecognized key/],
    ] as const;
    for (const [payload, message] of cases) {
      const result = await call(alice.socket, 'conversation:list', payload as never);
      expect(result).toMatchObject({ ok: false, code: 'BAD_REQUEST', message });
    }
  });
});
