'use client';
// Privacy, as in other chat apps: who sees my online state and last seen, whether I send
// read receipts, whether people search finds me by name, and whom I blocked. Each choice is
// saved the moment it is made; the dialog says whether it was.

import { useId, useRef, useState } from 'react';
import type { PresenceVisibility, PrivacySettings } from '../protocol';
import { useChatClient, useChatState } from '../hooks/use-chat';
import controls from './controls.module.css';
import dialogStyles from './dialog.module.css';
import styles from './privacy-dialog.module.css';

type Outcome = { ok: true; text: string } | { ok: false; text: string } | null;

/** The "Privacy" button of the chat list header, and the dialog it opens. */
export function PrivacyDialog() {
  const client = useChatClient();
  const saved = useChatState((state) => state.privacy);
  const blocked = useChatState((state) => state.blocked);
  // The choice being saved shows as made at once; a refusal puts the saved one back.
  const [choice, setChoice] = useState<Partial<PrivacySettings>>({});
  const privacy = { ...saved, ...choice };
  const dialog = useRef<HTMLDialogElement>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const id = useId();

  function open() {
    setOutcome(null);
    dialog.current?.showModal();
  }

  async function save(change: Partial<PrivacySettings>) {
    setIsBusy(true);
    setOutcome(null);
    setChoice(change);
    const result = await client.setPrivacy(change);
    setChoice({});
    setIsBusy(false);
    setOutcome(result.ok ? { ok: true, text: 'Saved.' } : { ok: false, text: result.message });
  }

  const presenceChoice = (value: PresenceVisibility, label: string) => (
    <label className={styles.choice}>
      <input
        type="radio"
        name={`${id}-presence`}
        value={value}
        checked={privacy.presence === value}
        disabled={isBusy}
        onChange={() => void save({ presence: value })}
      />
      {label}
    </label>
  );

  const findableChoice = (value: boolean, label: string) => (
    <label className={styles.choice}>
      <input
        type="radio"
        name={`${id}-findable`}
        value={value ? 'on' : 'off'}
        checked={privacy.findableByName === value}
        disabled={isBusy}
        onChange={() => void save({ findableByName: value })}
      />
      {label}
    </label>
  );

  const receiptsChoice = (value: boolean, label: string) => (
    <label className={styles.choice}>
      <input
        type="radio"
        name={`${id}-receipts`}
        value={value ? 'on' : 'off'}
        checked={privacy.readReceipts === value}
        disabled={isBusy}
        onChange={() => void save({ readReceipts: value })}
      />
      {label}
    </label>
  );

  return (
    <>
      <button className={controls.quietButton} type="button" onClick={open}>
        Privacy
      </button>
      <dialog ref={dialog} className={dialogStyles.dialog} aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Privacy</h2>
        <fieldset className={styles.group}>
          <legend>Who sees my last seen and online</legend>
          {presenceChoice('contacts', 'People I chat with')}
          {presenceChoice('nobody', 'Nobody')}
          <p className={controls.fieldHint}>
            With nobody, you do not see anyone&apos;s last seen and online either.
          </p>
        </fieldset>
        <fieldset className={styles.group}>
          <legend>Read receipts</legend>
          {receiptsChoice(true, 'On')}
          {receiptsChoice(false, 'Off')}
          <p className={controls.fieldHint}>
            Off: others do not see when you have read their messages, and you do not see when they
            have read yours. Delivered ticks stay.
          </p>
        </fieldset>
        <fieldset className={styles.group}>
          <legend>Who can find me by name</legend>
          {findableChoice(true, 'Everyone, by part of my name or username')}
          {findableChoice(false, 'Only people who know my exact username')}
        </fieldset>
        <section className={styles.group} aria-labelledby={`${id}-blocked`}>
          <h3 id={`${id}-blocked`} className={styles.heading}>
            Blocked people
          </h3>
          {blocked && blocked.length === 0 && (
            <p className={controls.fieldHint}>Nobody. Block someone from your chat with them.</p>
          )}
          <ul className={styles.blocked} data-testid="blocked-people">
            {blocked?.map((person) => (
              <li key={person.id}>
                <span>
                  {person.displayName || person.username}{' '}
                  <span className={styles.handle}>@{person.username}</span>
                </span>
                <button
                  type="button"
                  className={controls.quietButton}
                  aria-label={`Unblock ${person.username}`}
                  onClick={() => {
                    void client
                      .setBlocked(person.id, false)
                      .then((result) =>
                        setOutcome(
                          result.ok
                            ? { ok: true, text: 'Unblocked.' }
                            : { ok: false, text: result.message },
                        ),
                      );
                  }}
                >
                  Unblock
                </button>
              </li>
            ))}
          </ul>
        </section>
        <p
          role="status"
          className={outcome?.ok === false ? controls.formError : controls.formSuccess}
        >
          {outcome?.text}
        </p>
        <div className={dialogStyles.actions}>
          <button
            className={controls.quietButton}
            type="button"
            onClick={() => dialog.current?.close()}
          >
            Close
          </button>
        </div>
      </dialog>
    </>
  );
}
