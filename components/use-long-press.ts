'use client';
// The ways into an element's own context menu besides the keyboard: a long press on a touch
// screen (as in WhatsApp) and a right-click. Hand-written rather than a library's (such as
// use-long-press): the part that needs care is the browser's own long-press behaviour (the
// contextmenu event, text selection, the click on release), which those leave to the caller.

import { useCallback, useEffect, useRef, type MouseEvent, type PointerEvent } from 'react';

/** A press this long on a touch screen opens the menu, as on phones. */
export const LONG_PRESS_MS = 500;
/** A finger that moves further than this is scrolling or swiping, not pressing. */
export const LONG_PRESS_SLOP_PX = 10;

/** Where a right-click was; null for a long press, whose menu belongs beside the element. */
export type MenuPoint = { x: number; y: number } | null;

export interface LongPressHandlers {
  onPointerDown: (event: PointerEvent<HTMLElement>) => void;
  onPointerMove: (event: PointerEvent<HTMLElement>) => void;
  onPointerUp: () => void;
  onPointerCancel: () => void;
  onContextMenu: (event: MouseEvent<HTMLElement>) => void;
  onClickCapture: (event: MouseEvent<HTMLElement>) => void;
}

/**
 * Handlers to spread on the element. `onOpen` runs once per long press or right-click, never
 * while `isEnabled` is false (then the browser's own menu shows). A press ends without opening
 * when the finger moves, the page scrolls (the browser then also cancels the pointer) or the
 * finger lifts first.
 */
export function useLongPress(
  onOpen: (point: MenuPoint) => void,
  isEnabled: boolean,
): LongPressHandlers {
  const press = useRef<{ timer: ReturnType<typeof setTimeout>; x: number; y: number } | null>(null);
  /** The current touch has opened the menu: its contextmenu event and click are spent. */
  const hasOpened = useRef(false);
  const latestOnOpen = useRef(onOpen);
  useEffect(() => {
    latestOnOpen.current = onOpen;
  });

  // Stable, so that the scroll listener it adds is the one it removes.
  const endPress = useCallback(function endPress() {
    if (!press.current) return;
    clearTimeout(press.current.timer);
    press.current = null;
    document.removeEventListener('scroll', endPress, true);
  }, []);

  const openByPress = useCallback(() => {
    endPress();
    hasOpened.current = true;
    latestOnOpen.current(null);
  }, [endPress]);

  // A press still running when the element goes away opens nothing.
  useEffect(() => endPress, [endPress]);

  return {
    onPointerDown(event) {
      endPress();
      hasOpened.current = false;
      if (event.pointerType !== 'touch' || !isEnabled || !event.isPrimary) return;
      press.current = {
        timer: setTimeout(openByPress, LONG_PRESS_MS),
        x: event.clientX,
        y: event.clientY,
      };
      document.addEventListener('scroll', endPress, true);
    },
    onPointerMove(event) {
      const start = press.current;
      if (!start) return;
      if (Math.hypot(event.clientX - start.x, event.clientY - start.y) > LONG_PRESS_SLOP_PX)
        endPress();
    },
    onPointerUp: endPress,
    onPointerCancel: endPress,
    onContextMenu(event) {
      if (!isEnabled) return;
      // Ours replaces the browser's menu (and, on Android, the text selection of a long press).
      event.preventDefault();
      // Android raises contextmenu for a long press too, at about the time our timer ends:
      // whichever comes first opens the menu, once.
      const isTouch =
        press.current !== null ||
        hasOpened.current ||
        (event.nativeEvent as Partial<globalThis.PointerEvent>).pointerType === 'touch';
      if (!isTouch) latestOnOpen.current({ x: event.clientX, y: event.clientY });
      else if (!hasOpened.current) openByPress();
    },
    onClickCapture(event) {
      // Lifting the finger after the menu opened is not a tap on a link or quote inside.
      if (!hasOpened.current) return;
      hasOpened.current = false;
      event.preventDefault();
      event.stopPropagation();
    },
  };
}
