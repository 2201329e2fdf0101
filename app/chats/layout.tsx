import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { ChatShell } from '../../components/chat-shell';
import { ChatProvider } from '../../hooks/use-chat';
import { getSignedInUser } from '../session';

export const dynamic = 'force-dynamic';

export default async function ChatsLayout({ children }: { children: ReactNode }) {
  const user = await getSignedInUser();
  if (!user) redirect('/sign-in');
  return (
    <ChatProvider me={user}>
      <ChatShell>{children}</ChatShell>
    </ChatProvider>
  );
}
