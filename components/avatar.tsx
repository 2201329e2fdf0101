import type { ReactNode } from 'react';
import styles from './avatar.module.css';

/** How many colours avatars take (avatar.module.css has one rule for each). */
const COLOURS = 8;

/** The first letters of the first two words ("Ada Lovelace": AL; "bob": B), in any script. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0] ?? '');
  return letters.join('').toLocaleUpperCase();
}

/** One of the avatar colours, always the same for one person or group (from their id). */
export function colourOf(id: string): number {
  let hash = 0;
  for (let index = 0; index < id.length; index++) {
    hash = (hash * 31 + id.charCodeAt(index)) >>> 0;
  }
  return hash % COLOURS;
}

/** The round initials of a person or group, in their colour; a presence dot may sit on it. */
export function Avatar({
  id,
  name,
  size = 'normal',
  children,
}: {
  id: string;
  name: string;
  size?: 'normal' | 'small';
  children?: ReactNode;
}) {
  return (
    <span
      className={size === 'small' ? styles.smallAvatar : styles.avatar}
      data-colour={colourOf(id)}
      aria-hidden="true"
    >
      {initialsOf(name)}
      {children}
    </span>
  );
}
