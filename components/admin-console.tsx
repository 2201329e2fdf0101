'use client';
// The admin console: its sections as tabs. Add a section by adding an entry to `sections`; the
// open one is in the address (?section=users), so a reload or a shared link keeps it.

import Link from 'next/link';
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { AdminOverview } from './admin-overview';
import { AdminReports } from './admin-reports';
import { AdminSettings } from './admin-settings';
import { AdminUsers } from './admin-users';
import styles from './admin-console.module.css';

export interface AdminSection {
  /** In the address: /admin?section=<id>. */
  id: string;
  label: string;
  element: ReactNode;
}

export function AdminConsole({
  currentUserId,
  initialSection,
}: {
  currentUserId: string;
  initialSection?: string | undefined;
}) {
  const sections: AdminSection[] = [
    { id: 'overview', label: 'Overview', element: <AdminOverview /> },
    { id: 'users', label: 'Users', element: <AdminUsers currentUserId={currentUserId} /> },
    { id: 'reports', label: 'Reports', element: <AdminReports /> },
    { id: 'settings', label: 'Settings', element: <AdminSettings /> },
  ];
  const [openId, setOpenId] = useState(
    sections.some((section) => section.id === initialSection) ? initialSection! : 'overview',
  );
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const id = useId();
  const open = sections.find((section) => section.id === openId) ?? sections[0]!;

  function choose(sectionId: string) {
    setOpenId(sectionId);
    const url = new URL(window.location.href);
    url.searchParams.set('section', sectionId);
    window.history.replaceState(window.history.state, '', url);
  }

  /** Arrows, Home and End move between the tabs (the WAI-ARIA tabs pattern). */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = sections.findIndex((section) => section.id === open.id);
    const last = sections.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % sections.length
        : event.key === 'ArrowLeft'
          ? (index + last) % sections.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    choose(sections[next]!.id);
    tabs.current[next]?.focus();
  }

  return (
    <main className={styles.page}>
      <div className={styles.console}>
        <header className={styles.header}>
          <h1 className={styles.title}>Admin</h1>
          <Link href="/chats">Back to chats</Link>
        </header>
        <div className={styles.tabs} role="tablist" aria-label="Admin" onKeyDown={onKeyDown}>
          {sections.map((section, index) => (
            <button
              key={section.id}
              ref={(element) => {
                tabs.current[index] = element;
              }}
              id={`${id}-tab-${section.id}`}
              className={styles.tab}
              type="button"
              role="tab"
              aria-selected={section.id === open.id}
              aria-controls={`${id}-panel`}
              tabIndex={section.id === open.id ? 0 : -1}
              onClick={() => choose(section.id)}
            >
              {section.label}
            </button>
          ))}
        </div>
        <section
          key={open.id}
          id={`${id}-panel`}
          className={styles.panel}
          role="tabpanel"
          aria-labelledby={`${id}-tab-${open.id}`}
        >
          {open.element}
        </section>
      </div>
    </main>
  );
}
