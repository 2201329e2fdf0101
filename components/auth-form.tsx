'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { inviteQuery, PASSWORD_MIN_LENGTH, PASSWORD_RULE, USERNAME_RULE } from '../protocol';
import { callApi } from '../hooks/api';
import { cacheUser } from '../hooks/session-cache';
import page from './card-page.module.css';
import controls from './controls.module.css';

/** The page's address does not change under the form. */
const subscribeToNothing = () => () => {};

export function AuthForm({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const isSignUp = mode === 'sign-up';
  /** `?join=<code>` when an invite link brought the person here: it goes on with them. */
  const invite = useSyncExternalStore(
    subscribeToNothing,
    () => inviteQuery(window.location.search),
    () => '',
  );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setIsBusy(true);
    setError(null);
    // Sent as typed: the server names what is wrong with it.
    const credentials = {
      username: String(form.get('username') ?? ''),
      password: String(form.get('password') ?? ''),
    };
    const result = await callApi(isSignUp ? 'signUp' : 'signIn', credentials);
    setIsBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    cacheUser(result.user);
    router.replace(`/chats${invite}`);
  }

  return (
    <main className={page.page}>
      <form className={page.card} onSubmit={submit} noValidate>
        <h1 className={page.title}>Parley</h1>
        <p className={page.subtitle}>{isSignUp ? 'Create your account' : 'Sign in to chat'}</p>
        <label className={controls.field}>
          <span className={controls.fieldLabel}>Username</span>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            aria-describedby={isSignUp ? 'username-rule' : undefined}
          />
        </label>
        {isSignUp && (
          <p id="username-rule" className={controls.fieldHint}>
            {USERNAME_RULE}
          </p>
        )}
        <label className={controls.field}>
          <span className={controls.fieldLabel}>Password</span>
          <input
            name="password"
            type="password"
            autoComplete={isSignUp ? 'new-password' : 'current-password'}
            required
            minLength={isSignUp ? PASSWORD_MIN_LENGTH : undefined}
            aria-describedby={isSignUp ? 'password-rule' : undefined}
          />
        </label>
        {isSignUp && (
          <p id="password-rule" className={controls.fieldHint}>
            {PASSWORD_RULE}
          </p>
        )}
        {error && (
          <p className={controls.formError} role="alert">
            {error}
          </p>
        )}
        <button className={controls.primaryButton} type="submit" disabled={isBusy}>
          {isSignUp ? 'Sign up' : 'Sign in'}
        </button>
        <p className={page.switch}>
          {isSignUp ? (
            <>
              Have an account? <Link href={`/sign-in${invite}`}>Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link href={`/sign-up${invite}`}>Create an account</Link>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
