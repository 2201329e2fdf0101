// /api/admin/settings: the operator limits, for users with the admin role.

import { ErrorCode, SettingsUpdate } from '../../protocol';
import { authenticateToken } from '../auth/sessions';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import type { Realtime } from '../realtime/server';
import { assertSameOrigin, errorResponse, jsonResponse, readJsonBody } from './respond';
import { readSessionToken } from './session-cookie';
import type { RouteHandler } from './auth-routes';

export interface AdminRoutes {
  getSettings: RouteHandler;
  updateSettings: RouteHandler;
}

export function createAdminRoutes(
  deps: Deps,
  realtime: Pick<Realtime, 'settingsChanged'>,
): AdminRoutes {
  /** Admins only, checked against the database on every request: a revoked role counts at once. */
  const requireAdmin = async (request: Request) => {
    const session = await authenticateToken(deps, readSessionToken(request.headers.get('cookie')));
    if (!session) throw new AppError(ErrorCode.Unauthenticated, 'Not signed in.');
    if (session.user.role !== 'admin') {
      throw new AppError(ErrorCode.Forbidden, 'Only admins can see or change the settings.');
    }
    return session;
  };

  return {
    getSettings: async (request) => {
      try {
        await requireAdmin(request);
        return jsonResponse({ ok: true, settings: deps.settings.current });
      } catch (error) {
        return errorResponse(error, deps.logger, 'admin.get-settings');
      }
    },

    updateSettings: async (request) => {
      try {
        assertSameOrigin(request, deps.config);
        const session = await requireAdmin(request);
        const changes = await readJsonBody(request, SettingsUpdate);
        const settings = await deps.settings.update(deps.db, changes, deps.logger);
        deps.logger.info(
          { event: 'admin.settings-changed', userId: session.user.id, changes },
          'settings changed',
        );
        realtime.settingsChanged();
        return jsonResponse({ ok: true, settings });
      } catch (error) {
        return errorResponse(error, deps.logger, 'admin.update-settings');
      }
    },
  };
}
