'use client';
// A group's name and description in its info panel: shown to everyone, edited in place by
// whoever may (every member, or only admins when the group says so), and the admins' choices
// of who may change them and who may send messages.

import { useId, useState, type FormEvent } from 'react';
import {
  GROUP_DESCRIPTION_MAX_LENGTH,
  GROUP_TITLE_MAX_LENGTH,
  type ConversationSummary,
} from '../protocol';
import { useChatClient } from '../hooks/use-chat';
import controls from './controls.module.css';
import styles from './group-info.module.css';

export function GroupDetails({
  conversation,
  onError,
}: {
  conversation: ConversationSummary;
  onError: (message: string | null) => void;
}) {
  const client = useChatClient();
  const id = useId();
  const [isEditing, setIsEditing] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  /** The admins-only choice as just made, shown until the group's answer replaces it. */
  const [rightsChoice, setRightsChoice] = useState<boolean | null>(null);
  const [sendChoice, setSendChoice] = useState<boolean | null>(null);
  const isAdmin = conversation.myRole === 'admin';
  const canEdit = isAdmin || !conversation.isInfoAdminsOnly;

  async function change(update: {
    title?: string;
    description?: string;
    isInfoAdminsOnly?: boolean;
    isSendAdminsOnly?: boolean;
  }) {
    setIsBusy(true);
    onError(null);
    const result = await client.updateGroup(conversation.id, update);
    setIsBusy(false);
    if (!result.ok) onError(result.message);
    return result.ok;
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const isSaved = await change({
      title: String(data.get('title') ?? ''),
      description: String(data.get('description') ?? ''),
    });
    if (isSaved) setIsEditing(false);
  }

  if (isEditing) {
    return (
      <form className={styles.details} onSubmit={save} aria-label="Group name and description">
        <label className={controls.field}>
          <span className={controls.fieldLabel}>Group name</span>
          <input
            name="title"
            defaultValue={conversation.title}
            maxLength={GROUP_TITLE_MAX_LENGTH * 2}
            required
          />
        </label>
        <label className={controls.field}>
          <span className={controls.fieldLabel}>Description</span>
          <textarea
            name="description"
            defaultValue={conversation.description ?? ''}
            maxLength={GROUP_DESCRIPTION_MAX_LENGTH * 2}
            rows={3}
          />
        </label>
        <div className={styles.detailActions}>
          <button
            type="button"
            className={controls.quietButton}
            onClick={() => setIsEditing(false)}
          >
            Cancel
          </button>
          <button type="submit" className={controls.primaryButton} disabled={isBusy}>
            Save
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className={styles.details}>
      <p className={styles.description} data-testid="group-description">
        {conversation.description ?? (canEdit ? 'No description yet.' : '')}
      </p>
      {canEdit && (
        <button type="button" className={controls.quietButton} onClick={() => setIsEditing(true)}>
          Edit name and description
        </button>
      )}
      {isAdmin && (
        <label className={styles.rights} htmlFor={`${id}-rights`}>
          <input
            id={`${id}-rights`}
            type="checkbox"
            checked={rightsChoice ?? conversation.isInfoAdminsOnly === true}
            disabled={isBusy}
            onChange={(event) => {
              const isInfoAdminsOnly = event.target.checked;
              setRightsChoice(isInfoAdminsOnly);
              void change({ isInfoAdminsOnly }).finally(() => setRightsChoice(null));
            }}
          />
          Only admins can change the name and description
        </label>
      )}
      {isAdmin && (
        <label className={styles.rights} htmlFor={`${id}-send`}>
          <input
            id={`${id}-send`}
            type="checkbox"
            checked={sendChoice ?? conversation.isSendAdminsOnly === true}
            disabled={isBusy}
            onChange={(event) => {
              const isSendAdminsOnly = event.target.checked;
              setSendChoice(isSendAdminsOnly);
              void change({ isSendAdminsOnly }).finally(() => setSendChoice(null));
            }}
          />
          Only admins can send messages
        </label>
      )}
    </div>
  );
}
