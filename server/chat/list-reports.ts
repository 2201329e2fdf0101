import { listReportsPage, type ReportRow } from '../../db';
import { REPORT_CONTEXT_MESSAGES, REPORTS_PAGE_DEFAULT, type AdminReport } from '../../protocol';
import type { Deps } from '../deps';

/**
 * A page of reports for the admins, newest first, with the number still open. The caller has
 * checked that the reader is an admin.
 */
export async function listReports(
  deps: Pick<Deps, 'db'>,
  input: { status: 'open' | 'resolved'; beforeId?: string; limit?: number },
): Promise<{ reports: AdminReport[]; hasMore: boolean; openCount: number }> {
  const page = await listReportsPage(deps.db, {
    status: input.status,
    limit: input.limit ?? REPORTS_PAGE_DEFAULT,
    contextSize: REPORT_CONTEXT_MESSAGES,
    ...(input.beforeId === undefined ? {} : { beforeId: input.beforeId }),
  });
  return { ...page, reports: page.reports.map(toAdminReport) };
}

/** A report as the admins' API gives it: times as ISO strings. */
export function toAdminReport(row: ReportRow): AdminReport {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    message: row.message && {
      ...row.message,
      context: row.message.context.map((message) => ({
        ...message,
        createdAt: message.createdAt.toISOString(),
        editedAt: message.editedAt?.toISOString() ?? null,
      })),
    },
  };
}
