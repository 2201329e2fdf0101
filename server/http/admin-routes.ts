// /api/admin/settings: the operator limits, for users with the admin role.

import { httpEndpoints } from '../../protocol';
import type { Deps } from '../deps';
import type { Realtime } from '../realtime/server';
import { requireAdmin } from './require-admin';
import { assertSameOrigin, readJsonBody, route, successResponse, type ApiRoutes } from './respond';

export type AdminRoutes = Pick<ApiRoutes, 'getSettings' | 'updateSettings'>;

export function createAdminRoutes(
  deps: Deps,
  realtime: Pick<Realtime, 'settingsChanged'>,
): AdminRoutes {
  const refusal = 'Only admins can see or change the settings.';

  return {
    getSettings: route(deps, 'admin.get-settings', async (request) => {
      await requireAdmin(deps, request, refusal);
      return successResponse('getSettings', {
        ok: true,
        settings: deps.settings.current,
        groupsOverMaxSize: await deps.settings.countGroupsOverMaxSize(deps.db),
      });
    }),

    updateSettings: route(deps, 'admin.update-settings', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireAdmin(deps, request, refusal);
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
