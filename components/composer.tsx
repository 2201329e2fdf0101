'use client';

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { COMPOSER_COUNTER_THRESHOLD, countCodePoints } from '../protocol';
import { useChatClient, useChatState } from '../hooks/use-chat';

const numberFormat = new Intl.NumberFormat();

export function Composer({ conversationId }: { conversationId: string }) {
  const client = useChatClient();
  const limit = useChatState((state) => state.limits.maxMessageLength);
  const [text, setText] = useState('');
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
    if (!text.trim()) return;
    const result = client.sendMessage(conversationId, text);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setText('');
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
    <form className="composer" onSubmit={send}>
      <label className="visually-hidden" htmlFor={`composer-${conversationId}`}>
        Message
      </label>
      <textarea
        ref={input}
        id={`composer-${conversationId}`}
        className="composer__input"
        placeholder="Type a message"
        rows={1}
        value={text}
        aria-invalid={isTooLong}
        aria-describedby={shownError ? `composer-error-${conversationId}` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
          client.typing(conversationId, event.target.value.trim() !== '');
        }}
        onKeyDown={onKeyDown}
      />
      {showCounter && (
        <span
          className={isTooLong ? 'composer__counter composer__counter--over' : 'composer__counter'}
          data-testid="composer-counter"
        >
          {numberFormat.format(length)} / {numberFormat.format(limit)}
        </span>
      )}
      <button
        className="button button--primary composer__send"
        type="submit"
        disabled={isTooLong || !text.trim()}
      >
        Send
      </button>
      {shownError && (
        <p
          id={`composer-error-${conversationId}`}
          className="form-error composer__error"
          role="alert"
          data-testid="composer-error"
        >
          {shownError}
        </p>
      )}
    </form>
  );
}
