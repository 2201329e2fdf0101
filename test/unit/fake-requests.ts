// A request function that answers like the server would from a list of stored messages, for
// unit tests of the client's sync and outbox logic. The real server is tested elsewhere.

import type { Notify, Request } from '../../hooks/client/transport';
import {
  ClientEvent,
  type ClientEventName,
  type ClientEventPayload,
  type ConversationSummary,
  type ListCursor,
  type Message,
} from '../../protocol';

export interface Call {
  event: ClientEventName;
  payload: Record<string, unknown>;
}

export const message = (seq: number, senderId = 'bob', conversationId = 'c1'): Message => ({
  id: seq * 10,
  conversationId,
  seq,
  senderId,
  senderUsername: senderId,
  clientMsgId: `m${seq}`,
  kind: 'text',
  body: `message ${seq}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
});

export const summary = (patch: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id: 'c1',
  kind: 'direct',
  membership: 'member',
  title: 'bob',
  peer: { id: 'bob', username: 'bob' },
  lastSeq: 0,
  lastChangeSeq: 0,
  readSeq: 0,
  deliveredSeq: 0,
  unreadCount: 0,
  deliveredToAllSeq: 0,
  readByAllSeq: 0,
  memberCount: 2,
  myRole: 'member',
  isMuted: false,
  pinnedAt: null,
  archivedAt: null,
  lastMessage: null,
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  ...patch,
});

/**
 * Serves message:history (after, before or around a seq), message:changes (the stored
 * messages whose changeSeq lies beyond the cursor, and alice's unread count on the last
 * page) and conversation:list (with the first page past each cursor sent), and takes conversation:mark-delivered without an answer;
 * records calls. `stored` may be changed by a test meanwhile.
 */
export function fakeServer(stored: Message[], conversations: ConversationSummary[] = []) {
  const calls: Call[] = [];
  const request = async <E extends ClientEventName>(event: E, payload: ClientEventPayload<E>) => {
    calls.push({ event, payload: payload as Record<string, unknown> });
    return answer(event, payload as Record<string, unknown>);
  };
  function answer(event: ClientEventName, payload: Record<string, unknown>): unknown {
    if (event === ClientEvent.ConversationList) return answerList(payload);
    if (event === ClientEvent.MessageChanges) return answerChanges(payload);
    if (event !== ClientEvent.MessageHistory)
      return { ok: false, code: 'BAD_REQUEST', message: 'Not served here.' };
    return answerHistory(payload);
  }
  /** With cursors, the first page past each one of a listed conversation with news. */
  function answerList(payload: Record<string, unknown>): unknown {
    const { cursors } = payload as { cursors?: ListCursor[] };
    if (!cursors) return { ok: true, conversations };
    const pages = cursors.flatMap(({ conversationId, afterSeq }) => {
      const listed = conversations.find((item) => item.id === conversationId);
      if (!listed || listed.lastSeq <= afterSeq) return [];
      const { messages, hasMore } = answerHistory({ conversationId, afterSeq, limit: 100 });
      return [{ conversationId, messages, hasMore }];
    });
    return { ok: true, conversations, pages };
  }
  function answerHistory(payload: Record<string, unknown>) {
    const {
      conversationId,
      afterSeq,
      beforeSeq,
      aroundSeq,
      limit = 50,
    } = payload as {
      conversationId: string;
      afterSeq?: number;
      beforeSeq?: number;
      aroundSeq?: number;
      limit?: number;
    };
    const all = stored.filter((item) => item.conversationId === conversationId);
    if (aroundSeq !== undefined) {
      const from = aroundSeq - Math.floor(limit / 2);
      const page = all.filter((item) => item.seq >= from).slice(0, limit);
      return { ok: true, messages: page, hasMore: (page[0]?.seq ?? 1) > 1 };
    }
    if (afterSeq !== undefined) {
      const after = all.filter((item) => item.seq > afterSeq);
      return { ok: true, messages: after.slice(0, limit), hasMore: after.length > limit };
    }
    const before = all.filter((item) => beforeSeq === undefined || item.seq < beforeSeq);
    return { ok: true, messages: before.slice(-limit), hasMore: before.length > limit };
  }
  function answerChanges(payload: Record<string, unknown>): unknown {
    const { conversationId, afterChangeSeq, limit } = payload as {
      conversationId: string;
      afterChangeSeq: number;
      limit: number;
    };
    const changed = stored
      .filter((item) => item.conversationId === conversationId && (item.changeSeq ?? 0) > 0)
      .sort((a, b) => (a.changeSeq ?? 0) - (b.changeSeq ?? 0));
    const beyond = changed.filter((item) => (item.changeSeq ?? 0) > afterChangeSeq);
    const page = beyond.slice(0, limit);
    const hasMore = beyond.length > limit;
    const newest = changed.at(-1)?.changeSeq ?? 0;
    return {
      ok: true,
      changes: {
        conversationId,
        messages: page,
        // The last page reaches the conversation's counter (changes not ours to see included).
        changeSeq: hasMore ? page.at(-1)!.changeSeq : Math.max(newest, afterChangeSeq),
        hasMore,
        ...(hasMore ? {} : { unread: unreadOf(conversationId) }),
      },
    };
  }
  /** The viewer's (alice's) unread count, from the read marker of the conversation listed. */
  function unreadOf(conversationId: string) {
    const all = stored.filter((item) => item.conversationId === conversationId);
    const readSeq = conversations.find((item) => item.id === conversationId)?.readSeq ?? 0;
    const unread = all.filter(
      (item) => item.seq > readSeq && item.senderId !== 'alice' && !item.deleted && !item.isHidden,
    );
    return { unreadCount: unread.length, lastSeq: all.at(-1)?.seq ?? 0, readSeq };
  }
  /** Events sent without an ack (delivery reports): recorded among the calls, answered never. */
  const notify: Notify = (event, payload) => {
    calls.push({ event, payload: payload as Record<string, unknown> });
    return true;
  };
  // Answers are built by event name at run time; TypeScript cannot narrow E from them.
  return { request: request as Request, notify, calls, conversations };
}
