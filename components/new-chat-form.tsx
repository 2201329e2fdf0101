'use client';

import { useState, type FormEvent } from 'react';
import { useChatClient } from '../hooks/use-chat';
import { showChat } from './chat-link';
import { PeopleSuggestions } from './people-suggestions';
import controls from './controls.module.css';
import styles from './new-chat-form.module.css';

export function NewChatForm() {
  const client = useChatClient();
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await start(username);
  }

  async function start(name: string) {
    if (!name.trim()) return;
    setIsBusy(true);
    setError(null);
    const result = await client.startConversation(name.trim());
    setIsBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setUsername('');
    showChat(result.conversation.id);
  }

  return (
    <form className={styles.form} onSubmit={submit}>
      <label className="visually-hidden" htmlFor="new-chat-username">
        Start a chat with (username)
      </label>
      <input
        id="new-chat-username"
        className={styles.input}
        placeholder="Start a chat: name or username"
        autoCapitalize="none"
        spellCheck={false}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
      />
      <button
        className={controls.primaryButton}
        type="submit"
        disabled={isBusy || !username.trim()}
      >
        Chat
      </button>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
      <PeopleSuggestions
        query={username}
        label="Start a chat with"
        onPick={(person) => void start(person.username)}
      />
    </form>
  );
}
