'use client';
// The signed-in app: the conversation list and, when `?c=<id>` names one, a conversation;
// `?join=<code>` is an invite link to a group.
// One static page for every conversation, so that the service worker can open it offline.

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { ChatProvider } from '../hooks/use-chat';
import { useSignedInUser } from '../hooks/use-signed-in-user';
import { ChatShell } from './chat-shell';
import appStatus from './app-status.module.css';

export function ChatApp() {
  const signedIn = useSignedInUser();
  const params = useSearchParams();
  const conversationId = params.get('c');
  const jumpSeq = Number(params.get('m'));
  const joinCode = params.get('join');

  if (signedIn.status === 'checking') return <p className={appStatus.status}>Opening Parley…</p>;
  if (signedIn.status === 'unreachable') {
    return (
      <main className={appStatus.status}>
        <p>You are offline, and this device has not been signed in yet.</p>
        <Link href="/sign-in">Sign in when you are back online</Link>
      </main>
    );
  }
  return (
    <ChatProvider key={signedIn.user.id} me={signedIn.user}>
      <ChatShell
        conversationId={conversationId}
        jumpSeq={Number.isSafeInteger(jumpSeq) && jumpSeq > 0 ? jumpSeq : null}
        joinCode={joinCode}
      />
    </ChatProvider>
  );
}
