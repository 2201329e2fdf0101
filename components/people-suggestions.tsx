'use client';
// People found while typing a name or username (people:search): to start a chat with, or to
// add to a group. A person who chose not to be found by name shows only for their exact
// username.

import { useEffect, useState } from 'react';
import { SearchQuery, type Profile } from '../protocol';
import { useChatClient } from '../hooks/use-chat';
import { Avatar } from './avatar';
import styles from './people-suggestions.module.css';

/** Typing pauses this long before the search goes out. */
const TYPING_PAUSE_MS = 300;

export function PeopleSuggestions({
  query,
  onPick,
  label,
}: {
  query: string;
  onPick: (person: Profile) => void;
  /** What picking does, for screen readers: "Start a chat with", "Add". */
  label: string;
}) {
  const client = useChatClient();
  const parsed = SearchQuery.safeParse(query);
  const text = parsed.success ? parsed.data : null;
  const [answer, setAnswer] = useState<{ text: string; people: Profile[] } | null>(null);

  useEffect(() => {
    if (text === null) return;
    let isCurrent = true;
    const timer = setTimeout(() => {
      void client.searchPeople(text).then((result) => {
        if (isCurrent && result.ok) setAnswer({ text, people: result.people });
      });
    }, TYPING_PAUSE_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [client, text]);

  const people = answer && answer.text === text ? answer.people : [];
  if (people.length === 0) return null;
  return (
    <ul className={styles.people} aria-label="People found" data-testid="people-found">
      {people.map((person) => {
        const name = person.displayName || person.username;
        return (
          <li key={person.id}>
            <button
              type="button"
              className={styles.person}
              aria-label={`${label} ${name} (@${person.username})`}
              onClick={() => onPick(person)}
            >
              <Avatar id={person.id} name={name} size="small" />
              <span className={styles.names}>
                <span className={styles.name}>{name}</span>
                <span className={styles.handle}>
                  @{person.username}
                  {person.about && ` · ${person.about}`}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** The name being typed in a list of usernames ("bob, car" → "car"). */
export function lastNameTyped(list: string): string {
  return list.split(/[\s,]+/).at(-1) ?? '';
}

/** The list with the name being typed replaced by a picked username, ready for the next. */
export function withPickedName(list: string, username: string): string {
  const done = list
    .split(/[\s,]+/)
    .slice(0, -1)
    .filter(Boolean);
  return `${[...done, username].join(', ')}, `;
}
