// /api/admin/settings: the operator limits, for users with the admin role.

import { ErrorCode, httpEndpoints } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import type { Realtime } from '../realtime/server';
import {
  assertSameOrigin,
  readJsonBody,
  requireSession,
  route,
  successResponse,
  type ApiRoutes,
} from './respond';

export type AdminRoutes = Pick<ApiRoutes, 'getSettings' | 'updateSettings'>;

export function createAdminRoutes(
  deps: Deps,
  realtime: Pick<Realtime, 'settingsChanged'>,
): AdminRoutes {
  /** Admins only, checked against the database on every request: a revoked role counts at once. */
  const requireAdmin = async (request: Request) => {
    const session = await requireSession(deps, request);
    if (session.user.role !== 'admin') {
      throw new AppError(ErrorCode.Forbidden, 'Only admins can see or change the settings.');
    }
    return session;
  };

  return {
    getSettings: route(deps, 'admin.get-settings', async (request) => {
      await requireAdmin(request);
      return successResponse('getSettings', {
        ok: true,
        settings: deps.settings.current,
        groupsOverMaxSize: await deps.settings.countGroupsOverMaxSize(deps.db),
      });
    }),

    updateSettings: route(deps, 'admin.update-settings', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireAdmin(request);
      const changes = await readJsonBody(request, httpEndpoints.updateSettings.body);
      const settings = await deps.settings.update(deps.db, changes, deps.logger);
      deps.logger.info(
        { event: 'admin.settings-changed', userId: session.user.id, changes },
        'settings changed',
      );
      realtime.settingsChanged();
      return successResponse('updateSettings', {
        ok: true,
        settings,
        groupsOverMaxSize: await deps.settings.countGroupsOverMaxSize(deps.db),
      });
    }),
  };
}
