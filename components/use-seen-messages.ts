'use client';
// Which messages of the list have been on screen: only those may be marked read.

import { useEffect, useLayoutEffect, useRef } from 'react';

/** A message counts as seen when half of it, or half of the view, has been in view. */
const SEEN_FRACTION = 0.5;

/**
 * Watches every element with a `data-seq` inside the scroller and calls `onSeen` with the
 * newest seq that came into view. The list is virtual: rows come and go as it scrolls, so
 * elements are watched as they are added to the scroller and let go as they leave it.
 */
export function useSeenMessages(scroller: HTMLElement | null, onSeen: (seq: number) => void): void {
  const latestOnSeen = useRef(onSeen);
  useLayoutEffect(() => {
    latestOnSeen.current = onSeen;
  });

  useEffect(() => {
    if (!scroller) return;
    const watching = new IntersectionObserver(
      (entries) => {
        let newest = 0;
        for (const entry of entries) {
          if (!isSeen(entry)) continue;
          newest = Math.max(newest, Number((entry.target as HTMLElement).dataset.seq));
        }
        if (newest > 0) latestOnSeen.current(newest);
      },
      { root: scroller, threshold: [0, 0.25, SEEN_FRACTION, 0.75, 1] },
    );
    const rows = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes)
          forEachWatched(node, (element) => watching.observe(element));
        for (const node of record.removedNodes) {
          forEachWatched(node, (element) => watching.unobserve(element));
        }
      }
    });
    forEachWatched(scroller, (element) => watching.observe(element));
    rows.observe(scroller, { childList: true, subtree: true });
    return () => {
      rows.disconnect();
      watching.disconnect();
    };
  }, [scroller]);
}

/** The node itself, if it has a seq, and every element under it that has one. */
function forEachWatched(node: Node, act: (element: Element) => void): void {
  if (!(node instanceof Element)) return;
  if (node.hasAttribute('data-seq')) act(node);
  for (const element of node.querySelectorAll('[data-seq]')) act(element);
}

function isSeen(entry: IntersectionObserverEntry): boolean {
  if (!entry.isIntersecting) return false;
  const viewHeight = entry.rootBounds?.height ?? 0;
  return (
    entry.intersectionRatio >= SEEN_FRACTION ||
    entry.intersectionRect.height >= viewHeight * SEEN_FRACTION
  );
}
