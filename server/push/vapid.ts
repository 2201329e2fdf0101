// The server's Web Push identity (VAPID). From configuration when given; otherwise made on
// first start and kept in the database, so every node, and every restart, signs the same.

import webpush from 'web-push';
import { getOrInitSetting, type Database } from '../../db';
import type { Config } from '../config';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export async function loadVapidKeys(
  config: Pick<Config, 'vapid'>,
  db: Database,
): Promise<VapidKeys> {
  if (config.vapid) return config.vapid;
  return getOrInitSetting<VapidKeys>(db, 'webPushVapidKeys', webpush.generateVAPIDKeys());
}
