// Receipts to a conversation's members, over a real Socket.IO server and real clients: at once
// in small conversations; in big groups the conversation-wide ticks of a short while go out as
// one receipt with the newest values, while a reader's own devices hear of a read at once.

import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptUpdate } from '../../protocol';
import type { MarkerResult } from '../../server/chat/advance-markers';
import { IMMEDIATE_RECEIPTS_MAX_MEMBERS, ReceiptBroadcaster } from '../../server/realtime/receipts';
import { userRoom } from '../../server/realtime/rooms';
import type { ParleyIo } from '../../server/realtime/types';

let httpServer: HttpServer;
let io: ParleyIo;
let url: string;
const clients: Socket[] = [];

beforeAll(async () => {
  httpServer = createServer();
  io = new Server(httpServer) as unknown as ParleyIo;
  io.on('connection', (socket) => {
    void socket.join(userRoom(String(socket.handshake.auth.userId)));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const client of clients) client.close();
  await new Promise<void>((resolve) => void io.close(() => resolve()));
});

/** A member's device that keeps every receipt it gets. */
async function device(userId: string) {
  const socket = connectClient(url, { transports: ['websocket'], auth: { userId } });
  clients.push(socket);
  const receipts: ReceiptUpdate[] = [];
  socket.on('receipt:updated', (receipt: ReceiptUpdate) => receipts.push(receipt));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  // Joining the room happens on the server after connect: a round trip settles it.
  await settled(socket, userId);
  return { socket, receipts, userId };
}

/** Resolves once everything sent to `userId` before this call has reached the device. */
function settled(socket: Socket, userId: string): Promise<void> {
  const token = Math.random().toString(36);
  return new Promise((resolve) => {
    const onMark = (value: string) => {
      if (value !== token) return;
      socket.off('mark', onMark);
      resolve();
    };
    socket.on('mark', onMark);
    (io.to(userRoom(userId)) as unknown as { emit(event: string, value: string): void }).emit(
      'mark',
      token,
    );
  });
}

function firstReceipt(socket: Socket): Promise<ReceiptUpdate> {
  return new Promise((resolve) => socket.once('receipt:updated', resolve));
}

let conversations = 0;

/** Marker results of one conversation whose `memberIds` include the given devices' users. */
function conversation(memberCount: number, memberIds: string[]) {
  const conversationId = `c${++conversations}`;
  const everyone = [
    ...memberIds,
    ...Array.from({ length: memberCount - memberIds.length }, (_, index) => `x${index}`),
  ];
  return (
    userId: string,
    markers: {
      deliveredSeq: number;
      readSeq: number;
      deliveredToAllSeq: number;
      readByAllSeq: number;
    },
    options: { isRead?: boolean; isConversationWide?: boolean } = {},
  ): MarkerResult => ({
    receipt: { conversationId, userId, ...markers },
    notifyUserIds:
      options.isConversationWide === false ? (options.isRead ? [userId] : []) : everyone,
    isOwnDevicesNotified: options.isRead ?? false,
    newlyDelivered: 0,
    readHiddenByIds: [],
  });
}

describe('ReceiptBroadcaster', () => {
  it('sends every receipt at once in a small conversation', async () => {
    const broadcaster = new ReceiptBroadcaster(io, () => 60_000);
    const alice = await device('alice-small');
    const bob = await device('bob-small');
    const move = conversation(2, [alice.userId, bob.userId]);
    broadcaster.send(
      move(bob.userId, { deliveredSeq: 1, readSeq: 0, deliveredToAllSeq: 1, readByAllSeq: 0 }),
    );
    broadcaster.send(
      move(bob.userId, { deliveredSeq: 2, readSeq: 2, deliveredToAllSeq: 2, readByAllSeq: 2 }),
    );
    // The window is a minute: only receipts sent at once can be here.
    await settled(alice.socket, alice.userId);
    expect(alice.receipts.map((receipt) => receipt.deliveredToAllSeq)).toEqual([1, 2]);
    await settled(bob.socket, bob.userId);
    expect(bob.receipts).toHaveLength(2);
  });

  it('sends a big group one receipt with the newest ticks of a short while', async () => {
    const broadcaster = new ReceiptBroadcaster(io);
    const alice = await device('alice-big');
    const bob = await device('bob-big');
    const move = conversation(IMMEDIATE_RECEIPTS_MAX_MEMBERS + 50, [alice.userId, bob.userId]);
    const arriving = firstReceipt(alice.socket);
    broadcaster.send(
      move('m1', { deliveredSeq: 5, readSeq: 0, deliveredToAllSeq: 3, readByAllSeq: 0 }),
    );
    broadcaster.send(
      move('m2', { deliveredSeq: 5, readSeq: 4, deliveredToAllSeq: 5, readByAllSeq: 1 }),
    );
    broadcaster.send(
      move('m3', { deliveredSeq: 4, readSeq: 0, deliveredToAllSeq: 4, readByAllSeq: 0 }),
    );
    const receipt = await arriving;
    expect(receipt).toMatchObject({ userId: 'm3', deliveredToAllSeq: 5, readByAllSeq: 1 });
    await settled(alice.socket, alice.userId);
    expect(alice.receipts).toHaveLength(1);
    await settled(bob.socket, bob.userId);
    expect(bob.receipts).toEqual([receipt]);
  });

  it('tells the reader’s other devices of a read at once, and the group later', async () => {
    const broadcaster = new ReceiptBroadcaster(io, () => 60_000);
    const reader = await device('reader-big');
    const other = await device('other-big');
    const move = conversation(IMMEDIATE_RECEIPTS_MAX_MEMBERS + 1, [reader.userId, other.userId]);
    const read = move(
      reader.userId,
      { deliveredSeq: 9, readSeq: 9, deliveredToAllSeq: 7, readByAllSeq: 6 },
      { isRead: true },
    );
    broadcaster.send(read);
    await settled(reader.socket, reader.userId);
    expect(reader.receipts).toEqual([read.receipt]);
    await settled(other.socket, other.userId);
    expect(other.receipts).toEqual([]);

    // Before a node closes its sockets, whatever waits goes out.
    broadcaster.flushAll();
    await settled(other.socket, other.userId);
    expect(other.receipts).toEqual([read.receipt]);
    await settled(reader.socket, reader.userId);
    expect(reader.receipts).toEqual([read.receipt, read.receipt]);
  });

  it('sends a read that moves nothing conversation-wide only to the reader, at once', async () => {
    const broadcaster = new ReceiptBroadcaster(io, () => 60_000);
    const reader = await device('reader-own');
    const move = conversation(IMMEDIATE_RECEIPTS_MAX_MEMBERS + 1, [reader.userId]);
    const read = move(
      reader.userId,
      { deliveredSeq: 3, readSeq: 3, deliveredToAllSeq: 1, readByAllSeq: 0 },
      { isRead: true, isConversationWide: false },
    );
    broadcaster.send(read);
    await settled(reader.socket, reader.userId);
    expect(reader.receipts).toEqual([read.receipt]);
  });
});
