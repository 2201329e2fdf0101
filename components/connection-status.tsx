'use client';

import { useChatState } from '../hooks/use-chat';
import styles from './connection-status.module.css';

const LABELS = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline',
} as const;

/**
 * The connection's state, as a live region. `quietWhenOnline` says nothing while online, for
 * places that only need to tell when messages cannot go out (the conversation view on phones).
 */
export function ConnectionStatus({
  testId = 'connection',
  quietWhenOnline = false,
}: {
  testId?: string;
  quietWhenOnline?: boolean;
}) {
  const connection = useChatState((state) => state.connection);
  return (
    <span className={styles[connection]} role="status" data-testid={testId} data-state={connection}>
      {quietWhenOnline && connection === 'online' ? '' : LABELS[connection]}
    </span>
  );
}
