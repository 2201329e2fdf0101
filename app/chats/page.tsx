import { Suspense } from 'react';
import { ChatApp } from '../../components/chat-app';
import appStatus from '../../components/app-status.module.css';

// components/chat-shell.tsx puts the number of unread messages before it.
export const metadata = { title: 'Chats · Parley' };

/** The same shell for every user and conversation (nothing per user is rendered on the server),
 * kept by the service worker for offline use. */
export default function ChatsPage() {
  return (
    <Suspense fallback={<p className={appStatus.status}>Opening Parley…</p>}>
      <ChatApp />
    </Suspense>
  );
}
