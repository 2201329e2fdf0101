'use client';

import { useChatState } from '../hooks/use-chat';
import { formatLastSeen } from './format-time';
import styles from './presence.module.css';

/**
 * "online", "last seen today at 10:42", or nothing while unknown, and nothing for a presence
 * with neither: the person hides it, or the viewer hides theirs (privacy), or was never seen.
 */
export function usePresenceText(userId: string | undefined): string | null {
  const presence = useChatState((state) => (userId ? state.presence[userId] : undefined));
  if (!presence) return null;
  if (presence.isOnline) return 'online';
  return presence.lastSeenAt ? formatLastSeen(presence.lastSeenAt) : null;
}

/** A green dot on an avatar while the person is online. */
export function PresenceDot({ userId, name }: { userId: string; name: string }) {
  const isOnline = useChatState((state) => state.presence[userId]?.isOnline ?? false);
  return (
    <span
      className={isOnline ? styles.online : styles.dot}
      role="img"
      aria-label={`${name} is ${isOnline ? 'online' : 'offline'}`}
      data-testid="presence-dot"
      data-online={isOnline}
    />
  );
}
