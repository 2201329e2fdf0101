import { findReportableMessage, findUserById, insertReportOnce, type NewReport } from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { messageNotFound } from './message-change';

/** What report:create carries, as its schema gives it (protocol/schemas.ts). */
export type ReportInput =
  { userId: string; note: string } | { conversationId: string; seq: number; note: string };

/**
 * Reports a person, or a message (and so its sender), to the admins. A person must exist and
 * not have deleted their account; no conversation with them is asked for, since a name or
 * "about" line that people search shows can be what is wrong. A message must be one the
 * reporter may see (history's rule), written by someone else, and still there: a message
 * deleted for everyone has no text left to judge. The same open report again records nothing.
 * Every attempt counts against the reporter's limit, refused ones too: ids cannot be probed
 * faster than reports can be sent.
 */
export async function createReport(
  deps: Deps,
  reporterId: string,
  input: ReportInput,
): Promise<{ reportId: string; duplicate: boolean }> {
  await deps.rateLimits.consumeReport(reporterId);
  const target =
    'userId' in input
      ? await findReportedPerson(deps, reporterId, input.userId)
      : await findReportedMessage(deps, reporterId, input.conversationId, input.seq);
  const { id, isDuplicate } = await insertReportOnce(deps.db, {
    reporterId,
    ...target,
    note: input.note,
  });
  if (!isDuplicate) {
    // The note stays out of the log: it is what a person wrote, for the admins only.
    deps.logger.info(
      {
        event: 'report.created',
        reportId: id,
        reporterId,
        reportedUserId: target.reportedUserId,
        kind: target.conversationId === null ? 'person' : 'message',
      },
      'report created',
    );
  }
  return { reportId: id, duplicate: isDuplicate };
}

type Target = Omit<NewReport, 'reporterId' | 'note'>;

async function findReportedPerson(deps: Deps, reporterId: string, userId: string): Promise<Target> {
  if (userId === reporterId) {
    throw new AppError(ErrorCode.BadRequest, 'You cannot report yourself.', { field: 'userId' });
  }
  const user = await findUserById(deps.db, userId);
  if (!user || user.deletedAt !== null) throw new AppError(ErrorCode.NotFound, 'No such user.');
  return { reportedUserId: user.id, conversationId: null, messageSeq: null };
}

async function findReportedMessage(
  deps: Deps,
  reporterId: string,
  conversationId: string,
  seq: number,
): Promise<Target> {
  // Not a member, never was, or before they joined: the same answer as for no message at all.
  const message = await findReportableMessage(deps.db, {
    readerId: reporterId,
    conversationId,
    seq,
  });
  if (!message) throw messageNotFound();
  if (message.kind !== 'text') {
    throw new AppError(
      ErrorCode.BadRequest,
      'Only messages people wrote can be reported, not notices such as “alice added bob”.',
    );
  }
  if (message.senderId === reporterId) {
    throw new AppError(ErrorCode.BadRequest, 'You cannot report your own message.');
  }
  if (message.isDeleted) {
    throw new AppError(
      ErrorCode.BadRequest,
      'This message was deleted: its text is gone, so there is nothing to report. You can report the person instead.',
    );
  }
  return { reportedUserId: message.senderId, conversationId, messageSeq: seq };
}
