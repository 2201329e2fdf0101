import { Suspense } from 'react';
import { ChatApp } from '../../components/chat-app';

export const metadata = { title: 'Chats · Parley' };

/** Static: the same shell for every user and conversation, served offline by the worker. */
export default function ChatsPage() {
  return (
    <Suspense fallback={<p className="app-status">Opening Parley…</p>}>
      <ChatApp />
    </Suspense>
  );
}
