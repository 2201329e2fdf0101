'use client';
// An invite link opened (/chats?join=<code>): what group it leads to, and "Join group". A
// member already in it is taken straight to the group.

import { useEffect, useId, useState } from 'react';
import type { InvitePreview } from '../protocol';
import { useChatClient, useChatState } from '../hooks/use-chat';
import { chatHref } from './chat-link';
import { DialogFooter, useModal } from './modal-dialog';
import controls from './controls.module.css';
import styles from './dialog.module.css';

/** Leaves the invite out of the address: the dialog is done, whatever came of it. */
function forgetInvite(conversationId: string | null): void {
  window.history.replaceState(null, '', chatHref(conversationId));
}

export function JoinGroupDialog({ code }: { code: string }) {
  const client = useChatClient();
  const isOnline = useChatState((state) => state.connection === 'online');
  const [invite, setInvite] = useState<InvitePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const dialog = useModal(code);
  const id = useId();

  useEffect(() => {
    // Asked once connected: the app may still be connecting when the link opens it.
    if (!isOnline) return;
    let isCurrent = true;
    void client.previewInvite(code).then((result) => {
      if (!isCurrent) return;
      if (!result.ok) setError(result.message);
      else if (result.invite.isMember) forgetInvite(result.invite.conversationId);
      else setInvite(result.invite);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, code, isOnline]);

  async function join() {
    setIsBusy(true);
    setError(null);
    const result = await client.joinGroup(code);
    setIsBusy(false);
    if (result.ok) forgetInvite(result.conversation.id);
    else setError(result.message);
  }

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby={`${id}-title`}
      onClose={() => forgetInvite(null)}
      data-testid="join-group"
    >
      <h2 id={`${id}-title`}>{invite ? invite.title : 'Group invite'}</h2>
      {invite ? (
        <>
          {invite.description && <p>{invite.description}</p>}
          <p>
            {invite.memberCount} {invite.memberCount === 1 ? 'member' : 'members'}
          </p>
        </>
      ) : (
        !error && <p>{isOnline ? 'Opening the invite…' : 'Waiting for a connection…'}</p>
      )}
      <DialogFooter dialog={dialog} error={error} isBusy={isBusy}>
        {invite && (
          <button
            className={controls.primaryButton}
            type="button"
            disabled={isBusy}
            onClick={() => void join()}
          >
            Join group
          </button>
        )}
      </DialogFooter>
    </dialog>
  );
}
