import { listUsersForAdmin as listUserRows, type AdminUserRow } from '../../db';
import { ADMIN_USERS_PAGE_SIZE, type AdminUser } from '../../protocol';
import type { Deps } from '../deps';

/** Which of these users have a socket connected, on any node (Realtime.connectedAmong). */
export type ConnectedAmong = (userIds: string[]) => Promise<Set<string>>;

/**
 * A page of the admin's users list (db: listUsersForAdmin), each with whether they are online
 * now. One more row than a page is read, to know whether there is a next one.
 */
export async function listUsersForAdmin(
  deps: Pick<Deps, 'db'>,
  request: { query: string; after?: string | undefined },
  connectedAmong: ConnectedAmong,
): Promise<{ users: AdminUser[]; nextCursor: string | null }> {
  const rows = await listUserRows(deps.db, {
    text: request.query,
    afterId: request.after,
    limit: ADMIN_USERS_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, ADMIN_USERS_PAGE_SIZE);
  const online = await connectedAmong(page.map((row) => row.id));
  return {
    users: page.map((row) => toAdminUser(row, online.has(row.id))),
    nextCursor: rows.length > ADMIN_USERS_PAGE_SIZE ? (page.at(-1)?.id ?? null) : null,
  };
}

export function toAdminUser(row: AdminUserRow, isOnline: boolean): AdminUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    isOnline,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}
