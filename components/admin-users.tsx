'use client';
// The admin console's users: search by username or name (everyone, newest first, when empty),
// a page at a time, and the actions on an account, the destructive ones confirmed first.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminUser } from '../protocol';
import { callApi, type ApiFailure } from '../hooks/api';
import { AdminUserItem, type AdminAction } from './admin-user-item';
import { ConfirmDialog, type Confirmation } from './confirm-dialog';
import controls from './controls.module.css';
import { SearchBox } from './search-box';
import styles from './admin-users.module.css';

/** How long typing pauses before the list follows it. */
const SEARCH_DELAY_MS = 250;

type Status = { kind: 'done'; text: string } | { kind: 'error'; text: string } | null;

export function AdminUsers({ currentUserId }: { currentUserId: string }) {
  const [query, setQuery] = useState('');
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [isLoading, setIsLoading] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  /** Only the newest search may fill the list: an older answer can come later. */
  const latest = useRef(0);

  const load = useCallback(async (text: string, after?: string) => {
    const ticket = ++latest.current;
    setIsLoading(true);
    const result = await callApi('searchUsers', { query: text, ...(after ? { after } : {}) });
    if (ticket !== latest.current) return;
    setIsLoading(false);
    if (!result.ok) {
      setStatus({ kind: 'error', text: result.message });
      return;
    }
    setUsers((shown) => (after && shown ? [...shown, ...result.users] : result.users));
    setNextCursor(result.nextCursor);
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => void load(query), query ? SEARCH_DELAY_MS : 0);
    return () => clearTimeout(timer);
  }, [load, query]);

  /** Runs an action; its answer replaces the account in the list. */
  async function run(
    call: () => Promise<{ ok: true; user: AdminUser } | ApiFailure>,
    done: string,
  ) {
    const result = await call();
    if (!result.ok) {
      setStatus({ kind: 'error', text: result.message });
      return;
    }
    const changed = result.user;
    setUsers((shown) => shown?.map((user) => (user.id === changed.id ? changed : user)) ?? null);
    setStatus({ kind: 'done', text: done });
  }

  function act(action: AdminAction, user: AdminUser) {
    setStatus(null);
    const name = user.displayName || user.username;
    switch (action) {
      case 'disable':
        setConfirmation({
          title: `Disable ${name}?`,
          text: `@${user.username} is signed out of every device at once and cannot sign in until an admin enables the account again. Their messages and chats stay.`,
          confirmLabel: 'Disable',
          onConfirm: () =>
            run(
              () => callApi('disableUser', { userId: user.id }),
              `${name} is disabled and signed out everywhere.`,
            ),
        });
        return;
      case 'enable':
        void run(() => callApi('enableUser', { userId: user.id }), `${name} can sign in again.`);
        return;
      case 'end-sessions':
        setConfirmation({
          title: `Sign ${name} out everywhere?`,
          text: `Every device and browser of @${user.username} is signed out at once. They can sign in again with their password.`,
          confirmLabel: 'Sign out everywhere',
          onConfirm: () =>
            run(
              () => callApi('endUserSessions', { userId: user.id }),
              `${name} is signed out of every device.`,
            ),
        });
        return;
      case 'make-admin':
        setConfirmation({
          title: `Make ${name} an admin?`,
          text: `@${user.username} will be able to change the settings and manage every account, other admins included.`,
          confirmLabel: 'Make admin',
          onConfirm: () =>
            run(
              () => callApi('setUserRole', { userId: user.id, role: 'admin' }),
              `${name} is now an admin.`,
            ),
        });
        return;
      case 'revoke-admin':
        setConfirmation({
          title: `Revoke ${name}’s admin role?`,
          text: `@${user.username} loses access to the admin console at once.`,
          confirmLabel: 'Revoke admin',
          onConfirm: () =>
            run(
              () => callApi('setUserRole', { userId: user.id, role: 'user' }),
              `${name} is no longer an admin.`,
            ),
        });
        return;
    }
  }

  return (
    <div className={styles.users}>
      <div className={styles.search}>
        <SearchBox
          value={query}
          onChange={setQuery}
          label="Search users"
          placeholder="Username or name"
          testId="admin-user-search"
        />
      </div>
      {status && (
        <p
          className={status.kind === 'error' ? controls.formError : controls.formSuccess}
          role={status.kind === 'error' ? 'alert' : 'status'}
        >
          {status.text}
        </p>
      )}
      {users && users.length === 0 && !isLoading && (
        <p className={styles.empty}>{query.trim() ? 'Nobody matches.' : 'No users yet.'}</p>
      )}
      {users && users.length > 0 && (
        <ul className={styles.list} aria-label="Users" aria-busy={isLoading}>
          {users.map((user) => (
            <AdminUserItem
              key={user.id}
              user={user}
              isYou={user.id === currentUserId}
              onAction={(action) => act(action, user)}
            />
          ))}
        </ul>
      )}
      {nextCursor && (
        <button
          className={controls.quietButton}
          type="button"
          disabled={isLoading}
          onClick={() => void load(query, nextCursor)}
        >
          Show more
        </button>
      )}
      <ConfirmDialog confirmation={confirmation} onDone={() => setConfirmation(null)} />
    </div>
  );
}
