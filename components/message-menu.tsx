'use client';
// The action menu of one message (the WAI-ARIA menu pattern, with plain elements): a row of
// reactions and the actions, placed beside what opened it (the hover button, the pointer of a
// right-click, or the bubble for a long press and the keyboard). Focus moves into it on open
// and back to the bubble on close; arrows move between items, Escape and Tab close it. It is
// positioned through the CSSOM (element.style), which the page's CSP allows, unlike injected
// <style> tags or style attributes in markup.

import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import styles from './message-menu.module.css';

/** The reactions offered in one tap, as WhatsApp does. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

/** Where the menu opens: below this box (or above it when there is no room below). */
export interface MenuAnchor {
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Line the menu's right edge up with the box's (one's own messages, on the right). */
  alignEnd: boolean;
}

export interface MenuItem {
  label: string;
  onSelect: () => void;
  isDanger?: boolean;
}

export interface MenuReactions {
  /** The viewer's current reaction: choosing it again takes it away. */
  current: string | null;
  onReact: (emoji: string | null) => void;
}

/** Space kept between the menu and the window's edges. */
const EDGE_PX = 8;

export function MessageMenu({
  id,
  anchor,
  reactions,
  items,
  onClose,
  label = 'Message actions',
  testId = 'message-menu',
}: {
  id: string;
  anchor: MenuAnchor;
  reactions: MenuReactions | null;
  items: MenuItem[];
  /** `returnFocus`: put the keyboard back on the message (not when a click went elsewhere). */
  onClose: (returnFocus: boolean) => void;
  /** Its name for assistive technology. */
  label?: string;
  testId?: string;
}) {
  const menu = useRef<HTMLDivElement>(null);
  const latestOnClose = useRef(onClose);
  useLayoutEffect(() => {
    latestOnClose.current = onClose;
  });

  // Placed before it is painted, inside the window; then the first item takes the focus.
  useLayoutEffect(() => {
    const element = menu.current;
    if (!element) return;
    const { width, height } = element.getBoundingClientRect();
    const preferredLeft = anchor.alignEnd ? anchor.right - width : anchor.left;
    const left = Math.max(EDGE_PX, Math.min(preferredLeft, window.innerWidth - width - EDGE_PX));
    const fitsBelow = anchor.bottom + height + EDGE_PX <= window.innerHeight;
    const top = fitsBelow ? anchor.bottom : Math.max(EDGE_PX, anchor.top - height);
    element.style.left = `${left}px`;
    element.style.top = `${top}px`;
    menuItems(element)[0]?.focus();
  }, [anchor]);

  // A press anywhere else, a scroll or a resize closes it (it would float off its message).
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Element;
      if (menu.current?.contains(target)) return;
      // The button that opened it toggles it itself.
      if (target.closest?.(`[aria-controls="${CSS.escape(id)}"]`)) return;
      latestOnClose.current(false);
    };
    const onScroll = (event: Event) => {
      if (!menu.current?.contains(event.target as Node)) latestOnClose.current(false);
    };
    const onResize = () => latestOnClose.current(false);
    document.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('scroll', onScroll, true);
    window.addEventListener('resize', onResize);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onResize);
    };
  }, [id]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const element = menu.current;
    if (!element) return;
    const all = menuItems(element);
    const index = all.indexOf(document.activeElement as HTMLElement);
    const moveTo = (next: number) => all[(next + all.length) % all.length]?.focus();
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(index + 1),
      ArrowRight: () => moveTo(index + 1),
      ArrowUp: () => moveTo(index - 1),
      ArrowLeft: () => moveTo(index - 1),
      Home: () => moveTo(0),
      End: () => moveTo(all.length - 1),
      Escape: () => onClose(true),
      Tab: () => onClose(true),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  }

  /** Closes first, so that a dialog the item opens returns the focus to the message. */
  function choose(select: () => void) {
    onClose(true);
    select();
  }

  return (
    <div
      ref={menu}
      id={id}
      role="menu"
      aria-label={label}
      className={styles.menu}
      onKeyDown={onKeyDown}
      data-testid={testId}
    >
      {reactions && (
        <div role="group" aria-label="React" className={styles.reactions}>
          {QUICK_REACTIONS.map((emoji) => {
            const isCurrent = reactions.current === emoji;
            return (
              <button
                key={emoji}
                type="button"
                role="menuitemcheckbox"
                aria-checked={isCurrent}
                aria-label={`React with ${emoji}`}
                tabIndex={-1}
                className={isCurrent ? styles.currentReaction : styles.reaction}
                onClick={() => choose(() => reactions.onReact(isCurrent ? null : emoji))}
              >
                {emoji}
              </button>
            );
          })}
        </div>
      )}
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.isDanger ? styles.dangerItem : styles.item}
          onClick={() => choose(item.onSelect)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

function menuItems(menu: HTMLElement): HTMLElement[] {
  return [...menu.querySelectorAll<HTMLElement>('[role="menuitem"], [role="menuitemcheckbox"]')];
}
