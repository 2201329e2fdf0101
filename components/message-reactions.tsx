'use client';
// The reactions under a bubble: one chip per emoji with its count. A chip opens who reacted;
// the viewer's own reaction there is a button that takes it away.

import { useId, useState } from 'react';
import type { Reaction } from '../protocol';
import { displayNameOf } from '../hooks/chat-state';
import { groupReactions } from '../hooks/message-abilities';
import { useChatState } from '../hooks/use-chat';
import styles from './message-reactions.module.css';

export function MessageReactions({
  reactions,
  meId,
  onRemoveMine,
}: {
  reactions: Reaction[] | undefined;
  meId: string;
  /** Absent when the viewer may no longer react (a former member). */
  onRemoveMine?: () => void;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const id = useId();
  const people = useChatState((state) => state.people);
  const groups = groupReactions(reactions, meId);
  if (groups.length === 0) return null;
  return (
    <div className={styles.reactions} data-testid="message-reactions">
      <div className={styles.chips}>
        {groups.map((group) => {
          const names = group.users
            .map((user) => (user.id === meId ? 'you' : displayNameOf(people, user)))
            .join(', ');
          return (
            <button
              key={group.emoji}
              type="button"
              className={group.isMine ? styles.mineChip : styles.chip}
              aria-label={`${group.emoji} ${group.users.length}: ${names}`}
              aria-expanded={isOpen}
              aria-controls={isOpen ? `${id}-who` : undefined}
              title={names}
              onClick={() => setIsOpen(!isOpen)}
              data-testid="reaction-chip"
              data-emoji={group.emoji}
              data-count={group.users.length}
              data-mine={group.isMine}
            >
              <span aria-hidden="true">{group.emoji}</span>
              <span aria-hidden="true">{group.users.length}</span>
            </button>
          );
        })}
      </div>
      {isOpen && (
        <div
          id={`${id}-who`}
          className={styles.who}
          role="group"
          aria-label="Who reacted"
          data-testid="reaction-details"
        >
          <ul>
            {(reactions ?? []).map((reaction) => (
              <li key={reaction.user.id}>
                <span aria-hidden="true">{reaction.emoji}</span>{' '}
                {reaction.user.id === meId && onRemoveMine ? (
                  <button
                    type="button"
                    className={styles.remove}
                    onClick={() => {
                      setIsOpen(false);
                      onRemoveMine();
                    }}
                  >
                    You: remove your reaction
                  </button>
                ) : (
                  <span>
                    {reaction.user.id === meId ? 'You' : displayNameOf(people, reaction.user)}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
