// "bob is typing…": relayed to the other members, and cleared when the typist sends or the
// socket goes. Each update carries its socket's arrival order: a "stopped" whose handler finished
// late must not clear the "typing" that followed it, so clients drop an update older than one
// they have. A message ends its socket's "typing" here, in that order, and not on the clients: a
// message is told after its transaction, so the next keystroke's "typing" may reach them first.

import { listMemberIds } from '../../db';
import { ServerEvent } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { deviceOf, nextArrival } from './arrival';
import { userRoom } from './rooms';
import type { ParleyIo, ParleySocket } from './types';

interface Said {
  isTyping: boolean;
  order: number;
}

/**
 * What each socket said last in each conversation (a send says "stopped"), with that event's
 * arrival order, to say "stopped" for it when it sends or disconnects. A handler that finishes
 * late does not overwrite what a newer event of the socket said.
 */
const lastSaid = new WeakMap<ParleySocket, Map<string, Said>>();

function saidBy(socket: ParleySocket): Map<string, Said> {
  let said = lastSaid.get(socket);
  if (!said) {
    said = new Map();
    lastSaid.set(socket, said);
  }
  return said;
}

/** Tells the members other than the typist what the socket said, with its order. */
function announce(
  io: ParleyIo,
  socket: ParleySocket,
  conversationId: string,
  memberIds: readonly string[],
  isTyping: boolean,
  order: number,
): void {
  const user = socket.data.user;
  const others = memberIds.filter((id) => id !== user.id);
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
}

/**
 * Checks membership and returns the function that tells the other members. `order`: the
 * event's arrival on its socket (./arrival.ts). A "typing" older than a "stopped" or a send of
 * the socket tells nobody: they have been told "stopped", or never heard the "typing" before it.
 */
export async function prepareTyping(
  deps: Deps,
  io: ParleyIo,
  socket: ParleySocket,
  conversationId: string,
  isTyping: boolean,
  order: number,
): Promise<() => void> {
  const memberIds = await listMemberIds(deps.db, conversationId);
  if (!memberIds.includes(socket.data.user.id)) throw conversationNotFound();
  const said = saidBy(socket);
  const previous = said.get(conversationId);
  if (previous && previous.order > order) {
    if (isTyping && !previous.isTyping) return () => {};
  } else {
    said.set(conversationId, { isTyping, order });
  }
  return () => announce(io, socket, conversationId, memberIds, isTyping, order);
}

/**
 * A message the socket sent (`order`: its send's arrival) ends the socket's "typing" in its
 * conversation: the members are told "stopped", in the order of the socket's updates. A send
 * while not typing tells nobody anything.
 */
export function stopTypingOnSend(
  io: ParleyIo,
  socket: ParleySocket,
  conversationId: string,
  memberIds: readonly string[],
  order: number,
): void {
  const said = saidBy(socket);
  const previous = said.get(conversationId);
  if (previous && previous.order > order) return;
  said.set(conversationId, { isTyping: false, order });
  if (previous?.isTyping) announce(io, socket, conversationId, memberIds, false, order);
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
    const tell = await prepareTyping(deps, io, socket, conversationId, false, order).catch(
      () => null,
    );
    tell?.();
  }
  lastSaid.delete(socket);
}
