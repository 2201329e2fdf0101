// The browser benchmark's server and its one long chat: a Parley process on a PGlite folder of
// its own (as the browser tests start one), two people, and messages sent over real sockets.

import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { writeSettings } from '../../db';
import { EVENTS_IN_FLIGHT_PER_SOCKET, type Message } from '../../protocol';
import { call, connect, signUp, type Account, type TestSocket } from '../../test/helpers/client';
import { makeDataDir, withDatabase } from '../../test/helpers/database';
import { startProcessServer, type ProcessServer } from '../../test/helpers/process-server';
import { GENEROUS_LIMITS } from '../../test/helpers/rate-limits';

/** Sockets the writer sends on at once; each keeps EVENTS_IN_FLIGHT_PER_SOCKET sends in flight. */
const WRITER_SOCKETS = 4;
/** One message in this many is the reader's own (from another device of theirs). */
const READER_SHARE = 5;

export interface BenchServer {
  server: ProcessServer;
  stop(): Promise<void>;
}

/**
 * Parley with the limits lifted through the settings, as an admin would, before it starts: the
 * seeding sends far faster than a person may.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const dataDir = makeDataDir();
  await withDatabase({ dataDir }, (db) => writeSettings(db, GENEROUS_LIMITS));
  const server = await startProcessServer({ dataDir });
  return {
    server,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Chat {
  baseUrl: string;
  reader: Account;
  writer: Account;
  conversationId: string;
}

/** Two people and their direct chat, opened by the writer with a first message. */
export async function startChat(baseUrl: string): Promise<Chat & { firstBody: string }> {
  const reader = await signUp(baseUrl, 'reader');
  const writer = await signUp(baseUrl, 'writer');
  const { socket } = await connect(baseUrl, writer, { origin: baseUrl });
  try {
    const started = await call(socket, 'conversation:start', { username: reader.user.username });
    if (!started.ok) throw new Error(started.message);
    const chat = { baseUrl, reader, writer, conversationId: started.conversation.id };
    const firstBody = 'Hello! This is where our chat begins.';
    await send(socket, chat.conversationId, firstBody);
    return { ...chat, firstBody };
  } finally {
    socket.close();
  }
}

const WORDS =
  'sure see you at the station around nine then bring the blue umbrella because the forecast says rain all afternoon and the trains may run late again'.split(
    ' ',
  );

/**
 * The body of the `index`th seeded message: mostly one line, some two, one in ten a paragraph
 * that wraps over several lines, so that the bubbles differ in height as in a real chat.
 */
export function bodyOf(index: number): string {
  const words = (count: number) =>
    Array.from({ length: count }, (_, offset) => WORDS[(index + offset) % WORDS.length]).join(' ');
  const kind = index % 10;
  if (kind < 6) return `${index}: ${words(2 + (index % 5))}`;
  if (kind < 9) return `${index}: ${words(4)}\n${words(3 + (index % 4))}`;
  return `${index}: ${words(40)}`;
}

/** The newest message's text: the benchmark waits for it in the list and on screen. */
export const NEWEST_BODY = 'And this is the newest message.';

export interface Seeded {
  /** The newest message: sent last, by the writer, after all the others were acked. */
  last: Message;
  seconds: number;
}

/**
 * Sends `count` messages into the chat, most by the writer and some by the reader from a
 * socket of their own, many in flight at once, then the newest one alone; then the reader
 * marks everything read, so that the chat opens at its newest message rather than at an
 * unread divider.
 */
export async function seedMessages(chat: Chat, count: number): Promise<Seeded> {
  const startedAt = performance.now();
  const options = { origin: chat.baseUrl };
  const writers = await Promise.all(
    Array.from({ length: WRITER_SOCKETS }, () => connect(chat.baseUrl, chat.writer, options)),
  );
  const reader = await connect(chat.baseUrl, chat.reader, options);
  const sockets = [...writers, reader].map((connected) => connected.socket);
  try {
    // Enough at once to keep every socket's window full, without a promise per message.
    const chunk = (WRITER_SOCKETS + 1) * EVENTS_IN_FLIGHT_PER_SOCKET * 4;
    for (let from = 0; from < count - 1; from += chunk) {
      const indexes = Array.from({ length: Math.min(chunk, count - 1 - from) }, (_, i) => from + i);
      await Promise.all(
        indexes.map((index) => {
          const socket =
            index % READER_SHARE === READER_SHARE - 1
              ? reader.socket
              : writers[index % WRITER_SOCKETS]!.socket;
          return send(socket, chat.conversationId, bodyOf(index));
        }),
      );
    }
    const last = await send(writers[0]!.socket, chat.conversationId, NEWEST_BODY);
    const read = await call(reader.socket, 'conversation:mark-read', {
      conversationId: chat.conversationId,
      seq: last.seq,
    });
    if (!read.ok) throw new Error(`mark-read refused: ${read.message}`);
    return { last, seconds: (performance.now() - startedAt) / 1000 };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

/** One message, sent again when the server says it may (the limits are lifted; just in case). */
async function send(socket: TestSocket, conversationId: string, body: string): Promise<Message> {
  const request = { conversationId, clientMsgId: randomUUID(), body };
  for (;;) {
    const sent = await call(socket, 'message:send', request);
    if (sent.ok) return sent.message;
    if (sent.code !== 'RATE_LIMITED') throw new Error(`send refused: ${sent.message}`);
    await new Promise((resolve) => setTimeout(resolve, sent.retryAfterMs));
  }
}
