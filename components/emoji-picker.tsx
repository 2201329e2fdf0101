'use client';
// The composer's emoji button and its popover: a searchable picker (frimousse), whose data
// (emojibase) comes from Parley's own origin (scripts/copy-emoji-data.mjs), as the CSP wants.
// Closes on a choice, Escape or a click elsewhere.

import { EmojiPicker as Picker, type EmojiPickerListComponents } from 'frimousse';
import { Smile } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import styles from './emoji-picker.module.css';

/** Where public/emojibase/en/data.json is served: frimousse adds `/${locale}/data.json`. */
const EMOJIBASE_URL = '/emojibase';
const COLUMNS = 8;

/**
 * The search field's `form` names no form: Enter there picks the highlighted emoji, and must
 * not submit the composer's form around it (which would send the message).
 */
const NO_FORM = 'emoji-search-has-no-form';

/** frimousse counts rows and columns from 0, ARIA from 1. */
const fromOne = (index: number | string | undefined) =>
  index === undefined ? undefined : Number(index) + 1;

const listComponents: Partial<EmojiPickerListComponents> = {
  CategoryHeader: ({ category, ...props }) => (
    <div className={styles.categoryHeader} {...props}>
      {category.label}
    </div>
  ),
  Row: ({ children, 'aria-rowindex': row, ...props }) => (
    <div className={styles.row} {...props} aria-rowindex={fromOne(row)}>
      {children}
    </div>
  ),
  Emoji: ({ emoji, 'aria-colindex': column, ...props }) => (
    <button
      type="button"
      role="gridcell"
      className={styles.emoji}
      {...props}
      aria-colindex={fromOne(column)}
    >
      {emoji.emoji}
    </button>
  ),
};

export function EmojiButton({
  onPick,
  onClose,
}: {
  /** An emoji was chosen (the popover has closed). */
  onPick: (emoji: string) => void;
  /** Closed by Escape: the keyboard goes back to where the person was typing. */
  onClose: () => void;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const popoverId = useId();

  // A press anywhere else closes it (the button toggles it itself).
  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [isOpen]);

  return (
    <div className={styles.anchor} ref={root}>
      <button
        type="button"
        className={styles.trigger}
        aria-label="Emoji"
        title="Emoji"
        aria-haspopup="dialog"
        aria-expanded={isOpen}
        aria-controls={isOpen ? popoverId : undefined}
        onClick={() => setIsOpen((open) => !open)}
      >
        <Smile aria-hidden="true" size={24} />
      </button>
      {isOpen && (
        <div
          id={popoverId}
          role="dialog"
          aria-label="Emoji picker"
          className={styles.popover}
          data-testid="emoji-picker"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.preventDefault();
            event.stopPropagation();
            setIsOpen(false);
            onClose();
          }}
        >
          <Picker.Root
            className={styles.picker}
            emojibaseUrl={EMOJIBASE_URL}
            columns={COLUMNS}
            onEmojiSelect={({ emoji }) => {
              setIsOpen(false);
              onPick(emoji);
            }}
          >
            <Picker.Search
              className={styles.search}
              form={NO_FORM}
              placeholder="Search emoji"
              aria-label="Search emoji"
              // Not on touch screens, where the on-screen keyboard would hide the emoji.
              autoFocus={window.matchMedia('(pointer: fine)').matches}
            />
            {/* Focusable: the keyboard scrolls it, and moves through the emoji with arrows. */}
            <Picker.Viewport className={styles.viewport} tabIndex={0}>
              <Picker.Loading className={styles.status}>Loading…</Picker.Loading>
              <Picker.Empty className={styles.status}>No emoji found.</Picker.Empty>
              <Picker.List className={styles.list} components={listComponents} aria-label="Emoji" />
            </Picker.Viewport>
          </Picker.Root>
        </div>
      )}
    </div>
  );
}
