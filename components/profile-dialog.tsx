'use client';
// The user's own profile: the name others see (any script; the username stays the @handle)
// and a line about themselves. Saved for every device and shown to the people they chat with
// at once.

import { useId, useState, type FormEvent } from 'react';
import { ABOUT_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH, httpEndpoints } from '../protocol';
import { useChatClient, useChatState } from '../hooks/use-chat';
import { Avatar } from './avatar';
import { DeleteAccountDialog } from './delete-account-dialog';
import { DialogFooter, useModal } from './modal-dialog';
import controls from './controls.module.css';
import dialogStyles from './dialog.module.css';
import styles from './profile-dialog.module.css';

/** The user's avatar in the list's header, a button that opens their profile. */
export function ProfileDialog() {
  const client = useChatClient();
  const profile = useChatState((state) => state.profile);
  const [isOpen, setIsOpen] = useState(false);
  const dialog = useModal(isOpen ? true : null);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const id = useId();
  const name = profile.displayName || profile.username;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setIsBusy(true);
    setError(null);
    setSaved(false);
    const result = await client.updateProfile({
      displayName: String(data.get('displayName') ?? '').trim(),
      about: String(data.get('about') ?? '').trim(),
    });
    setIsBusy(false);
    if (result.ok) setSaved(true);
    else setError(result.message);
  }

  return (
    <>
      <button
        type="button"
        className={styles.open}
        aria-label="Your profile"
        title="Your profile"
        onClick={() => {
          setError(null);
          setSaved(false);
          setIsOpen(true);
        }}
      >
        <Avatar id={profile.id} name={name} size="small" />
      </button>
      <dialog
        ref={dialog}
        className={dialogStyles.dialog}
        aria-labelledby={`${id}-title`}
        onClose={() => setIsOpen(false)}
      >
        {/* A new form each time it opens: the fields start from the saved profile. */}
        {isOpen && (
          <form className={dialogStyles.form} onSubmit={submit} noValidate>
            <h2 id={`${id}-title`}>Your profile</h2>
            <div className={styles.who}>
              <Avatar id={profile.id} name={name} />
              <span>@{profile.username}</span>
            </div>
            <label className={controls.field}>
              <span className={controls.fieldLabel}>Name</span>
              <input
                name="displayName"
                defaultValue={profile.displayName}
                placeholder={profile.username}
                maxLength={DISPLAY_NAME_MAX_LENGTH * 2}
                autoComplete="name"
                aria-describedby={`${id}-name-hint`}
              />
            </label>
            <p id={`${id}-name-hint`} className={controls.fieldHint}>
              Shown to the people you chat with instead of your username. Leave it empty to show
              your username.
            </p>
            <label className={controls.field}>
              <span className={controls.fieldLabel}>About</span>
              <input
                name="about"
                defaultValue={profile.about}
                maxLength={ABOUT_MAX_LENGTH * 2}
                autoComplete="off"
              />
            </label>
            {saved && (
              <p role="status" data-testid="profile-saved">
                Saved.
              </p>
            )}
            <p className={controls.fieldHint}>
              {/* A plain link: the browser saves the file the server sends (Content-Disposition). */}
              <a href={httpEndpoints.exportAccount.path} download>
                Download my data
              </a>{' '}
              (your profile, your chats and the messages you sent, as a JSON file).
            </p>
            <DialogFooter dialog={dialog} error={error} isBusy={isBusy}>
              <button className={controls.primaryButton} type="submit" disabled={isBusy}>
                Save
              </button>
            </DialogFooter>
          </form>
        )}
        <DeleteAccountDialog />
      </dialog>
    </>
  );
}
