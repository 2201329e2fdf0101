// "bob is typing…": relayed to the other members, and cleared when the typist's socket goes.
// Each update carries its socket's arrival order: a "stopped" whose handler finished late must
// not clear the "typing" that followed it, so clients drop an update older than one they have.

import { listMemberIds } from '../../db';
import { ServerEvent } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { deviceOf, nextArrival } from './arrival';
import { userRoom } from './rooms';
import type { ParleyIo, ParleySocket } from './types';

/**
 * What each socket said last in each conversation, with that event's arrival order, to say
 * "stopped" for it when it disconnects. A handler that finishes late does not overwrite what a
 * newer event of the socket said.
 */
const lastSaid = new WeakMap<ParleySocket, Map<string, { isTyping: boolean; order: number }>>();

/**
 * Checks membership and returns the function that tells the other members. `order`: the
 * event's arrival on its socket (./arrival.ts).
 */
export async function prepareTyping(
  deps: Deps,
  io: ParleyIo,
  socket: ParleySocket,
  conversationId: string,
  isTyping: boolean,
  order: number,
): Promise<() => void> {
  const user = socket.data.user;
  const memberIds = await listMemberIds(deps.db, conversationId);
  if (!memberIds.includes(user.id)) throw conversationNotFound();
  const said = lastSaid.get(socket) ?? new Map<string, { isTyping: boolean; order: number }>();
  const previous = said.get(conversationId);
  if (!previous || previous.order < order) said.set(conversationId, { isTyping, order });
  lastSaid.set(socket, said);
  const others = memberIds.filter((id) => id !== user.id);
  return () => {
    if (others.length === 0) return;
    io.to(others.map(userRoom)).emit(ServerEvent.TypingUpdated, {
      conversationId,
      user: {
        id: user.id,
        username: user.username,
        ...(user.displayName ? { displayName: user.displayName } : {}),
      },
      isTyping,
      device: deviceOf(socket),
      order,
    });
  };
}

/** A disconnecting socket stops typing everywhere it was. */
export async function stopTypingOnDisconnect(
  deps: Deps,
  io: ParleyIo,
  socket: ParleySocket,
): Promise<void> {
  // After every event the socket sent: nothing it said can be newer.
  const order = nextArrival(socket);
  const typingIn = [...(lastSaid.get(socket) ?? [])].filter(([, said]) => said.isTyping);
  for (const [conversationId] of typingIn) {
    const announce = await prepareTyping(deps, io, socket, conversationId, false, order).catch(
      () => null,
    );
    announce?.();
  }
  lastSaid.delete(socket);
}
