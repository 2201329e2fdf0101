'use client';
// A group's invite link in its info panel, for its admins: make one, copy it, reset it (the old
// link stops working) or revoke it.

import { useEffect, useState } from 'react';
import { useChatClient } from '../hooks/use-chat';
import controls from './controls.module.css';
import styles from './invite-link.module.css';

/** The address a code opens: the chats page, which asks whether to join. */
export function inviteUrl(code: string): string {
  return `${window.location.origin}/chats?join=${code}`;
}

export function InviteLink({
  conversationId,
  onError,
}: {
  conversationId: string;
  onError: (message: string | null) => void;
}) {
  const client = useChatClient();
  /** undefined: not asked yet; null: the group has no live link. */
  const [code, setCode] = useState<string | null | undefined>(undefined);
  const [isBusy, setIsBusy] = useState(false);
  const [isCopied, setIsCopied] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    void client.manageInviteLink(conversationId, 'get').then((result) => {
      if (isCurrent && result.ok) setCode(result.code);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, conversationId]);

  async function run(action: 'create' | 'reset' | 'revoke') {
    setIsBusy(true);
    onError(null);
    setIsCopied(false);
    const result = await client.manageInviteLink(conversationId, action);
    setIsBusy(false);
    if (result.ok) setCode(result.code);
    else onError(result.message);
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setIsCopied(true);
    } catch {
      onError('Copying needs permission: select the link and copy it yourself.');
    }
  }

  if (code === undefined) return null;
  if (code === null) {
    return (
      <button
        type="button"
        className={controls.quietButton}
        disabled={isBusy}
        onClick={() => void run('create')}
      >
        Create invite link
      </button>
    );
  }
  const url = inviteUrl(code);
  return (
    <section className={styles.invite} aria-label="Invite link">
      <label className={controls.field}>
        <span className={controls.fieldLabel}>Invite link: anyone with it can join</span>
        <input
          readOnly
          value={url}
          data-testid="invite-url"
          onFocus={(event) => event.currentTarget.select()}
        />
      </label>
      <div className={styles.actions}>
        <button type="button" className={controls.quietButton} onClick={() => void copy(url)}>
          {isCopied ? 'Copied' : 'Copy link'}
        </button>
        <button
          type="button"
          className={controls.quietButton}
          disabled={isBusy}
          onClick={() => void run('reset')}
        >
          Reset link
        </button>
        <button
          type="button"
          className={controls.quietButton}
          disabled={isBusy}
          onClick={() => void run('revoke')}
        >
          Revoke link
        </button>
      </div>
    </section>
  );
}
