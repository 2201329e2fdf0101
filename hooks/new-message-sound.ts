// The sound of a new message while Parley's tab is hidden (as WhatsApp Web's): when to play it,
// this browser's setting, and the chime itself, made by the Web Audio API (no audio file).
// hooks/use-new-message-sound.ts wires them to the chat state.

import type { ConversationSummary } from '../protocol';

export const SOUND_STORAGE_KEY = 'parley:message-sound';

/** A burst of messages (several chats, a catch-up after reconnecting) chimes once. */
export const SOUND_MIN_INTERVAL_MS = 2_000;

/** On unless turned off in this browser, as WhatsApp's. */
export function readSoundEnabled(): boolean {
  try {
    return localStorage.getItem(SOUND_STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

const SOUND_CHANGE_EVENT = 'parley:message-sound-change';

export function saveSoundEnabled(isEnabled: boolean): void {
  try {
    if (isEnabled) localStorage.removeItem(SOUND_STORAGE_KEY);
    else localStorage.setItem(SOUND_STORAGE_KEY, 'off');
  } catch {
    // Not kept: the sound stays as it was.
  }
  window.dispatchEvent(new Event(SOUND_CHANGE_EVENT));
}

/** Calls `listener` when the setting changes, in this tab or another. */
export function subscribeSoundEnabled(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === SOUND_STORAGE_KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  window.addEventListener(SOUND_CHANGE_EVENT, listener);
  return () => {
    window.removeEventListener('storage', onStorage);
    window.removeEventListener(SOUND_CHANGE_EVENT, listener);
  };
}

/**
 * Whether `next` shows a message that deserves a sound and `previous` did not: an unread text
 * from someone else, newer than what the list held, in a conversation that is not muted. A
 * conversation new to the list counts only if the list had been loaded before: a list restored
 * from the device or loaded from the server at start is nothing new.
 */
export function hasNewIncomingMessage(
  previous: { conversations: ConversationSummary[]; isListLoaded: boolean },
  next: { conversations: ConversationSummary[] },
  meId: string,
): boolean {
  if (next.conversations === previous.conversations) return false;
  const before = new Map(previous.conversations.map((item) => [item.id, item]));
  return next.conversations.some((item) => {
    const last = item.lastMessage;
    if (!last || last.senderId === meId || last.kind !== 'text' || last.isDeleted) return false;
    if (item.isMuted || item.membership !== 'member' || last.seq <= item.readSeq) return false;
    const held = before.get(item.id);
    return held ? last.seq > held.lastSeq : previous.isListLoaded;
  });
}

/** Plays `play` at most once per `intervalMs`: the rest of a burst is silent. */
export function rateLimited(intervalMs: number, play: () => void): (now: number) => boolean {
  let lastAt = -Infinity;
  return (now) => {
    if (now - lastAt < intervalMs) return false;
    lastAt = now;
    play();
    return true;
  };
}

/** Two notes, a fifth apart, each a quick swell and fade: about a third of a second. */
const NOTES = [
  { frequency: 880, startsAt: 0 },
  { frequency: 1318.5, startsAt: 0.12 },
];
const NOTE_SECONDS = 0.22;
const PEAK_GAIN = 0.18;

/**
 * The chime's audio context. Browsers let a page make sound only after a person used it, so
 * the context is made or resumed by `unlock`, called on their clicks and keys; until then, and
 * whenever the browser refuses, `play` is silent.
 */
export class MessageChime {
  private context: AudioContext | null = null;

  unlock(): void {
    if (typeof AudioContext === 'undefined') return;
    try {
      this.context ??= new AudioContext();
      if (this.context.state === 'suspended') void this.context.resume().catch(() => undefined);
    } catch {
      this.context = null; // Too many contexts, or none allowed: no sound.
    }
  }

  play(): void {
    const context = this.context;
    if (!context || context.state === 'closed') return;
    try {
      // Scheduled at once: a context the browser suspended meanwhile plays it when resumed.
      if (context.state === 'suspended') void context.resume().catch(() => undefined);
      const start = context.currentTime + 0.01;
      for (const note of NOTES) {
        const at = start + note.startsAt;
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = 'sine';
        oscillator.frequency.value = note.frequency;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(PEAK_GAIN, at + 0.015);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + NOTE_SECONDS);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(at);
        oscillator.stop(at + NOTE_SECONDS + 0.02);
      }
    } catch {
      // A sound is a nicety: never an error.
    }
  }

  close(): void {
    void this.context?.close().catch(() => undefined);
    this.context = null;
  }
}
