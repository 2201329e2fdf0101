'use client';
// Swiping right from the left edge of a conversation on a phone goes back to the list, as on
// iOS and in WhatsApp: the view follows the finger, then slides away or, for a short swipe,
// snaps back. Touch events rather than pointer events: only a non-passive touchmove can keep
// the browser from scrolling once the swipe is ours, without touch-action on every descendant.

import { useCallback, useLayoutEffect, useRef } from 'react';

/** Only a touch that starts this close to the left edge swipes back; the rest scroll and press. */
export const SWIPE_EDGE_PX = 28;
/** How far the finger moves before the direction is decided (as for a long press). */
const DECIDE_PX = 10;
/** Let go beyond this share of the width, the view goes back; short of it, it snaps back. */
const COMPLETE_FRACTION = 0.35;
/** A flick goes back from a shorter distance. */
const FLICK_PX_PER_MS = 0.5;
const FLICK_MIN_PX = 40;
/** The slide away or back; the module's CSS has the same duration for `[data-swipe-back]`. */
const SETTLE_MS = 200;
/** The phone layout (one pane at a time), as in the modules' media queries. */
const PHONE_QUERY = '(max-width: 767px)';

interface Swipe {
  id: number;
  startX: number;
  startY: number;
  dx: number;
  isDragging: boolean;
  at: number;
  /** Of the last move, in px per ms (positive: to the right). */
  velocity: number;
}

/**
 * A callback ref for the view that slides. While a swipe is under way the view has
 * `data-swipe-back` ("dragging", then "settling"), which its styles use for the shadow and the
 * slide, and the shell to show the list beneath. `onBack` runs when a swipe ends far enough.
 */
export function useSwipeBack(onBack: () => void): (view: HTMLElement | null) => () => void {
  const latestOnBack = useRef(onBack);
  useLayoutEffect(() => {
    latestOnBack.current = onBack;
  });

  return useCallback((node: HTMLElement | null) => {
    if (!node) return () => undefined;
    const view = node;
    let swipe: Swipe | null = null;
    let settleTimer: ReturnType<typeof setTimeout> | undefined;

    const touchIn = (touches: TouchList, id: number) =>
      [...touches].find((touch) => touch.identifier === id);

    function reset() {
      clearTimeout(settleTimer);
      delete view.dataset.swipeBack;
      view.style.transform = '';
    }

    function settle(isBack: boolean) {
      const finish = () => {
        // Going back unmounts the view; left in place meanwhile, it does not flash back.
        if (isBack) latestOnBack.current();
        else reset();
      };
      if (matchMedia('(prefers-reduced-motion: reduce)').matches) return finish();
      view.dataset.swipeBack = 'settling';
      view.style.transform = isBack ? 'translateX(100%)' : '';
      // A timer rather than transitionend, which never comes when nothing had moved.
      settleTimer = setTimeout(finish, SETTLE_MS);
    }

    function onTouchStart(event: TouchEvent) {
      const touch = event.touches[0];
      if (swipe || event.touches.length !== 1 || !touch) return;
      if (!matchMedia(PHONE_QUERY).matches) return;
      if (touch.clientX - view.getBoundingClientRect().left > SWIPE_EDGE_PX) return;
      reset();
      swipe = {
        id: touch.identifier,
        startX: touch.clientX,
        startY: touch.clientY,
        dx: 0,
        isDragging: false,
        at: event.timeStamp,
        velocity: 0,
      };
    }

    function onTouchMove(event: TouchEvent) {
      const touch = swipe && touchIn(event.touches, swipe.id);
      if (!swipe || !touch) return;
      const dx = touch.clientX - swipe.startX;
      const dy = touch.clientY - swipe.startY;
      if (!swipe.isDragging) {
        if (Math.hypot(dx, dy) < DECIDE_PX) return;
        // Mostly to the right: a swipe back. Anything else is the page's (a scroll).
        if (dx <= Math.abs(dy)) {
          swipe = null;
          return;
        }
        swipe.isDragging = true;
        view.dataset.swipeBack = 'dragging';
      }
      if (event.cancelable) event.preventDefault();
      const elapsed = event.timeStamp - swipe.at;
      if (elapsed > 0) swipe.velocity = (dx - swipe.dx) / elapsed;
      swipe.at = event.timeStamp;
      swipe.dx = dx;
      view.style.transform = `translateX(${Math.max(0, dx)}px)`;
    }

    function onTouchEnd(event: TouchEvent) {
      if (!swipe || !touchIn(event.changedTouches, swipe.id)) return;
      const { isDragging, dx, velocity } = swipe;
      swipe = null;
      if (!isDragging) return;
      const isFar = dx > view.offsetWidth * COMPLETE_FRACTION;
      const isFlick = velocity > FLICK_PX_PER_MS && dx > FLICK_MIN_PX;
      settle(isFar || isFlick);
    }

    function onTouchCancel(event: TouchEvent) {
      if (!swipe || !touchIn(event.changedTouches, swipe.id)) return;
      const { isDragging } = swipe;
      swipe = null;
      if (isDragging) settle(false);
    }

    view.addEventListener('touchstart', onTouchStart, { passive: true });
    view.addEventListener('touchmove', onTouchMove, { passive: false });
    view.addEventListener('touchend', onTouchEnd);
    view.addEventListener('touchcancel', onTouchCancel);
    return () => {
      clearTimeout(settleTimer);
      view.removeEventListener('touchstart', onTouchStart);
      view.removeEventListener('touchmove', onTouchMove);
      view.removeEventListener('touchend', onTouchEnd);
      view.removeEventListener('touchcancel', onTouchCancel);
    };
  }, []);
}
