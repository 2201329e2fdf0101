'use client';
// Settings' "Sound for new messages": on or off for this browser (hooks/new-message-sound.ts).

import { useSyncExternalStore } from 'react';
import {
  readSoundEnabled,
  saveSoundEnabled,
  subscribeSoundEnabled,
} from '../hooks/new-message-sound';
import controls from './controls.module.css';
import styles from './sound-setting.module.css';

export function SoundSetting() {
  // null on the server, which cannot know this browser's setting.
  const isEnabled = useSyncExternalStore(subscribeSoundEnabled, readSoundEnabled, () => null);

  return (
    <button
      type="button"
      role="switch"
      className={`${controls.quietButton} ${styles.switch}`}
      aria-checked={isEnabled ?? true}
      disabled={isEnabled === null}
      onClick={() => saveSoundEnabled(!isEnabled)}
    >
      Sound for new messages
      <span className={styles.track} aria-hidden="true" />
    </button>
  );
}
