'use client';
// A header's "More options" button (⋮) and its menu: the actions that do not need a button
// of their own on a small screen, as in WhatsApp's headers. The menu is the message menu's
// (keyboard, focus and placement included), opened under the button.

import { EllipsisVertical } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import { MessageMenu, type MenuAnchor, type MenuItem } from './message-menu';
import controls from './controls.module.css';

export function HeaderMenu({ label, items }: { label: string; items: MenuItem[] }) {
  const [anchor, setAnchor] = useState<MenuAnchor | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  if (items.length === 0) return null;
  return (
    <>
      <button
        ref={button}
        type="button"
        className={controls.iconButton}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={anchor !== null}
        aria-controls={anchor ? id : undefined}
        onClick={(event) => {
          if (anchor) return setAnchor(null);
          const box = event.currentTarget.getBoundingClientRect();
          setAnchor({
            left: box.left,
            right: box.right,
            top: box.top,
            bottom: box.bottom,
            alignEnd: true,
          });
        }}
        data-testid="header-menu-button"
      >
        <EllipsisVertical aria-hidden="true" size={20} />
      </button>
      {anchor && (
        <MessageMenu
          id={id}
          anchor={anchor}
          reactions={null}
          items={items}
          onClose={(returnFocus) => {
            setAnchor(null);
            if (returnFocus) button.current?.focus();
          }}
          label={label}
          testId="header-menu"
        />
      )}
    </>
  );
}
