// Online and last seen. The source of truth is Socket.IO itself: a user is online while their
// `user:<id>` room has a socket, on any node (fetchSockets asks every node through the
// adapter). Going offline waits a grace period, so a reload or a brief network switch does
// not flicker; only the last connection's departure counts.

import {
  filterContacts,
  findLastSeen,
  findUsersHidingPresence,
  listContactIds,
  listContactPairs,
  listPresenceViewerIds,
  touchLastSeen,
} from '../../db';
import { PRESENCE_PUSH_GROUP_MAX, ServerEvent, type Presence } from '../../protocol';
import type { Deps } from '../deps';
import { safeError } from '../logger';
import { Batcher } from '../lib/batcher';
import { userRoom } from './rooms';
import type { ParleyIo } from './types';

/** A person's first socket opened, or their grace period after the last one ended. */
interface Change {
  userId: string;
  kind: 'arrived' | 'departed';
}

/** How long to wait for the other nodes before answering from this node's sockets alone. */
const CLUSTER_QUERY_TIMEOUT_MS = 1_500;

export class PresenceTracker {
  /** Users whose last socket on this node left; they turn offline when the timer fires. */
  private readonly leaving = new Map<string, ReturnType<typeof setTimeout>>();
  /**
   * Last seen, written as connections close: those that close together (a node's network
   * dropping thousands at once) are written together, in one statement.
   */
  private readonly lastSeenWriter: Batcher<string, Date>;
  /**
   * Arrivals and departures, told to contacts in the order they came: those that come together
   * are checked against the sockets, and their viewers looked up, together. One batch at a
   * time, so a later change is never told before an earlier one.
   */
  private readonly changes: Batcher<Change, void>;

  constructor(
    private readonly io: ParleyIo,
    private readonly deps: Deps,
    private readonly graceMs: number,
  ) {
    this.lastSeenWriter = new Batcher(
      async (userIds: string[]) => {
        const seen = await touchLastSeen(deps.db, [...new Set(userIds)]);
        return userIds.map((userId) => seen.get(userId) ?? new Date());
      },
      { maxBatch: 500, concurrency: 1 },
    );
    this.changes = new Batcher(
      async (changes: Change[]) => {
        await this.tell(changes);
        return changes.map(() => undefined);
      },
      { maxBatch: 500, concurrency: 1 },
    );
  }

  async onConnect(userId: string): Promise<void> {
    const wasLeaving = this.leaving.has(userId);
    clearTimeout(this.leaving.get(userId));
    this.leaving.delete(userId);
    // Within the grace period nobody was told the user had gone: nothing to tell now.
    if (wasLeaving) return;
    await this.changes.add({ userId, kind: 'arrived' });
  }

  async onDisconnect(userId: string): Promise<void> {
    // Marked as leaving before anything is awaited: a reconnect that comes while last seen is
    // written must find it, or it would be announced as coming online.
    const touched = this.lastSeenWriter.add(userId);
    // The grace period counts from the last connection's departure.
    clearTimeout(this.leaving.get(userId));
    const timer = setTimeout(() => {
      this.leaving.delete(userId);
      void touched
        .then(() => this.changes.add({ userId, kind: 'departed' }))
        .catch((error: unknown) =>
          this.deps.logger.error(
            { event: 'presence.failed', err: safeError(error) },
            'presence update failed',
          ),
        );
    }, this.graceMs);
    timer.unref();
    this.leaving.set(userId, timer);
    await touched;
  }

  /**
   * Tells each of these users the presence of the others who are their contacts: for people
   * who just became contacts (the first message of a direct conversation), whose apps asked
   * before and were told nothing. One statement finds who is whose contact and who hides their
   * presence (someone who hides it, or whose viewer hides theirs, is told as neither online
   * nor seen, as in query).
   */
  async introduce(userIds: string[]): Promise<void> {
    const pairs = await listContactPairs(this.deps.db, [...new Set(userIds)]);
    const shownIds = new Set(
      pairs.filter((pair) => !pair.isEitherHiding).map((pair) => pair.contactId),
    );
    const shown = new Map((await this.current([...shownIds])).map((p) => [p.userId, p]));
    for (const { viewerId, contactId, isEitherHiding } of pairs) {
      const presence = isEitherHiding ? undefined : shown.get(contactId);
      this.io
        .to(userRoom(viewerId))
        .emit(ServerEvent.PresenceUpdated, presence ?? hiddenPresence(contactId));
    }
  }

  /**
   * Presence of the people among `userIds` who are the viewer's contacts (listContactIds).
   * Someone who hides their presence (privacy: nobody) is told as neither online nor seen; a
   * viewer who hides theirs is told that of everyone.
   */
  async query(viewerId: string, userIds: string[]): Promise<Presence[]> {
    const visible = await filterContacts(this.deps.db, viewerId, [...new Set(userIds)]);
    if (visible.length === 0) return [];
    const hidden = await findUsersHidingPresence(this.deps.db, [viewerId, ...visible]);
    if (hidden.has(viewerId)) return visible.map(hiddenPresence);
    const shown = new Map(
      (await this.current(visible.filter((id) => !hidden.has(id)))).map((p) => [p.userId, p]),
    );
    return visible.map((userId) => shown.get(userId) ?? hiddenPresence(userId));
  }

  /**
   * After the user changed who sees their presence: their contacts are told it as they may now
   * see it, and the user is told the contacts' (hiding yours hides theirs from you).
   */
  async refresh(userId: string): Promise<void> {
    const contacts = await listContactIds(this.deps.db, userId);
    if (contacts.length === 0) return;
    const hidden = await findUsersHidingPresence(this.deps.db, [userId, ...contacts]);
    const [mine] = hidden.has(userId) ? [hiddenPresence(userId)] : await this.current([userId]);
    const viewers = contacts.filter((id) => !hidden.has(id));
    if (mine && viewers.length > 0) {
      this.io.to(viewers.map(userRoom)).emit(ServerEvent.PresenceUpdated, mine);
    }
    for (const presence of await this.query(userId, contacts)) {
      this.io.to(userRoom(userId)).emit(ServerEvent.PresenceUpdated, presence);
    }
  }

