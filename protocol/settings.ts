// Operator settings: their names, defaults and bounds. The admin page edits them; the server
// enforces them. Stored values that fail this schema fall back to the defaults.

import { z } from 'zod';
import { MESSAGE_MAX_CODE_POINTS } from './limits';

export const SettingsSchema = z.strictObject({
  /** Longest message, in code points; at most the hard ceiling of 100,000. */
  maxMessageLength: z
    .int({ error: 'Maximum message length must be a whole number.' })
    .min(1, { error: 'Maximum message length must be at least 1.' })
    .max(MESSAGE_MAX_CODE_POINTS, {
      error: `Maximum message length can be at most ${MESSAGE_MAX_CODE_POINTS}.`,
    }),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  maxMessageLength: MESSAGE_MAX_CODE_POINTS,
};
