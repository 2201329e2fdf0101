// Who is typing where, as the server tells it: shown until "stopped" (which the server also says
// for a message the typist sent) or TYPING_EXPIRES_MS without news (a "stopped" lost on the way
// must not leave it on). Updates of one device carry a growing order: one older than an update
// already seen from that device was overtaken on the way (the "stopped" of a send after the
// next keystroke's "typing") and is ignored. A message arriving clears nothing: it may come
// after the "typing" of the next keystroke.

import { TYPING_EXPIRES_MS, type UserSummary } from '../../protocol';
import { applyTyping } from '../chat-state';
import { update, type ChatStore } from './store';

/** Where an update comes from: the typist's connection and its place among its updates. */
export interface TypingStamp {
  device: string;
  order: number;
}

export class TypingIndicators {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The newest order seen per conversation, typist and device. */
  private readonly newest = new Map<string, number>();

  constructor(private readonly store: ChatStore) {}

  /** An update from the server (with its stamp), or a stop this client decided (without). */
  set(conversationId: string, user: UserSummary, isTyping: boolean, stamp?: TypingStamp): void {
    const key = `${conversationId}:${user.id}`;
    if (stamp) {
      const deviceKey = `${key}:${stamp.device}`;
      if ((this.newest.get(deviceKey) ?? 0) >= stamp.order) return;
      this.newest.set(deviceKey, stamp.order);
    }
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const until = isTyping ? Date.now() + TYPING_EXPIRES_MS : null;
    update(this.store, (state) => {
      const typing = applyTyping(state.typing, conversationId, user, until);
      return typing === state.typing ? state : { ...state, typing };
    });
    if (isTyping) {
      this.timers.set(
        key,
        setTimeout(() => this.set(conversationId, user, false), TYPING_EXPIRES_MS),
      );
    }
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