  /** refresh, for after an ack: a failure is logged, never thrown. */
  refreshLater(userId: string): void {
    this.refresh(userId).catch((error: unknown) =>
      this.deps.logger.error(
        { event: 'presence.failed', err: safeError(error) },
        'presence update failed',
      ),
    );
  }

  /** Online state and last seen of these users, whoever asks. */
  private async current(userIds: string[]): Promise<Presence[]> {
    if (userIds.length === 0) return [];
    const sockets = await this.socketsOf(userIds);
    const online = new Set(sockets.map((socket) => socket.data.user.id));
    for (const userId of this.leaving.keys()) online.add(userId);
    const lastSeen = await findLastSeen(
      this.deps.db,
      userIds.filter((id) => !online.has(id)),
    );
    return userIds.map((userId) =>
      online.has(userId)
        ? { userId, isOnline: true, lastSeenAt: null }
        : { userId, isOnline: false, lastSeenAt: lastSeen.get(userId)?.toISOString() ?? null },
    );
  }

  /** Which of these users have a socket open right now, on any node. */
  async connectedAmong(userIds: string[]): Promise<Set<string>> {
    const connected = this.connectedHere(userIds);
    const away = userIds.filter((id) => !connected.has(id));
    for (const id of await this.connectedElsewhere(away)) connected.add(id);
    return connected;
  }

  /** Which of these users, none of them connected here, have a socket open on another node. */
  async connectedElsewhere(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    return new Set((await this.socketsOf(userIds)).map((socket) => socket.data.user.id));
  }

  /** Which of these users have a socket open on this node: known without asking the others. */
  connectedHere(userIds: string[]): Set<string> {
    const rooms = this.io.sockets.adapter.rooms;
    return new Set(userIds.filter((id) => (rooms.get(userRoom(id))?.size ?? 0) > 0));
  }

  /** How many distinct people have a socket open right now, on every node (the admin overview). */
  async countOnline(): Promise<number> {
    const sockets = await this.socketsOf(null);
    return new Set(sockets.map((socket) => socket.data.user.id)).size;
  }

  stop(): void {
    for (const timer of this.leaving.values()) clearTimeout(timer);
    this.leaving.clear();
  }

  /**
   * Resolves once the last seen of every socket that closed, and the arrivals being told, are
   * written: a closing node waits for it before its database closes.
   */
  async settled(): Promise<void> {
    await Promise.all([this.lastSeenWriter.idle(), this.changes.idle()]);
  }

  /**
   * The users' sockets (null: everyone's) on every node. Asking the other nodes goes through
   * Redis; while Redis is down that would wait, so after a short while this node answers for
   * itself.
   */
  private async socketsOf(userIds: string[] | null) {
    // No rooms is every socket, in Socket.IO's broadcast operators.
    const rooms = userIds === null ? [] : userIds.map(userRoom);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), CLUSTER_QUERY_TIMEOUT_MS);
    });
    try {
      const everywhere = await Promise.race([
        this.io
          .in(rooms)
          .fetchSockets()
          .catch(() => null),
        timeout,
      ]);
      return everywhere ?? (await this.io.local.in(rooms).fetchSockets());
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Tells contacts of these arrivals and departures, as the sockets are now: someone who
   * arrived is online if every socket they have arrived in this batch (their first); someone
   * who departed is offline, with last seen, if they have no socket left on any node. Nobody
   * hears of someone who hides their presence, nor does someone who hides theirs.
   */
  private async tell(changes: Change[]): Promise<void> {
    const userIds = [...new Set(changes.map((change) => change.userId))];
    const socketCounts = new Map<string, number>();
    for (const socket of await this.socketsOf(userIds)) {
      const id = socket.data.user.id;
      socketCounts.set(id, (socketCounts.get(id) ?? 0) + 1);
    }
    const arrivals = new Map<string, number>();
    const departed = new Set<string>();
    for (const { userId, kind } of changes) {
      if (kind === 'arrived') arrivals.set(userId, (arrivals.get(userId) ?? 0) + 1);
      else departed.add(userId);
    }
    const online = userIds.filter((userId) => {
      const sockets = socketCounts.get(userId) ?? 0;
      return sockets > 0 && sockets <= (arrivals.get(userId) ?? 0);
    });
    const offline = [...departed].filter((userId) => !socketCounts.has(userId));
    if (online.length === 0 && offline.length === 0) return;
    const [viewers, lastSeen] = await Promise.all([
      listPresenceViewerIds(this.deps.db, [...online, ...offline], PRESENCE_PUSH_GROUP_MAX),
      findLastSeen(this.deps.db, offline),
    ]);
    const tell = (presence: Presence) => {
      const to = viewers.get(presence.userId) ?? [];
      if (to.length > 0) this.io.to(to.map(userRoom)).emit(ServerEvent.PresenceUpdated, presence);
    };
    for (const userId of online) tell({ userId, isOnline: true, lastSeenAt: null });
    for (const userId of offline) {
      tell({ userId, isOnline: false, lastSeenAt: lastSeen.get(userId)?.toISOString() ?? null });
    }
  }
}

/** What a viewer is told of someone whose presence they may not see: neither online nor seen. */
export function hiddenPresence(userId: string): Presence {
  return { userId, isOnline: false, lastSeenAt: null };
}
