'use client';

import { useState, type FormEvent } from 'react';
import { randomUuid } from '../hooks/random-uuid';
import { useChatClient } from '../hooks/use-chat';
import { showChat } from './chat-link';
import { lastNameTyped, PeopleSuggestions, withPickedName } from './people-suggestions';
import controls from './controls.module.css';
import styles from './new-group-form.module.css';

export function NewGroupForm({ onDone }: { onDone: () => void }) {
  const client = useChatClient();
  const [title, setTitle] = useState('');
  const [members, setMembers] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  // One id for this group, kept across tries: a try whose answer was lost may have created it.
  const [requestId] = useState(randomUuid);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    const usernames = members.split(/[\s,]+/).filter(Boolean);
    const result = await client.createGroup(title, usernames, requestId);
    setIsBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    onDone();
    showChat(result.conversation.id);
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="New group">
      <label className={controls.field}>
        <span className={controls.fieldLabel}>Group name</span>
        <input value={title} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <label className={controls.field}>
        <span className={controls.fieldLabel}>Members (usernames)</span>
        <input
          autoCapitalize="none"
          spellCheck={false}
          placeholder="bob, carol"
          value={members}
          onChange={(event) => setMembers(event.target.value)}
        />
      </label>
      <PeopleSuggestions
        query={lastNameTyped(members)}
        label="Add"
        onPick={(person) => setMembers(withPickedName(members, person.username))}
      />
      {error && (
        <p className={controls.formError} role="alert">
          {error}
        </p>
      )}
      <div className={styles.actions}>
        <button type="button" className={controls.quietButton} onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className={controls.primaryButton} disabled={isBusy}>
          Create group
        </button>
      </div>
    </form>
  );
}
