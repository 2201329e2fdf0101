'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useChatClient } from '../hooks/use-chat';

export function NewGroupForm({ onDone }: { onDone: () => void }) {
  const client = useChatClient();
  const router = useRouter();
  const [title, setTitle] = useState('');
  const [members, setMembers] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    const result = await client.createGroup(title, members.split(/[\s,]+/).filter(Boolean));
    setIsBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    onDone();
    router.push(`/chats?c=${result.conversation.id}`);
  }

  return (
    <form className="new-group" onSubmit={submit} aria-label="New group">
      <label className="field">
        <span className="field__label">Group name</span>
        <input value={title} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">Members (usernames)</span>
        <input
          autoCapitalize="none"
          spellCheck={false}
          placeholder="bob, carol"
          value={members}
          onChange={(event) => setMembers(event.target.value)}
        />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="new-group__actions">
        <button type="button" className="button button--quiet" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={isBusy}>
          Create group
        </button>
      </div>
    </form>
  );
}
