'use client';
// Plays the new-message chime while the tab is hidden: a subscriber to the chat state beside
// the client, which knows nothing of it (see hooks/new-message-sound.ts for the rules).

import { useEffect } from 'react';
import type { ChatClient } from './chat-client';
import {
  hasNewIncomingMessage,
  MessageChime,
  rateLimited,
  readSoundEnabled,
  SOUND_MIN_INTERVAL_MS,
} from './new-message-sound';

const GESTURES = ['pointerdown', 'keydown'] as const;

export function useNewMessageSound(client: ChatClient): void {
  useEffect(() => {
    const chime = new MessageChime();
    const play = rateLimited(SOUND_MIN_INTERVAL_MS, () => chime.play());
    // Each click or key may (re)start the audio context, as autoplay rules ask.
    const unlock = () => {
      if (readSoundEnabled()) chime.unlock();
    };
    for (const gesture of GESTURES) window.addEventListener(gesture, unlock, true);
    const unsubscribe = client.store.subscribe((state, previous) => {
      if (state.conversations === previous.conversations) return;
      if (document.visibilityState !== 'hidden') return;
      if (!hasNewIncomingMessage(previous, state, state.me.id)) return;
      if (readSoundEnabled()) play(Date.now());
    });
    return () => {
      unsubscribe();
      for (const gesture of GESTURES) window.removeEventListener(gesture, unlock, true);
      chime.close();
    };
  }, [client]);
}
