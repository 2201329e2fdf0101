'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_LENGTH, USERNAME_RULE, type UserSummary } from '../protocol';
import { cacheUser } from '../hooks/session-cache';
import page from './card-page.module.css';
import controls from './controls.module.css';

export function AuthForm({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const isSignUp = mode === 'sign-up';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setIsBusy(true);
    setError(null);
    try {
      const response = await fetch(`/api/auth/${mode}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
      });
      const result = (await response.json()) as {
        ok: boolean;
        message?: string;
        user?: UserSummary;
      };
      if (!result.ok || !result.user) {
        setError(result.message ?? 'That did not work. Please try again.');
        return;
      }
      cacheUser(result.user);
      router.replace('/chats');
    } catch {
      setError('Could not reach the server. Check your connection and try again.');
    } finally {
      setIsBusy(false);
    }
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
          />
        </label>
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
              Have an account? <Link href="/sign-in">Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link href="/sign-up">Create an account</Link>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
