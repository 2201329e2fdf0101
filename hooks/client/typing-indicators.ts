// Who is typing where, as the server tells it: shown until "stopped", a message from them, or
// TYPING_EXPIRES_MS without news (a "stopped" lost on the way must not leave it on).

import { TYPING_EXPIRES_MS, type UserSummary } from '../../protocol';
import { applyTyping } from '../chat-state';
import { update, type ChatStore } from './store';

export class TypingIndicators {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly store: ChatStore) {}

  set(conversationId: string, user: UserSummary, isTyping: boolean): void {
    const key = `${conversationId}:${user.id}`;
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
