// /api/push: the server's public key, and the browsers that want notifications.

import { PushSubscriptionRequest, PushUnsubscribeRequest } from '../../protocol';
import type { Deps } from '../deps';
import type { PushNotifier } from '../push/push-notifier';
import { subscribeToPush, unsubscribeFromPush } from '../push/subscriptions';
import {
  assertSameOrigin,
  jsonResponse,
  readJsonBody,
  requireSession,
  route,
  type RouteHandler,
} from './respond';

export interface PushRoutes {
  pushKey: RouteHandler;
  subscribePush: RouteHandler;
  unsubscribePush: RouteHandler;
}

export function createPushRoutes(
  deps: Deps,
  notifier: Pick<PushNotifier, 'publicKey'>,
): PushRoutes {
  return {
    pushKey: route(deps, 'push.key', async (request) => {
      await requireSession(deps, request);
      return jsonResponse({ ok: true, publicKey: notifier.publicKey });
    }),
    subscribePush: route(deps, 'push.subscribe', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireSession(deps, request);
      await subscribeToPush(
        deps,
        session.user.id,
        await readJsonBody(request, PushSubscriptionRequest),
      );
      return jsonResponse({ ok: true }, { status: 201 });
    }),
    unsubscribePush: route(deps, 'push.unsubscribe', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireSession(deps, request);
      const { endpoint } = await readJsonBody(request, PushUnsubscribeRequest);
      await unsubscribeFromPush(deps, session.user.id, endpoint);
      return jsonResponse({ ok: true });
    }),
  };
}
