// The Socket.IO contract: event names, payloads and acks. Commands are imperative
// (`message:send`), facts are past tense (`message:created`).

import type { z } from 'zod';
import type { Ack } from './errors';
import {
  ConversationGetRequest,
  ConversationListRequest,
  ConversationMarkDeliveredRequest,
  ConversationMarkReadRequest,
  ConversationStartRequest,
  MessageHistoryRequest,
  MessageSendRequest,
} from './schemas';
import type { ConversationSummary, Message, ReceiptUpdate, SessionReady } from './types';

/** Events a client sends; each takes one payload object and an ack callback. */
export const ClientEvent = {
  ConversationList: 'conversation:list',
  ConversationGet: 'conversation:get',
  ConversationStart: 'conversation:start',
  ConversationMarkRead: 'conversation:mark-read',
  ConversationMarkDelivered: 'conversation:mark-delivered',
  MessageSend: 'message:send',
  MessageHistory: 'message:history',
} as const;

/** Events the server pushes. */
export const ServerEvent = {
  SessionReady: 'session:ready',
  MessageCreated: 'message:created',
  ReceiptUpdated: 'receipt:updated',
} as const;

export const clientEventSchemas = {
  [ClientEvent.ConversationList]: ConversationListRequest,
  [ClientEvent.ConversationGet]: ConversationGetRequest,
  [ClientEvent.ConversationStart]: ConversationStartRequest,
  [ClientEvent.ConversationMarkRead]: ConversationMarkReadRequest,
  [ClientEvent.ConversationMarkDelivered]: ConversationMarkDeliveredRequest,
  [ClientEvent.MessageSend]: MessageSendRequest,
  [ClientEvent.MessageHistory]: MessageHistoryRequest,
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;

export interface ClientEventResults {
  [ClientEvent.ConversationList]: { conversations: ConversationSummary[] };
  [ClientEvent.ConversationGet]: { conversation: ConversationSummary };
  [ClientEvent.ConversationStart]: { conversation: ConversationSummary };
  [ClientEvent.ConversationMarkRead]: { readSeq: number };
  [ClientEvent.ConversationMarkDelivered]: { deliveredSeq: number };
  /** `duplicate` is true when this clientMsgId was already stored: nothing new was written. */
  [ClientEvent.MessageSend]: { message: Message; duplicate: boolean };
  [ClientEvent.MessageHistory]: { messages: Message[]; hasMore: boolean };
}

export type ClientEventPayload<E extends ClientEventName> = z.input<(typeof clientEventSchemas)[E]>;
export type ClientEventInput<E extends ClientEventName> = z.output<(typeof clientEventSchemas)[E]>;
export type ClientEventAck<E extends ClientEventName> = Ack<ClientEventResults[E]>;

export type ClientToServerEvents = {
  [E in ClientEventName]: (
    payload: ClientEventPayload<E>,
    ack: (response: ClientEventAck<E>) => void,
  ) => void;
};

export interface ServerToClientEvents {
  [ServerEvent.SessionReady]: (payload: SessionReady) => void;
  [ServerEvent.MessageCreated]: (message: Message) => void;
  [ServerEvent.ReceiptUpdated]: (update: ReceiptUpdate) => void;
}
