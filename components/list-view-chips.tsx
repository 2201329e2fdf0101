'use client';
// The chips above the chat list, as in WhatsApp: All, Unread, Groups. One is on at a time.

import type { ListView } from './conversation-list';
import styles from './list-view-chips.module.css';

const VIEWS: { view: ListView; label: string }[] = [
  { view: 'all', label: 'All' },
  { view: 'unread', label: 'Unread' },
  { view: 'groups', label: 'Groups' },
];

export function ListViewChips({
  view,
  onChange,
}: {
  view: ListView;
  onChange: (view: ListView) => void;
}) {
  return (
    <div className={styles.chips} role="group" aria-label="Show chats">
      {VIEWS.map((item) => (
        <button
          key={item.view}
          type="button"
          className={styles.chip}
          aria-pressed={view === item.view}
          onClick={() => onChange(item.view)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
