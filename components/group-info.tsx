'use client';
// Name, members with roles and presence, and the actions the viewer may take.

import { useEffect, useState, type FormEvent } from 'react';
import type { ConversationSummary, GroupMember } from '../protocol';
import { useChatClient, useChatState, usePersonName } from '../hooks/use-chat';
import { showChat } from './chat-link';
import { ConfirmDialog, type Confirmation } from './confirm-dialog';
import { GroupDetails } from './group-details';
import { InviteLink } from './invite-link';
import { lastNameTyped, PeopleSuggestions, withPickedName } from './people-suggestions';
import { PresenceDot } from './presence';
import { ReportDialog, type ReportRequest } from './report-dialog';
import { Avatar } from './avatar';
import { useSwipeBack } from './use-swipe-back';
import controls from './controls.module.css';
import styles from './group-info.module.css';

/** The question before leaving a group (from its info panel or its chat's menu). */
export function leavingConfirmation(title: string, leave: () => Promise<void>): Confirmation {
  return {
    title: `Leave “${title}”?`,
    text: 'You will no longer receive its messages, and only an admin can add you again.',
    confirmLabel: 'Leave',
    onConfirm: leave,
  };
}

export function GroupInfo({
  conversation,
  onClose,
}: {
  conversation: ConversationSummary;
  onClose: () => void;
}) {
  const client = useChatClient();
  const members = useChatState((state) => state.members[conversation.id]);
  const meId = useChatState((state) => state.me.id);
  const [error, setError] = useState<string | null>(null);
  const [newMembers, setNewMembers] = useState('');
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  // On a phone the panel covers the chat: a swipe from the left edge closes it.
  const swipeBackRef = useSwipeBack(onClose);
  const [reportRequest, setReportRequest] = useState<ReportRequest | null>(null);
  const isAdmin = conversation.myRole === 'admin';

  useEffect(() => {
    void client.loadMembers(conversation.id);
  }, [client, conversation.id]);

  async function run(action: () => Promise<{ ok: true } | { ok: false; message: string }>) {
    setError(null);
    const result = await action();
    if (!result.ok) setError(result.message);
    return result.ok;
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const usernames = newMembers.split(/[\s,]+/).filter(Boolean);
    if (usernames.length === 0) return;
    if (await run(() => client.addMembers(conversation.id, usernames))) setNewMembers('');
  }

  function askToLeave() {
    setConfirmation(
      leavingConfirmation(conversation.title, async () => {
        if (await run(() => client.leaveGroup(conversation.id))) showChat(null);
      }),
    );
  }

  function askToRemove(member: GroupMember) {
    setConfirmation({
      title: `Remove ${member.username}?`,
      text: `${member.username} will no longer receive the messages of “${conversation.title}”.`,
      confirmLabel: 'Remove',
      onConfirm: () => run(() => client.removeMember(conversation.id, member.id)),
    });
  }

  return (
    <aside
      ref={swipeBackRef}
      className={styles.panel}
      aria-label="Group info"
      data-testid="group-info"
    >
      <header className={styles.header}>
        <h2>{conversation.title}</h2>
        <button
          type="button"
          className={controls.quietButton}
          onClick={onClose}
          aria-label="Close group info"
        >
          ✕
        </button>
      </header>
      <GroupDetails conversation={conversation} onError={setError} />
      <p className={styles.count}>{conversation.memberCount} members</p>
      {error && (
        <p className={controls.formError} role="alert" data-testid="group-error">
          {error}
        </p>
      )}
      {isAdmin && (
        <form className={styles.add} onSubmit={add}>
          <label className="visually-hidden" htmlFor={`add-${conversation.id}`}>
            Add members (usernames)
          </label>
          <input
            id={`add-${conversation.id}`}
            placeholder="Add: usernames"
            autoCapitalize="none"
            spellCheck={false}
            value={newMembers}
            onChange={(event) => setNewMembers(event.target.value)}
          />
          <button type="submit" className={controls.primaryButton} disabled={!newMembers.trim()}>
            Add
          </button>
          <PeopleSuggestions
            query={lastNameTyped(newMembers)}
            label="Add"
            onPick={(person) => setNewMembers(withPickedName(newMembers, person.username))}
          />
        </form>
      )}
      {isAdmin && <InviteLink conversationId={conversation.id} onError={setError} />}
      <ul className={styles.members} aria-label="Members">
        {(members ?? []).map((member) => (
          <MemberRow
            key={member.id}
            member={member}
            isMe={member.id === meId}
            canManage={isAdmin && member.id !== meId}
            onRole={(role) => run(() => client.setRole(conversation.id, member.id, role))}
            onRemove={() => askToRemove(member)}
            onReport={(name) => setReportRequest({ target: { userId: member.id }, name })}
          />
        ))}
      </ul>
      <button type="button" className={controls.dangerButton} onClick={askToLeave}>
        Leave group
      </button>
      <ConfirmDialog confirmation={confirmation} onDone={() => setConfirmation(null)} />
      <ReportDialog request={reportRequest} onDone={() => setReportRequest(null)} />
    </aside>
  );
}

function MemberRow({
  member,
  isMe,
  canManage,
  onRole,
  onRemove,
  onReport,
}: {
  member: GroupMember;
  isMe: boolean;
  canManage: boolean;
  onRole: (role: 'admin' | 'member') => void;
  onRemove: () => void;
  /** Asks whether to report this member to the server's admins (not for oneself). */
  onReport: (name: string) => void;
}) {
  const name = usePersonName(member);
  const report = !isMe && (
    <button
      type="button"
      className={controls.quietButton}
      onClick={() => onReport(name)}
      aria-label={`Report ${member.username}`}
      data-testid="member-report"
    >
      Report
    </button>
  );
  return (
    <li className={styles.member} data-testid="member">
      <Avatar id={member.id} name={name} size="small">
        {!isMe && <PresenceDot userId={member.id} name={name} />}
      </Avatar>
      <span className={styles.memberName}>
        {isMe ? `${name} (you)` : name}
        {name !== member.username && <span className={styles.handle}> @{member.username}</span>}
      </span>
      {member.role === 'admin' && <span className={styles.role}>Admin</span>}
      {report}
      {canManage && (
        <span className={styles.memberActions}>
          <button
            type="button"
            className={controls.quietButton}
            onClick={() => onRole(member.role === 'admin' ? 'member' : 'admin')}
          >
            {member.role === 'admin' ? 'Remove as admin' : 'Make admin'}
          </button>
          <button
            type="button"
            className={controls.quietButton}
            onClick={onRemove}
            aria-label={`Remove ${member.username}`}
          >
            Remove
          </button>
        </span>
      )}
    </li>
  );
}
