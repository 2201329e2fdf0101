import { exportAccount as readAccount } from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';

/** Everything of the user's account, for them to keep (see protocol/http.ts, exportAccount). */
export async function exportAccount(
  deps: Deps,
  userId: string,
): Promise<{ account: Record<string, unknown>; conversations: Record<string, unknown>[] }> {
  await deps.rateLimits.consumeExport(userId);
  const data = (await readAccount(deps.db, userId)) as {
    account: Record<string, unknown> | null;
    conversations: Record<string, unknown>[];
  } | null;
  if (!data?.account) throw new AppError(ErrorCode.Unauthenticated, 'Not signed in.');
  deps.logger.info({ event: 'account.exported', userId }, 'account data downloaded');
  return { account: data.account, conversations: data.conversations };
}
