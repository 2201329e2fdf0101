import { ConversationView } from '../../../components/conversation-view';

export const metadata = { title: 'Chat · Parley' };

export default async function ConversationPage({
  params,
}: {
  params: Promise<{ conversationId: string }>;
}) {
  const { conversationId } = await params;
  return <ConversationView key={conversationId} conversationId={conversationId} />;
}
