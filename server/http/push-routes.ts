// /api/push: the server's public key, and the browsers that want notifications.

import { httpEndpoints } from '../../protocol';
import type { Deps } from '../deps';
import type { PushNotifier } from '../push/push-notifier';
import { subscribeToPush, unsubscribeFromPush } from '../push/subscriptions';
import {
  assertSameOrigin,
  readJsonBody,
  requireSession,
  route,
  successResponse,
  type ApiRoutes,
} from './respond';

export type PushRoutes = Pick<ApiRoutes, 'pushKey' | 'subscribePush' | 'unsubscribePush'>;

export function createPushRoutes(
  deps: Deps,
  notifier: Pick<PushNotifier, 'publicKey'>,
): PushRoutes {
  return {
    pushKey: route(deps, 'push.key', async (request) => {
      await requireSession(deps, request);
      return successResponse('pushKey', { ok: true, publicKey: notifier.publicKey });
    }),
    subscribePush: route(deps, 'push.subscribe', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireSession(deps, request);
      await subscribeToPush(
        deps,
        session.user.id,
        await readJsonBody(request, httpEndpoints.subscribePush.body),
      );
      return successResponse('subscribePush', { ok: true });
    }),
    unsubscribePush: route(deps, 'push.unsubscribe', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireSession(deps, request);
      const { endpoint } = await readJsonBody(request, httpEndpoints.unsubscribePush.body);
      await unsubscribeFromPush(deps, session.user.id, endpoint);
      return successResponse('unsubscribePush', { ok: true });
    }),
  };
}
