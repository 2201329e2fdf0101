import { deletePushSubscription, upsertPushSubscription } from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { isAllowedPushEndpoint } from './endpoints';

export async function subscribeToPush(
  deps: Deps,
  userId: string,
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
): Promise<void> {
  if (!isAllowedPushEndpoint(subscription.endpoint, deps.config.pushEndpoints)) {
    throw new AppError(ErrorCode.BadRequest, 'This push service is not allowed on this server.');
  }
  await upsertPushSubscription(deps.db, {
    userId,
    endpoint: subscription.endpoint,
    p256dh: subscription.keys.p256dh,
    auth: subscription.keys.auth,
  });
}

export async function unsubscribeFromPush(
  deps: Deps,
  userId: string,
  endpoint: string,
): Promise<void> {
  await deletePushSubscription(deps.db, endpoint, userId);
}
