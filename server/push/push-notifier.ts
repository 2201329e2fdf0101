// Push notifications for people with no device connected: after a message is stored, each
// of its recipients who is offline everywhere, has not muted the conversation and has
// subscribed browsers gets a notification on each of them. Subscriptions the push service
// reports gone are deleted. Payloads are encrypted to the browser (web-push does aes128gcm).

import webpush from 'web-push';
import {
  deletePushSubscription,
  findPushTargets,
  isMessageDeleted,
  type PushLookup,
  type PushTarget,
} from '../../db';
import { truncateCodePoints, type Message, type PushPayload } from '../../protocol';
import type { Deps } from '../deps';
import { InFlightWork } from '../lib/in-flight';
import type { PresenceTracker } from '../realtime/presence';
import { Batcher } from '../lib/batcher';
import { safeError } from '../logger';
import type { VapidKeys } from './vapid';

const PREVIEW = 100;
/** A notification older than a day is not worth showing. */
const TTL_SECONDS = 24 * 60 * 60;
/**
 * The least time between the starts of two lookups of push subscriptions. Each lookup is a
 * query, and on a node of a cluster most recipients are connected to another node, so nearly
 * every message stored here asks: spaced out, one query serves the messages of that time. A
 * notification goes to a device that is offline, through a push service that takes seconds,
 * so a tenth of a second more is not seen. A message after a quiet spell is looked up at once.
 */
export const PUSH_LOOKUP_SPACING_MS = 100;

export class PushNotifier {
  /** Lookups for messages stored together, or within PUSH_LOOKUP_SPACING_MS, go in one query. */
  private readonly lookups: Batcher<{ conversationId: string; userIds: string[] }, PushLookup>;
  /** Notifications being looked up or sent: a node that shuts down waits for them. */
  private readonly underWay = new InFlightWork();

  constructor(
    private readonly deps: Deps,
    private readonly vapid: VapidKeys,
    /** Who has a device connected: on this node (known at once), or on any node. */
    private readonly presence: Pick<PresenceTracker, 'connectedHere' | 'connectedElsewhere'>,
  ) {
    this.lookups = new Batcher(
      (requests) => {
        deps.metrics.pushLookups.inc();
        return findPushTargets(deps.db, requests);
      },
      { maxBatch: 256, concurrency: 1, spacingMs: PUSH_LOOKUP_SPACING_MS },
    );
  }

  /** Looks up at once what waits out the spacing: the node is about to close its database. */
  hurry(): void {
    this.lookups.hurry();
  }

  /** How many messages' notifications are being looked up or sent right now. */
  get pending(): number {
    return this.underWay.size;
  }

  /**
   * Resolves true once every notification under way has gone out (or failed), or false when
   * `timeoutMs` passed first. Called before the node closes its database and its adapter, which
   * a notification still needs.
   */
  settled(timeoutMs: number): Promise<boolean> {
    return this.underWay.idle(timeoutMs);
  }

  get publicKey(): string {
    return this.vapid.publicKey;
  }

  /** Sends what `message` calls for. Never throws: a failed push must not fail anything else. */
  async notify(message: Message, memberIds: string[]): Promise<void> {
    if (message.kind !== 'text') return;
    let done: (() => void) | undefined;
    try {
      const recipients = memberIds.filter((id) => id !== message.senderId);
      // Someone with a device on this node gets the message there: nothing to look up. In a
      // busy chat that is most messages, and each lookup is a query.
      const here = this.presence.connectedHere(recipients);
      const away = recipients.filter((id) => !here.has(id));
      if (away.length === 0) return;
      done = this.underWay.start();
      const { targets, kind, title } = await this.lookups.add({
        conversationId: message.conversationId,
        userIds: away,
      });
      if (targets.length === 0) return;
      // The targets are all away from this node: only the other nodes are asked.
      const connected = await this.presence.connectedElsewhere([
        ...new Set(targets.map((target) => target.userId)),
      ]);
      const offline = targets.filter((target) => !connected.has(target.userId));
      if (offline.length > 0) await this.deps.failpoints.beforePushDispatch?.(message.id);
      // Deleted for everyone since it was stored: its text must not go out. Asked only when
      // there is someone to notify, as late as possible before the text leaves.
      const isDeleted = offline.length > 0 && (await isMessageDeleted(this.deps.db, message.id));
      const notified = isDeleted ? [] : offline;
      const preview = truncateCodePoints(message.body, PREVIEW);
      const sender = message.senderDisplayName || message.senderUsername;
      const payload: PushPayload = {
        conversationId: message.conversationId,
        title: kind === 'group' ? (title ?? 'Group') : sender,
        body: kind === 'group' ? `${sender}: ${preview}` : preview,
      };
      const results = await Promise.all(notified.map((target) => this.send(target, payload)));
      this.deps.logger.info(
        {
          event: 'push.dispatched',
          messageId: message.id,
          conversationId: message.conversationId,
          sent: results.filter((result) => result === 'sent').length,
          removed: results.filter((result) => result === 'gone').length,
          failed: results.filter((result) => result === 'failed').length,
          // People with a device connected: on this node, or (having a subscription) elsewhere.
          skippedConnected: here.size + connected.size,
          skippedDeleted: isDeleted ? offline.length : 0,
        },
        'push notifications dispatched',
      );
    } catch (error) {
      this.deps.logger.error(
        { event: 'push.failed', err: safeError(error) },
        'push dispatch failed',
      );
    } finally {
      done?.();
    }
  }

  private async send(
    target: PushTarget,
    payload: PushPayload,
  ): Promise<'sent' | 'gone' | 'failed'> {
    try {
      await webpush.sendNotification(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: { subject: this.deps.config.vapidSubject, ...this.vapid },
          TTL: TTL_SECONDS,
          urgency: 'high',
          topic: payload.conversationId.replaceAll('-', '').slice(0, 32),
          timeout: 10_000,
        },
      );
      return 'sent';
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) {
        // The browser unsubscribed or the subscription expired: forget it.
        await deletePushSubscription(this.deps.db, target.endpoint);
        return 'gone';
      }
      this.deps.logger.warn(
        { event: 'push.send-failed', status },
        'a push notification was not accepted',
      );
      return 'failed';
    }
  }
}
