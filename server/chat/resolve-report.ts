import { findReport, resolveReport as markResolved } from '../../db';
import { ErrorCode, REPORT_CONTEXT_MESSAGES, type AdminReport } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { toAdminReport } from './list-reports';

/**
 * Marks a report resolved by this admin and answers with it as the list shows it. Resolving
 * one that is resolved already changes nothing (two admins on the same report both succeed).
 * The caller has checked that `adminId` is an admin.
 */
export async function resolveReport(
  deps: Pick<Deps, 'db' | 'logger'>,
  adminId: string,
  reportId: string,
): Promise<AdminReport> {
  if (!(await markResolved(deps.db, reportId, adminId))) {
    throw new AppError(ErrorCode.NotFound, 'No such report.');
  }
  const report = await findReport(deps.db, reportId, REPORT_CONTEXT_MESSAGES);
  // Deleted in between (the reported account went, and its reports with it).
  if (!report) throw new AppError(ErrorCode.NotFound, 'No such report.');
  deps.logger.info({ event: 'report.resolved', reportId, adminId }, 'report resolved');
  return toAdminReport(report);
}
