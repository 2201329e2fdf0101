'use client';

import { useChatState } from '../hooks/use-chat';
import styles from './connection-status.module.css';

const LABELS = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline',
} as const;

export function ConnectionStatus() {
  const connection = useChatState((state) => state.connection);
  return (
    <span
      className={styles[connection]}
      role="status"
      data-testid="connection"
      data-state={connection}
    >
      {LABELS[connection]}
    </span>
  );
}
