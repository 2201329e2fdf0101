'use client';
// One account in the admin's users list: who, since when, last seen, its state, and the
// actions that make sense for it. A deleted account only shows that it is.

import type { AdminUser } from '../protocol';
import { formatFull, formatLastSeen } from './format-time';
import styles from './admin-user-item.module.css';

export type AdminAction = 'disable' | 'enable' | 'end-sessions' | 'make-admin' | 'revoke-admin';

export function AdminUserItem({
  user,
  isYou,
  onAction,
}: {
  user: AdminUser;
  isYou: boolean;
  onAction: (action: AdminAction) => void;
}) {
  const isDeleted = user.deletedAt !== null;
  const isDisabled = user.disabledAt !== null;
  const isAdmin = user.role === 'admin';
  // Yourself: nothing here (your own sessions end with "Sign out everywhere"); an admin is
  // disabled only once their role is revoked. The server refuses the same.
  const actions: { action: AdminAction; label: string; isDanger?: boolean }[] =
    isDeleted || isYou
      ? []
      : [
          ...(isDisabled
            ? [{ action: 'enable' as const, label: 'Enable' }]
            : isAdmin
              ? []
              : [{ action: 'disable' as const, label: 'Disable', isDanger: true }]),
          ...(isDisabled
            ? []
            : [{ action: 'end-sessions' as const, label: 'Sign out everywhere' }]),
          ...(isAdmin
            ? [{ action: 'revoke-admin' as const, label: 'Revoke admin', isDanger: true }]
            : isDisabled
              ? []
              : [{ action: 'make-admin' as const, label: 'Make admin' }]),
        ];

  return (
    <li className={styles.item} data-testid="admin-user" data-username={user.username}>
      <div className={styles.who}>
        <span className={styles.name}>{user.displayName || user.username}</span>
        <span className={styles.username}>@{user.username}</span>
        {isYou && <span className={styles.badge}>You</span>}
        {isAdmin && <span className={styles.badge}>Admin</span>}
        {isDisabled && <span className={styles.dangerBadge}>Disabled</span>}
        {isDeleted && <span className={styles.dangerBadge}>Deleted</span>}
      </div>
      <p className={styles.meta}>
        <span>Joined {formatFull(user.createdAt)}</span>
        <span data-testid="admin-user-seen">
          {user.isOnline ? (
            <span className={styles.online}>online now</span>
          ) : user.lastSeenAt ? (
            formatLastSeen(user.lastSeenAt)
          ) : (
            'never connected'
          )}
        </span>
        {isDisabled && <span>disabled {formatFull(user.disabledAt!)}</span>}
        {isDeleted && <span>deleted {formatFull(user.deletedAt!)}</span>}
      </p>
      {actions.length > 0 && (
        <div className={styles.actions}>
          {actions.map(({ action, label, isDanger }) => (
            <button
              key={action}
              className={isDanger ? `${styles.action} ${styles.danger}` : styles.action}
              type="button"
              aria-label={`${label}: ${user.username}`}
              onClick={() => onAction(action)}
            >
              {label}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
