// Operator settings: their names, defaults and bounds. The admin page edits them; the server
// enforces them. Stored values that fail this schema fall back to the defaults.

import { z } from 'zod';
import { DEFAULT_GROUP_SIZE, GROUP_SIZE_MAX, MESSAGE_MAX_CODE_POINTS } from './limits';

/**
 * The general limits, in the order the admin page lists them, with its labels and hints. Their
 * bounds are the ones SettingsSchema enforces.
 */
export const LIMIT_SETTINGS = {
  maxGroupSize: {
    label: 'Maximum group size',
    hint: 'Members per group, admins included',
    default: DEFAULT_GROUP_SIZE,
    min: 2,
    max: GROUP_SIZE_MAX,
  },
  maxMessageLength: {
    label: 'Maximum message length',
    hint: 'Characters per message',
    default: MESSAGE_MAX_CODE_POINTS,
    /** At most the hard ceiling, which protocol/limits.ts explains. */
    min: 1,
    max: MESSAGE_MAX_CODE_POINTS,
  },
  editWindowMinutes: {
    label: 'Edit window',
    hint: 'Minutes after sending in which people may edit their message (0: never)',
    default: 15,
    min: 0,
    max: 10_080,
  },
  deleteWindowHours: {
    label: 'Delete-for-everyone window',
    hint: 'Hours after sending in which people may delete their message for everyone (0: never; group admins may always)',
    default: 48,
    min: 0,
    max: 8_760,
  },
} as const;

/**
 * The rate limits (see docs/api.md, "Rate limits"): how many of something per user or per
 * network address, each over a fixed window named in the setting. The admin page lists them in
 * this order, with these labels and hints.
 */
export const RATE_LIMIT_SETTINGS = {
  messagesPerSecond: {
    label: 'Messages per second',
    hint: 'Each person, sustained, over all their devices.',
    default: 10,
    min: 1,
    max: 10_000,
  },
  messageBurst: {
    label: 'Message burst',
    hint: 'Extra messages a person may send above that rate within a minute, for bursts.',
    default: 30,
    min: 0,
    max: 100_000,
  },
  typingPerMinute: {
    label: 'Typing updates per minute',
    hint: 'Each person; further “is typing” updates are refused.',
    default: 60,
    min: 1,
    max: 100_000,
  },
  conversationsPerHour: {
    label: 'Chats started per hour',
    hint: 'Each person: direct chats started or reopened by username.',
    default: 60,
    min: 1,
    max: 100_000,
  },
  groupsPerHour: {
    label: 'Groups created per hour',
    hint: 'Each person.',
    default: 20,
    min: 1,
    max: 100_000,
  },
  searchesPerMinute: {
    label: 'Searches per minute',
    hint: 'Each person: searches of messages and of people together.',
    default: 60,
    min: 1,
    max: 100_000,
  },
  signUpsPerIpPerHour: {
    label: 'Sign-ups per address per hour',
    hint: 'Each network address (IPv6: each /64).',
    default: 20,
    min: 1,
    max: 1_000_000,
  },
  signInFailuresPerIpPerHour: {
    label: 'Failed sign-ins per address per hour',
    hint: 'Each network address; then sign-in from it waits for the hour to end.',
    default: 50,
    min: 1,
    max: 1_000_000,
  },
  signInFailuresBeforeDelay: {
    label: 'Failed sign-ins before delays',
    hint: 'In a row, to one account from one address; then each failure makes the wait longer (1 s, doubling, at most 15 min).',
    default: 5,
    min: 1,
    max: 1_000,
  },
  workPointsPerSecond: {
    label: 'Work points per second',
    hint: 'Each person, sustained: every request costs points by the work it causes (docs/api.md, "Rate limits").',
    default: 250,
    min: 1,
    max: 1_000_000,
  },
  workBurst: {
    label: 'Work points in a burst',
    hint: 'Each person, on top of the sustained rate: what starting the app on a new device may spend at once.',
    default: 5_000,
    min: 1,
    max: 100_000_000,
  },
  socketsPerUser: {
    label: 'Connections per person',
    hint: 'Open at once (tabs and devices), on each server node.',
    default: 20,
    min: 1,
    max: 100_000,
  },
  socketsPerIp: {
    label: 'Connections per address',
    hint: 'Open at once from one network address, on each server node.',
    default: 200,
    min: 1,
    max: 1_000_000,
  },
} as const;

export type RateLimitSetting = keyof typeof RATE_LIMIT_SETTINGS;

/** A whole number within bounds, with errors that name the setting by its label. */
function boundedInt({ label, min, max }: { label: string; min: number; max: number }) {
  return z
    .int({ error: `${label} must be a whole number.` })
    .min(min, { error: `${label} must be at least ${min}.` })
    .max(max, { error: `${label} can be at most ${max}.` });
}

const rateLimitFields = Object.fromEntries(
  Object.entries(RATE_LIMIT_SETTINGS).map(([key, field]) => [key, boundedInt(field)]),
) as { [K in RateLimitSetting]: ReturnType<typeof boundedInt> };

export const SettingsSchema = z.strictObject({
  /** Longest message, in code points. */
  maxMessageLength: boundedInt(LIMIT_SETTINGS.maxMessageLength),
  /** Most members a group may have, its admins included. */
  maxGroupSize: boundedInt(LIMIT_SETTINGS.maxGroupSize),
  /** Minutes after sending in which a sender may edit. */
  editWindowMinutes: boundedInt(LIMIT_SETTINGS.editWindowMinutes),
  /** Hours after sending in which a sender may delete for everyone. */
  deleteWindowHours: boundedInt(LIMIT_SETTINGS.deleteWindowHours),
  ...rateLimitFields,
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  maxMessageLength: LIMIT_SETTINGS.maxMessageLength.default,
  maxGroupSize: LIMIT_SETTINGS.maxGroupSize.default,
  editWindowMinutes: LIMIT_SETTINGS.editWindowMinutes.default,
  deleteWindowHours: LIMIT_SETTINGS.deleteWindowHours.default,
  ...(Object.fromEntries(
    Object.entries(RATE_LIMIT_SETTINGS).map(([key, field]) => [key, field.default]),
  ) as Record<RateLimitSetting, number>),
};

/** The settings an admin sends: any subset, each validated. */
export const SettingsUpdate = SettingsSchema.partial();
