'use client';

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { COMPOSER_COUNTER_THRESHOLD, countCodePoints, hasVisibleText } from '../protocol';
import { useChatClient, useChatState } from '../hooks/use-chat';
import controls from './controls.module.css';
import styles from './composer.module.css';

const numberFormat = new Intl.NumberFormat();

export function Composer({ conversationId }: { conversationId: string }) {
  const client = useChatClient();
  const limit = useChatState((state) => state.limits.maxMessageLength);
  const pausedSeconds = useSecondsLeft(useChatState((state) => state.sendingPausedUntil));
  // The draft lives in the client: it stays when another conversation is opened, and on
  // the device across reloads.
  const text = useChatState((state) => state.drafts[conversationId] ?? '');
  const isWaitingForServer = useChatState((state) => state.isWaitingForServer);
  const [error, setError] = useState<string | null>(null);

  const input = useRef<HTMLTextAreaElement>(null);

  // Leaving the conversation ends "typing" there.
  useEffect(() => () => client.typing(conversationId, false), [client, conversationId]);

  // Opening a conversation puts the keyboard in the composer; not on touch screens, where
  // focusing would cover half the screen with the on-screen keyboard.
  useEffect(() => {
    if (window.matchMedia('(pointer: fine)').matches) input.current?.focus();
  }, [conversationId]);

  const length = countCodePoints(text);
  const isTooLong = length > limit;
  const showCounter = length >= limit * COMPOSER_COUNTER_THRESHOLD;
  const tooLongMessage = `Too long: ${numberFormat.format(length)} characters, the limit is ${numberFormat.format(limit)}. Remove ${numberFormat.format(length - limit)}.`;
  const shownError = isTooLong ? tooLongMessage : error;

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (isTooLong) return;
    if (!hasVisibleText(text)) return;
    const result = client.sendMessage(conversationId, text);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setError(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter starts a new line; never while an IME is composing a character.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form className={styles.composer} onSubmit={send}>
      <label className="visually-hidden" htmlFor={`composer-${conversationId}`}>
        Message
      </label>
      <textarea
        ref={input}
        id={`composer-${conversationId}`}
        className={styles.input}
        placeholder="Type a message"
        rows={1}
        value={text}
        aria-invalid={isTooLong}
        aria-describedby={shownError ? `composer-error-${conversationId}` : undefined}
        onChange={(event) => {
          client.setDraft(conversationId, event.target.value);
          setError(null);
          client.typing(conversationId, event.target.value.trim() !== '');
        }}
        onKeyDown={onKeyDown}
      />
      {showCounter && (
        <span
          className={isTooLong ? styles.counterOver : styles.counter}
          data-testid="composer-counter"
        >
          {numberFormat.format(length)} / {numberFormat.format(limit)}
        </span>
      )}
      <button
        className={controls.primaryButton}
        type="submit"
        disabled={isTooLong || !hasVisibleText(text)}
      >
        Send
      </button>
      {pausedSeconds > 0 && (
        <p className={styles.notice} role="status" data-testid="composer-rate-limited">
          You’re sending too fast; waiting {pausedSeconds} s. Your messages will go out by
          themselves.
        </p>
      )}
      {isWaitingForServer && pausedSeconds === 0 && (
        <p className={styles.notice} role="status" data-testid="composer-unavailable">
          Waiting for the server… Your messages are kept and will go out by themselves.
        </p>
      )}
      {shownError && (
        <p
          id={`composer-error-${conversationId}`}
          className={styles.error}
          role="alert"
          data-testid="composer-error"
        >
          {shownError}
        </p>
      )}
    </form>
  );
}

/** Whole seconds until `until` (ms epoch), counting down; 0 when it is null or has passed. */
function useSecondsLeft(until: number | null): number {
  const [secondsLeft, setSecondsLeft] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const left = until === null ? 0 : Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setSecondsLeft(left);
      if (left > 0) timer = setTimeout(tick, 250);
    };
    timer = setTimeout(tick, 0);
    return () => clearTimeout(timer);
  }, [until]);
  return secondsLeft;
}
