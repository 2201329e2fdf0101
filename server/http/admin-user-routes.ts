// /api/admin/users/* and /api/admin/stats: the admin console's users list, the actions on one
// account, and the overview's counts. Admins only, checked against the database on every
// request; every action is logged with the admin who took it.

import { httpEndpoints } from '../../protocol';
import { ADMINS_ONLY } from '../auth/act-on-user';
import { changeUserRole } from '../auth/change-user-role';
import { countAdminStats } from '../auth/count-admin-stats';
import { disableUser } from '../auth/disable-user';
import { enableUser } from '../auth/enable-user';
import { endUserSessions } from '../auth/end-user-sessions';
import { listUsersForAdmin, toAdminUser } from '../auth/list-users-for-admin';
import type { Deps } from '../deps';
import type { Realtime } from '../realtime/server';
import { requireAdmin } from './require-admin';
import { assertSameOrigin, readJsonBody, route, successResponse, type ApiRoutes } from './respond';

export type AdminUserRoutes = Pick<
  ApiRoutes,
  'searchUsers' | 'disableUser' | 'enableUser' | 'endUserSessions' | 'setUserRole' | 'adminStats'
>;

export function createAdminUserRoutes(
  deps: Deps,
  realtime: Pick<Realtime, 'disconnectUser' | 'connectedAmong' | 'countOnlineUsers'>,
): AdminUserRoutes {
  /** The admin's answer about one account: as it is now, online or not. */
  const isOnline = async (userId: string) => (await realtime.connectedAmong([userId])).has(userId);

  return {
    searchUsers: route(deps, 'admin.search-users', async (request) => {
      // A POST only to carry its JSON body: it changes nothing, but is held to the same rules.
      assertSameOrigin(request, deps.config);
      await requireAdmin(deps, request, ADMINS_ONLY);
      const input = await readJsonBody(request, httpEndpoints.searchUsers.body);
      const page = await listUsersForAdmin(deps, input, realtime.connectedAmong);
      return successResponse('searchUsers', { ok: true, ...page });
    }),

    disableUser: route(deps, 'admin.disable-user', async (request) => {
      assertSameOrigin(request, deps.config);
      const admin = await requireAdmin(deps, request, ADMINS_ONLY);
      const { userId } = await readJsonBody(request, httpEndpoints.disableUser.body);
      const { user, sessionIds } = await disableUser(deps, admin.user.id, userId);
      // After the commit: their sockets, on every node. A reconnect finds no session.
      realtime.disconnectUser(userId);
      deps.logger.info(
        {
          event: 'admin.user-disabled',
          userId: admin.user.id,
          targetUserId: userId,
          sessions: sessionIds.length,
        },
        'an admin disabled an account',
      );
      return successResponse('disableUser', { ok: true, user: toAdminUser(user, false) });
    }),

    enableUser: route(deps, 'admin.enable-user', async (request) => {
      assertSameOrigin(request, deps.config);
      const admin = await requireAdmin(deps, request, ADMINS_ONLY);
      const { userId } = await readJsonBody(request, httpEndpoints.enableUser.body);
      const user = await enableUser(deps, admin.user.id, userId);
      deps.logger.info(
        { event: 'admin.user-enabled', userId: admin.user.id, targetUserId: userId },
        'an admin enabled an account',
      );
      return successResponse('enableUser', {
        ok: true,
        user: toAdminUser(user, await isOnline(userId)),
      });
    }),

    endUserSessions: route(deps, 'admin.end-user-sessions', async (request) => {
      assertSameOrigin(request, deps.config);
      const admin = await requireAdmin(deps, request, ADMINS_ONLY);
      const { userId } = await readJsonBody(request, httpEndpoints.endUserSessions.body);
      const { user, sessionIds } = await endUserSessions(deps, admin.user.id, userId);
      realtime.disconnectUser(userId);
      deps.logger.info(
        {
          event: 'admin.sessions-ended',
          userId: admin.user.id,
          targetUserId: userId,
          sessions: sessionIds.length,
        },
        'an admin signed an account out of every device',
      );
      return successResponse('endUserSessions', {
        ok: true,
        user: toAdminUser(user, false),
        sessionsEnded: sessionIds.length,
      });
    }),

    setUserRole: route(deps, 'admin.set-user-role', async (request) => {
      assertSameOrigin(request, deps.config);
      const admin = await requireAdmin(deps, request, ADMINS_ONLY);
      const { userId, role } = await readJsonBody(request, httpEndpoints.setUserRole.body);
      const user = await changeUserRole(deps, admin.user.id, userId, role);
      deps.logger.info(
        { event: 'admin.role-changed', userId: admin.user.id, targetUserId: userId, role },
        role === 'admin' ? 'an admin granted the admin role' : 'an admin revoked the admin role',
      );
      return successResponse('setUserRole', {
        ok: true,
        user: toAdminUser(user, await isOnline(userId)),
      });
    }),

    adminStats: route(deps, 'admin.stats', async (request) => {
      await requireAdmin(deps, request, ADMINS_ONLY);
      const stats = await countAdminStats(deps, realtime.countOnlineUsers);
      return successResponse('adminStats', { ok: true, stats });
    }),
  };
}
