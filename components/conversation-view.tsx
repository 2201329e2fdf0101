'use client';

import { Info, Search } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { isArchivedNow, type ConversationSummary } from '../protocol';
import { isPinned } from '../hooks/chat-list';
import type { ActionResult } from '../hooks/chat-client';
import { describeTyping, isFormerMember } from '../hooks/chat-state';
import { useChatClient, useChatState, useConversation } from '../hooks/use-chat';
import { Avatar } from './avatar';
import { ChatLink, chatHref, showChat } from './chat-link';
import { ChatSearchPanel } from './chat-search-panel';
import { Composer, type ComposerAction } from './composer';
import { ConfirmDialog, type Confirmation } from './confirm-dialog';
import { ConnectionStatus } from './connection-status';
import { GroupInfo, leavingConfirmation } from './group-info';
import { HeaderMenu } from './header-menu';
import type { MenuItem } from './message-menu';
import { MessageList, type JumpRequest } from './message-list';
import { PresenceDot, usePresenceText } from './presence';
import { ReportDialog, type ReportRequest } from './report-dialog';
import { useSwipeBack } from './use-swipe-back';
import controls from './controls.module.css';
import styles from './conversation-view.module.css';

export function ConversationView({
  conversationId,
  jumpSeq = null,
}: {
  conversationId: string;
  /** Show this message (a search result of the list), then take it out of the address. */
  jumpSeq?: number | null;
}) {
  const client = useChatClient();
  const summary = useConversation(conversationId);
  const isListLoaded = useChatState((state) => state.isListLoaded);
  const typing = useChatState((state) => state.typing[conversationId]);
  const presenceText = usePresenceText(summary?.peer?.id);
  const [panel, setPanel] = useState<'info' | 'search' | null>(null);
  const peerId = summary?.peer?.id;
  const isPeerBlocked = useChatState(
    (state) => peerId !== undefined && (state.blocked ?? []).some((person) => person.id === peerId),
  );
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [reportRequest, setReportRequest] = useState<ReportRequest | null>(null);
  /** The message to bring into view, chosen in this conversation's search. */
  const [jumpTo, setJumpTo] = useState<JumpRequest | null>(null);
  /** Replying to or editing a message: the composer shows which, above its input. */
  const [composerAction, setComposerAction] = useState<ComposerAction | null>(null);
  /** Why the last action of the header's menu was refused ("You can pin up to 3 chats."). */
  const [menuError, setMenuError] = useState<string | null>(null);

  /** Runs an action of the header's menu; a refusal is shown under the header. */
  function act(action: () => Promise<ActionResult>) {
    setMenuError(null);
    void action().then((result) => setMenuError(result.ok ? null : result.message));
  }
  /** On a phone, a swipe from the left edge does what the header's back link does. */
  const swipeBackRef = useSwipeBack(() => showChat(null));

  useEffect(() => {
    client.openConversation(conversationId);
    return () => client.openConversation(null);
  }, [client, conversationId]);

  const jumpFromAddress = useMemo(() => (jumpSeq === null ? null : { seq: jumpSeq }), [jumpSeq]);
  useEffect(() => {
    if (jumpSeq === null) return;
    // Shown once: a reload does not jump again, and the same result chosen again does.
    window.history.replaceState(null, '', chatHref(conversationId));
  }, [conversationId, jumpSeq]);

  if (!summary && isListLoaded) {
    return (
      <section className={styles.missing}>
        <p>This conversation does not exist, or you are not in it.</p>
        <ChatLink conversationId={null}>Back to your chats</ChatLink>
      </section>
    );
  }
  const isGroup = summary?.kind === 'group';
  // Removed, or left: the messages up to then stay, read-only.
  const isFormer = summary !== undefined && isFormerMember(summary);
  const subtitle = isFormer
    ? null
    : (describeTyping(typing) ?? (isGroup ? `${summary.memberCount} members` : presenceText));

  /**
   * The header's "More options": group info (its own button too, but not on a phone), muting,
   * pinning, archiving, clearing, leaving a group, and for a direct chat blocking and reporting.
   */
  function headerItems(chat: ConversationSummary): MenuItem[] {
    const items: MenuItem[] = [];
    if (isGroup && !isFormer) {
      items.push({ label: 'Group info', onSelect: () => setPanel('info') });
    }
    if (!isFormer) {
      items.push({
        label: chat.isMuted ? 'Unmute notifications' : 'Mute notifications',
        onSelect: () => act(() => client.setMuted(chat.id, !chat.isMuted)),
      });
      // As in WhatsApp: pinning an archived chat brings it back to the list, on top.
      const pinned = isPinned(chat);
      items.push({
        label: pinned ? 'Unpin chat' : 'Pin chat',
        onSelect: () => act(() => client.setPinned(chat.id, !pinned)),
      });
      const archived = isArchivedNow(chat);
      items.push({
        label: archived ? 'Unarchive chat' : 'Archive chat',
        onSelect: () => act(() => client.setArchived(chat.id, !archived)),
      });
    }
    if (chat.lastMessage) {
      items.push({
        label: 'Clear chat',
        isDanger: true,
        onSelect: () =>
          setConfirmation({
            title: 'Clear this chat?',
            text: 'Its messages will be removed from all your devices. The others in the chat keep theirs.',
            confirmLabel: 'Clear chat',
            onConfirm: async () => {
              const result = await client.clearChat(chat.id);
              setMenuError(result.ok ? null : result.message);
            },
          }),
      });
    }
    if (isGroup && !isFormer) {
      items.push({
        label: 'Leave group',
        isDanger: true,
        onSelect: () =>
          setConfirmation(
            leavingConfirmation(chat.title, async () => {
              const result = await client.leaveGroup(chat.id);
              if (result.ok) showChat(null);
              else setMenuError(result.message);
            }),
          ),
      });
    }
    const peer = chat.peer;
    if (peer && !isPeerBlocked) {
      items.push({
        label: 'Block',
        isDanger: true,
        onSelect: () =>
          setConfirmation({
            title: `Block ${chat.title}?`,
            text: 'They will not be able to send you messages or see when you are online, and you will not see theirs. Groups you share are not affected.',
            confirmLabel: 'Block',
            onConfirm: () => client.setBlocked(peer.id, true),
          }),
      });
    }
    if (peer) {
      items.push({
        label: 'Report',
        isDanger: true,
        onSelect: () => setReportRequest({ target: { userId: peer.id }, name: chat.title }),
      });
    }
    return items;
  }

  return (
    <div className={styles.layout}>
      <section
        ref={swipeBackRef}
        className={styles.conversation}
        aria-label={summary ? `Chat with ${summary.title}` : 'Chat'}
      >
        <header className={styles.header}>
          <ChatLink conversationId={null} className={styles.back} aria-label="Back to chats">
            ‹
          </ChatLink>
          <Avatar id={summary?.peer?.id ?? conversationId} name={summary?.title ?? ''}>
            {summary?.peer && <PresenceDot userId={summary.peer.id} name={summary.title} />}
          </Avatar>
          <div className={styles.heading}>
            <h2 className={styles.title} data-testid="conversation-title">
              {summary?.title ?? ''}
            </h2>
            <p className={styles.subtitle} data-testid="conversation-subtitle" aria-live="polite">
              {subtitle ?? ''}
            </p>
            {/* Phones show the list's header (and its connection state) only on the list. */}
            <div className={styles.connection}>
              <ConnectionStatus testId="conversation-connection" quietWhenOnline />
            </div>
          </div>
          {summary && (
            <button
              type="button"
              className={controls.iconButton}
              aria-label="Search in chat"
              title="Search in chat"
              aria-expanded={panel === 'search'}
              onClick={() => setPanel(panel === 'search' ? null : 'search')}
              data-testid="chat-search-toggle"
            >
              <Search aria-hidden="true" size={20} />
            </button>
          )}
          {isGroup && !isFormer && (
            <button
              type="button"
              className={`${controls.iconButton} ${styles.wideOnly}`}
              aria-label="Group info"
              title="Group info"
              aria-expanded={panel === 'info'}
              onClick={() => setPanel(panel === 'info' ? null : 'info')}
            >
              <Info aria-hidden="true" size={20} />
            </button>
          )}
          {summary && <HeaderMenu label="More options" items={headerItems(summary)} />}
        </header>
        {menuError && (
          <p className={styles.menuError} role="alert" data-testid="chat-action-error">
            {menuError}{' '}
            <button
              type="button"
              className={controls.quietButton}
              onClick={() => setMenuError(null)}
            >
              OK
            </button>
          </p>
        )}
        <MessageList
          conversationId={conversationId}
          jumpTo={jumpTo}
          jumpFromAddress={jumpFromAddress}
          onReply={(seq) => setComposerAction({ kind: 'reply', seq })}
          onEdit={(seq) => setComposerAction({ kind: 'edit', seq })}
        />
        {isFormer ? (
          <p className={styles.ended} role="status" data-testid="membership-ended">
            {summary.membership === 'left' ? 'You left' : 'You were removed'}
          </p>
        ) : isPeerBlocked && peerId ? (
          <p className={styles.ended} role="status" data-testid="blocked-bar">
            You blocked {summary.title}.{' '}
            <button
              type="button"
              className={controls.quietButton}
              onClick={() => void client.setBlocked(peerId, false)}
            >
              Unblock
            </button>
            <button
              type="button"
              className={controls.quietButton}
              onClick={() => setReportRequest({ target: { userId: peerId }, name: summary.title })}
              data-testid="blocked-bar-report"
            >
              Report
            </button>
          </p>
        ) : summary?.isSendAdminsOnly && summary.myRole !== 'admin' ? (
          <p className={styles.ended} role="status" data-testid="admins-only-bar">
            Only admins can send messages
          </p>
        ) : (
          <Composer
            key={conversationId}
            conversationId={conversationId}
            action={composerAction}
            onActionDone={() => setComposerAction(null)}
          />
        )}
      </section>
      {isGroup && !isFormer && panel === 'info' && summary && (
        <GroupInfo conversation={summary} onClose={() => setPanel(null)} />
      )}
      {panel === 'search' && summary && (
        <ChatSearchPanel
          conversationId={conversationId}
          onClose={() => setPanel(null)}
          onOpen={(seq) => setJumpTo({ seq })}
        />
      )}
      <ConfirmDialog confirmation={confirmation} onDone={() => setConfirmation(null)} />
      <ReportDialog request={reportRequest} onDone={() => setReportRequest(null)} />
    </div>
  );
}
