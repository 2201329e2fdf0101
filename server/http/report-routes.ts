// /api/admin/reports/*: the reports people sent, for users with the admin role.

import { httpEndpoints } from '../../protocol';
import { listReports } from '../chat/list-reports';
import { resolveReport } from '../chat/resolve-report';
import type { Deps } from '../deps';
import { requireAdmin } from './require-admin';
import { assertSameOrigin, readJsonBody, route, successResponse, type ApiRoutes } from './respond';

export type ReportRoutes = Pick<ApiRoutes, 'listReports' | 'resolveReport'>;

const REFUSAL = 'Only admins can see or resolve reports.';

export function createReportRoutes(deps: Deps): ReportRoutes {
  return {
    // A POST that only reads, yet checked like a state change: what it answers is other
    // people's messages, and no other site's page may even ask.
    listReports: route(deps, 'admin.list-reports', async (request) => {
      assertSameOrigin(request, deps.config);
      await requireAdmin(deps, request, REFUSAL);
      const input = await readJsonBody(request, httpEndpoints.listReports.body);
      return successResponse('listReports', { ok: true, ...(await listReports(deps, input)) });
    }),

    resolveReport: route(deps, 'admin.resolve-report', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireAdmin(deps, request, REFUSAL);
      const { reportId } = await readJsonBody(request, httpEndpoints.resolveReport.body);
      const report = await resolveReport(deps, session.user.id, reportId);
      return successResponse('resolveReport', { ok: true, report });
    }),
  };
}
