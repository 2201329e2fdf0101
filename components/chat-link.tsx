'use client';
// Moving between the list and a conversation changes only `?c=` of the one static page, so it
// needs nothing from the server: the history API (which Next.js's router follows, updating
// useSearchParams) instead of a router navigation, which fetches the page's data first and
// drops a click made while an earlier fetch is still on its way. Works offline as well.

import type { AnchorHTMLAttributes, MouseEvent } from 'react';

/**
 * The address of a conversation, or of the list when `conversationId` is null; `seq`: opened
 * at that message (`&m=`, a search result), which the conversation takes out of the address
 * once it has shown it.
 */
export function chatHref(conversationId: string | null, seq?: number): string {
  if (!conversationId) return '/chats';
  return seq === undefined ? `/chats?c=${conversationId}` : `/chats?c=${conversationId}&m=${seq}`;
}

/** Shows a conversation (or the list), as a new history entry; at message `seq` when given. */
export function showChat(conversationId: string | null, seq?: number): void {
  window.history.pushState(null, '', chatHref(conversationId, seq));
}

type ChatLinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  conversationId: string | null;
};

/** A link to a conversation (or to the list); a new tab or window still opens as a link does. */
export function ChatLink({ conversationId, onClick, ...props }: ChatLinkProps) {
  function open(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    const isPlainClick =
      event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
    if (event.defaultPrevented || !isPlainClick) return;
    event.preventDefault();
    showChat(conversationId);
  }
  return <a {...props} href={chatHref(conversationId)} onClick={open} />;
}
