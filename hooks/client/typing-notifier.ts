// When to tell the server "I am typing" and "I stopped": at most once per throttle interval
// while keys keep coming, and "stopped" after a pause or when the draft is cleared. A send needs
// no "stopped": the server says it for the message, in order.

import { TYPING_THROTTLE_MS } from '../../protocol';

/** A pause this long ends "typing". */
export const TYPING_IDLE_MS = 4_000;

type Timer = ReturnType<typeof setTimeout>;

export class TypingNotifier {
  private readonly lastStart = new Map<string, number>();
  private readonly idle = new Map<string, Timer>();

  constructor(
    private readonly send: (conversationId: string, isTyping: boolean) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A keystroke in the composer of a conversation. */
  keystroke(conversationId: string): void {
    const last = this.lastStart.get(conversationId);
    if (last === undefined || this.now() - last >= TYPING_THROTTLE_MS) {
      this.lastStart.set(conversationId, this.now());
      this.send(conversationId, true);
    }
    clearTimeout(this.idle.get(conversationId));
    this.idle.set(
      conversationId,
      setTimeout(() => this.stop(conversationId), TYPING_IDLE_MS),
    );
  }

  /** Cleared, paused or left: "stopped", once, if "typing" was said. */
  stop(conversationId: string): void {
    if (this.forget(conversationId)) this.send(conversationId, false);
  }

  /**
   * A message was sent: the server ends "typing" with it, so nothing is said; the next
   * keystroke says "typing" again at once.
   */
  sent(conversationId: string): void {
    this.forget(conversationId);
  }

  /** Drops the pause's timer and the last "typing"; whether "typing" had been said. */
  private forget(conversationId: string): boolean {
    clearTimeout(this.idle.get(conversationId));
    this.idle.delete(conversationId);
    return this.lastStart.delete(conversationId);
  }

  stopAll(): void {
    for (const conversationId of [...this.lastStart.keys()]) this.stop(conversationId);
  }
}
