'use client';

import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { COMPOSER_COUNTER_THRESHOLD, countCodePoints, hasVisibleText } from '../protocol';
import { heldOriginal } from '../hooks/message-changes';
import { useChatClient, useChatState } from '../hooks/use-chat';
import { EmojiButton } from './emoji-picker';
import { insertAtSelection } from './insert-text';
import { quoteOf } from './message-item';
import controls from './controls.module.css';
import styles from './composer.module.css';

const numberFormat = new Intl.NumberFormat();

/** The composer answers a message (quoting it), or edits one of the viewer's own. */
export interface ComposerAction {
  kind: 'reply' | 'edit';
  seq: number;
}

export function Composer({
  conversationId,
  action,
  onActionDone,
}: {
  conversationId: string;
  action: ComposerAction | null;
  /** The reply was sent, the edit saved, or either cancelled (× or Escape). */
  onActionDone: () => void;
}) {
  const client = useChatClient();
  // The message replied to or edited, as held now (its edits and deletion show at once).
  const target = useChatState((state) =>
    action ? heldOriginal(state.threads[conversationId], action.seq) : undefined,
  );
  const meId = useChatState((state) => state.me.id);
  const limit = useChatState((state) => state.limits.maxMessageLength);
  const pausedSeconds = useSecondsLeft(useChatState((state) => state.sendingPausedUntil));
  // The draft lives in the client: it stays when another conversation is opened, and on
  // the device across reloads.
  const text = useChatState((state) => state.drafts[conversationId] ?? '');
  const isWaitingForServer = useChatState((state) => state.isWaitingForServer);
  const [error, setError] = useState<string | null>(null);
  /** The text of an edit once the person changed it; until then the message's own. */
  const [edited, setEdited] = useState<{ seq: number; text: string } | null>(null);
  const [isSaving, setIsSaving] = useState(false);

  const input = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes once the text shows an emoji just put in. */
  const caretAfterInsert = useRef<number | null>(null);
  const editing = action?.kind === 'edit' && target && !target.deleted ? target : undefined;
  const reply = action?.kind === 'reply' ? quoteOf(action.seq, undefined, target, meId) : undefined;
  const value = editing ? (edited?.seq === editing.seq ? edited.text : editing.body) : text;

  // Choosing Reply or Edit puts the keyboard in the composer.
  useEffect(() => {
    if (action) input.current?.focus();
  }, [action]);

  useLayoutEffect(() => {
    const caret = caretAfterInsert.current;
    if (caret === null) return;
    caretAfterInsert.current = null;
    input.current?.focus();
    input.current?.setSelectionRange(caret, caret);
  }, [value]);

  // Leaving the conversation ends "typing" there.
  useEffect(() => () => client.typing(conversationId, false), [client, conversationId]);

  // Opening a conversation puts the keyboard in the composer; not on touch screens, where
  // focusing would cover half the screen with the on-screen keyboard.
  useEffect(() => {
    if (window.matchMedia('(pointer: fine)').matches) input.current?.focus();
  }, [conversationId]);

  const length = countCodePoints(value);
  const isTooLong = length > limit;
  const showCounter = length >= limit * COMPOSER_COUNTER_THRESHOLD;
  const tooLongMessage = `Too long: ${numberFormat.format(length)} characters, the limit is ${numberFormat.format(limit)}. Remove ${numberFormat.format(length - limit)}.`;
  const shownError = isTooLong ? tooLongMessage : error;

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (isTooLong) return;
    if (!hasVisibleText(value)) return;
    if (editing) return void save(editing.seq);
    const result = client.sendMessage(conversationId, text, reply ? action?.seq : undefined);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setError(null);
    if (reply) onActionDone();
  }

  async function save(seq: number) {
    if (isSaving) return;
    if (value === editing?.body) return cancelAction();
    setIsSaving(true);
    const result = await client.editMessage(conversationId, seq, value);
    setIsSaving(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    cancelAction();
  }

  function changeText(next: string) {
    setError(null);
    if (editing) {
      setEdited({ seq: editing.seq, text: next });
      return;
    }
    client.setDraft(conversationId, next);
    client.typing(conversationId, next.trim() !== '');
  }

  /** An emoji from the picker goes where the caret was, as if typed. */
  function insertEmoji(emoji: string) {
    const field = input.current;
    const inserted = insertAtSelection(
      value,
      field?.selectionStart ?? value.length,
      field?.selectionEnd ?? value.length,
      emoji,
    );
    caretAfterInsert.current = inserted.caret;
    changeText(inserted.text);
  }

  function cancelAction() {
    setEdited(null);
    setError(null);
    onActionDone();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape' && action) {
      event.preventDefault();
      cancelAction();
      return;
    }
    // Enter sends, Shift+Enter starts a new line; never while an IME is composing a character.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form className={styles.composer} onSubmit={send}>
      {reply && (
        <ActionBar
          testId="reply-bar"
          title={
            <>
              <span className="visually-hidden">Replying to </span>
              {reply.senderName}
            </>
          }
          text={reply.text}
          cancelLabel="Cancel reply"
          onCancel={cancelAction}
        />
      )}
      {editing && (
        <ActionBar
          testId="edit-bar"
          title="Editing message"
          text={editing.body}
          cancelLabel="Cancel editing"
          onCancel={cancelAction}
        />
      )}
      <EmojiButton onPick={insertEmoji} onClose={() => input.current?.focus()} />
      <label className="visually-hidden" htmlFor={`composer-${conversationId}`}>
        Message
      </label>
      <textarea
        ref={input}
        id={`composer-${conversationId}`}
        className={styles.input}
        placeholder="Type a message"
        rows={1}
        value={value}
        aria-invalid={isTooLong}
        aria-describedby={shownError ? `composer-error-${conversationId}` : undefined}
        onChange={(event) => changeText(event.target.value)}
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
        disabled={isTooLong || !hasVisibleText(value) || isSaving}
      >
        {editing ? 'Save' : 'Send'}
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

/** Above the composer while it replies or edits: what to, and the way out. */
function ActionBar({
  testId,
  title,
  text,
  cancelLabel,
  onCancel,
}: {
  testId: string;
  title: ReactNode;
  text: string;
  cancelLabel: string;
  onCancel: () => void;
}) {
  return (
    <div className={styles.bar} data-testid={testId}>
      <p className={styles.barText}>
        <span className={styles.barTitle}>{title}</span>
        <span className={styles.barQuote}>{text}</span>
      </p>
      <button type="button" className={styles.barClose} aria-label={cancelLabel} onClick={onCancel}>
        ×
      </button>
    </div>
  );
}
