// Operator settings: their names, defaults and bounds. The admin page edits them; the server
// enforces them. Stored values that fail this schema fall back to the defaults.

import { z } from 'zod';
import { DEFAULT_GROUP_SIZE, GROUP_SIZE_MAX, MESSAGE_MAX_CODE_POINTS } from './limits';

export const SettingsSchema = z.strictObject({
  /** Longest message, in code points; at most the hard ceiling of 100,000. */
  maxMessageLength: z
    .int({ error: 'Maximum message length must be a whole number.' })
    .min(1, { error: 'Maximum message length must be at least 1.' })
    .max(MESSAGE_MAX_CODE_POINTS, {
      error: `Maximum message length can be at most ${MESSAGE_MAX_CODE_POINTS}.`,
    }),
  /** Most members a group may have, its admins included. */
  maxGroupSize: z
    .int({ error: 'Maximum group size must be a whole number.' })
    .min(2, { error: 'Maximum group size must be at least 2.' })
    .max(GROUP_SIZE_MAX, { error: `Maximum group size can be at most ${GROUP_SIZE_MAX}.` }),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  maxMessageLength: MESSAGE_MAX_CODE_POINTS,
  maxGroupSize: DEFAULT_GROUP_SIZE,
};

/** The settings an admin sends: any subset, each validated. */
export const SettingsUpdate = SettingsSchema.partial();
