'use client';
// Which messages of the list have been on screen: only those may be marked read.

import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/** A message counts as seen when half of it, or half of the view, has been in view. */
const SEEN_FRACTION = 0.5;

/**
 * Watches every element with a `data-seq` inside the scroller and calls `onSeen` with the
 * newest seq that came into view. Elements added later are watched after the render that
 * added them.
 */
export function useSeenMessages(
  scroller: RefObject<HTMLElement | null>,
  onSeen: (seq: number) => void,
): void {
  const observer = useRef<IntersectionObserver | null>(null);
  const latestOnSeen = useRef(onSeen);
  useLayoutEffect(() => {
    latestOnSeen.current = onSeen;
  });

  useEffect(() => {
    const root = scroller.current;
    if (!root) return;
    const watching = new IntersectionObserver(
      (entries) => {
        let newest = 0;
        for (const entry of entries) {
          if (!isSeen(entry)) continue;
          newest = Math.max(newest, Number((entry.target as HTMLElement).dataset.seq));
        }
        if (newest > 0) latestOnSeen.current(newest);
      },
      { root, threshold: [0, 0.25, SEEN_FRACTION, 0.75, 1] },
    );
    observer.current = watching;
    observeAll(root, watching);
    return () => {
      watching.disconnect();
      observer.current = null;
    };
  }, [scroller]);

  // After every render: the messages it added (observing one twice does nothing).
  useLayoutEffect(() => {
    const root = scroller.current;
    if (root && observer.current) observeAll(root, observer.current);
  });
}

function observeAll(root: HTMLElement, observer: IntersectionObserver): void {
  for (const element of root.querySelectorAll('[data-seq]')) observer.observe(element);
}

function isSeen(entry: IntersectionObserverEntry): boolean {
  if (!entry.isIntersecting) return false;
  const viewHeight = entry.rootBounds?.height ?? 0;
  return (
    entry.intersectionRatio >= SEEN_FRACTION ||
    entry.intersectionRect.height >= viewHeight * SEEN_FRACTION
  );
}
