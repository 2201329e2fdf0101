'use client';

import { Settings, ShieldCheck, Users } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { countUnread } from '../hooks/chat-state';
import { forgetCachedUser } from '../hooks/session-cache';
import { useChatClient, useChatState } from '../hooks/use-chat';
import { useNewMessageSound } from '../hooks/use-new-message-sound';
import { useUnreadFavicon } from '../hooks/use-unread-favicon';
import { ArchivedChats } from './archived-chats';
import { ConnectionStatus } from './connection-status';
import { showChat } from './chat-link';
import { ConversationList, type ListView } from './conversation-list';
import { ListViewChips } from './list-view-chips';
import { ConversationView } from './conversation-view';
import { JoinGroupDialog } from './join-group-dialog';
import { MessageSearchResults } from './message-search-results';
import { NewChatForm } from './new-chat-form';
import { NewGroupForm } from './new-group-form';
import { ProfileDialog } from './profile-dialog';
import { SearchBox } from './search-box';
import { SettingsPanel } from './settings-panel';
import controls from './controls.module.css';
import styles from './chat-shell.module.css';

/** The tab's title (app/chats/page.tsx), after the count of unread messages when there are. */
const TITLE = 'Chats · Parley';

/** Two panes like WhatsApp Web; on a narrow screen, one at a time. */
export function ChatShell({
  conversationId,
  jumpSeq,
  joinCode,
}: {
  conversationId: string | null;
  /** The message to show in the open conversation (a search result), from `&m=`. */
  jumpSeq: number | null;
  /** An invite link's code (`?join=`): asks whether to join its group. */
  joinCode: string | null;
}) {
  const router = useRouter();
  const client = useChatClient();
  const me = useChatState((state) => state.me);
  const isSessionEnded = useChatState((state) => state.isSessionEnded);
  const isAdmin = useChatState((state) => state.isAdmin);
  const [isCreatingGroup, setIsCreatingGroup] = useState(false);
  const [listView, setListView] = useState<ListView>('all');
  /** The archived chats take the list's place until closed. */
  const [isInArchive, setIsInArchive] = useState(false);
  /** Settings take the list's place until closed. */
  const [isInSettings, setIsInSettings] = useState(false);
  /** The list's search: chats by name, and messages by their words. */
  const [query, setQuery] = useState('');
  const isSearching = query.trim() !== '';
  const unread = useChatState((state) => countUnread(state.conversations));
  useUnreadFavicon(unread);
  useNewMessageSound(client);

  // "(3) Chats · Parley": a glance at the tab tells there is something to read. Set again
  // after each navigation, which may put the page's own title back.
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
  }, [unread, conversationId]);
  useEffect(
    () => () => {
      document.title = TITLE;
    },
    [],
  );

  useEffect(() => {
    if (!isSessionEnded) return;
    // Signed out elsewhere, or expired: nothing of this account stays on the device.
    forgetCachedUser();
    void client.forgetDevice().finally(() => router.replace('/sign-in'));
  }, [client, isSessionEnded, router]);

  // Settings and the archived chats take the list's place; closed, they give the focus back
  // to what opened them.
  const returnFocusTo = useRef<'settings' | 'archived' | null>(null);
  const settingsButton = useRef<HTMLButtonElement>(null);
  const archivedRow = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const target = returnFocusTo.current;
    returnFocusTo.current = null;
    if (target === 'settings') settingsButton.current?.focus();
    if (target === 'archived') archivedRow.current?.focus();
  }, [isInSettings, isInArchive]);

  return (
    <div className={conversationId ? styles.withConversation : styles.shell}>
      <aside className={styles.sidebar} aria-label="Conversations">
        {isInSettings ? (
          <SettingsPanel
            onClose={() => {
              returnFocusTo.current = 'settings';
              setIsInSettings(false);
            }}
          />
        ) : isInArchive ? (
          <ArchivedChats
            activeId={conversationId}
            onClose={() => {
              returnFocusTo.current = 'archived';
              setIsInArchive(false);
            }}
          />
        ) : (
          <>
            <header className={styles.header}>
              <ProfileDialog />
              <span className={styles.me} data-testid="me">
                {me.username}
              </span>
              <ConnectionStatus />
              {isAdmin && (
                <Link
                  className={controls.iconButton}
                  href="/admin"
                  aria-label="Admin"
                  title="Admin"
                >
                  <ShieldCheck aria-hidden="true" size={20} />
                </Link>
              )}
              <button
                type="button"
                className={controls.iconButton}
                aria-label="New group"
                title="New group"
                aria-expanded={isCreatingGroup}
                onClick={() => setIsCreatingGroup(!isCreatingGroup)}
              >
                <Users aria-hidden="true" size={20} />
              </button>
              <button
                ref={settingsButton}
                type="button"
                className={controls.iconButton}
                aria-label="Settings"
                title="Settings"
                onClick={() => setIsInSettings(true)}
              >
                <Settings aria-hidden="true" size={20} />
              </button>
            </header>
            <NewChatForm />
            {isCreatingGroup && <NewGroupForm onDone={() => setIsCreatingGroup(false)} />}
            <SearchBox
              value={query}
              onChange={setQuery}
              label="Search chats and messages"
              placeholder="Search"
              testId="list-search"
            />
            {isSearching ? (
              <div className={styles.searchResults}>
                <h3 className={styles.sectionTitle}>Chats</h3>
                <ConversationList activeId={conversationId} filter={query} />
                <h3 className={styles.sectionTitle}>Messages</h3>
                <MessageSearchResults
                  query={query}
                  onOpen={(result) => showChat(result.conversationId, result.seq)}
                />
              </div>
            ) : (
              <>
                <ListViewChips view={listView} onChange={setListView} />
                <ConversationList
                  activeId={conversationId}
                  view={listView}
                  onOpenArchived={() => setIsInArchive(true)}
                  archivedRowRef={archivedRow}
                />
              </>
            )}
          </>
        )}
      </aside>
      <div className={styles.pane}>
        {conversationId ? (
          <ConversationView
            key={conversationId}
            conversationId={conversationId}
            jumpSeq={jumpSeq}
          />
        ) : (
          <section className={styles.empty}>
            <h2>Parley</h2>
            <p>Pick a conversation, or start one with a username.</p>
          </section>
        )}
      </div>
      {joinCode && <JoinGroupDialog key={joinCode} code={joinCode} />}
    </div>
  );
}
