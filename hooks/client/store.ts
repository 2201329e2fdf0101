// The chat state as a zustand vanilla store, and the few ways the client's parts change it.
// Every change goes through the pure rules of chat-state.ts; one that changes nothing keeps
// the state object as it is, so no listener runs and nothing re-renders.

import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  LIMIT_SETTINGS,
  MESSAGE_MAX_CODE_POINTS,
  type ConversationSummary,
  type MembershipEnded,
  type UserSummary,
} from '../../protocol';
import {
  applyMembershipEnded,
  mergeSummary,
  replaceConversation,
  type ChatState,
  type Thread,
} from '../chat-state';

export type ChatStore = StoreApi<ChatState>;

export function createChatStore(me: UserSummary): ChatStore {
  return createStore<ChatState>()(() => ({
    connection: 'connecting',
    me,
    isAdmin: false,
    // Until session:ready names the server's own.
    limits: {
      maxMessageLength: MESSAGE_MAX_CODE_POINTS,
      editWindowMinutes: LIMIT_SETTINGS.editWindowMinutes.default,
      deleteWindowHours: LIMIT_SETTINGS.deleteWindowHours.default,
    },
    privacy: { presence: 'contacts', readReceipts: true, findableByName: true },
    presence: {},
    people: {},
    blocked: null,
    profile: { id: me.id, username: me.username, displayName: me.displayName ?? '', about: '' },
    typing: {},
    members: {},
    conversations: [],
    isListLoaded: false,
    threads: {},
    pending: [],
    drafts: {},
    activeConversationId: null,
    isSessionEnded: false,
    sendingPausedUntil: null,
    isWaitingForServer: false,
  }));
}

/** Applies `change`; a change that returns the state it got notifies nobody. */
export function update(store: ChatStore, change: (state: ChatState) => ChatState): void {
  store.setState(change, true);
}

/** Sets the fields that differ; when none does, nothing happens. */
export function patch(store: ChatStore, fields: Partial<ChatState>): void {
  update(store, (state) => {
    const keys = Object.keys(fields) as (keyof ChatState)[];
    return keys.some((key) => state[key] !== fields[key]) ? { ...state, ...fields } : state;
  });
}

export function summaryOf(state: ChatState, conversationId: string) {
  return state.conversations.find((item) => item.id === conversationId);
}

export function updateSummary(
  store: ChatStore,
  conversationId: string,
  change: (summary: ConversationSummary) => ConversationSummary,
): void {
  update(store, (state) => {
    const index = state.conversations.findIndex((item) => item.id === conversationId);
    if (index === -1) return state;
    const current = state.conversations[index]!;
    const next = change(current);
    if (next === current) return state;
    const conversations = [...state.conversations];
    conversations[index] = next;
    return { ...state, conversations };
  });
}

/** A summary from the server, merged with what the device learned meanwhile. */
export function upsertSummary(store: ChatStore, summary: ConversationSummary): void {
  update(store, (state) => ({
    ...state,
    conversations: replaceConversation(
      state.conversations,
      mergeSummary(summary, summaryOf(state, summary.id)),
    ),
  }));
}

export function patchThread(
  store: ChatStore,
  conversationId: string,
  change: (thread: Thread) => Thread,
): void {
  update(store, (state) => {
    const thread = state.threads[conversationId];
    if (!thread) return state;
    const next = change(thread);
    return next === thread
      ? state
      : { ...state, threads: { ...state.threads, [conversationId]: next } };
  });
}

/**
 * The user is no longer a member: the conversation and its messages stay, read-only; its
 * members, typing and unsent messages go.
 */
export function endMembership(store: ChatStore, ended: MembershipEnded): void {
  const { conversationId } = ended;
  update(store, (state) => {
    const members = { ...state.members };
    delete members[conversationId];
    const typing = { ...state.typing };
    delete typing[conversationId];
    return {
      ...state,
      members,
      typing,
      conversations: state.conversations.map((item) =>
        item.id === conversationId ? applyMembershipEnded(item, ended) : item,
      ),
      pending: state.pending.filter((item) => item.conversationId !== conversationId),
    };
  });
}
