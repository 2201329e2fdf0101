// Reads and validates the environment once. Nothing else in the server reads process.env.

import { hostname } from 'node:os';
import { z } from 'zod';

const emptyAsUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
  /**
   * Connections the kernel holds for the node until it accepts them (the kernel caps it at
   * net.core.somaxconn). Node's own default, 511, overflows when thousands reconnect at once
   * and the node is busy for a moment: the dropped connection attempts are tried again only
   * after the client's TCP backs off (1 s, 3 s, 7 s ...).
   */
  LISTEN_BACKLOG: z.coerce.number().int().min(1).max(65_535).default(4096),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: 'must start with postgres:// or postgresql://' })
      .optional(),
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /** false behind PgBouncer in transaction mode, which cannot keep prepared statements. */
  DATABASE_PREPARED_STATEMENTS: z.enum(['true', 'false']).default('true'),
  /** redis://host:6379: share fan-out, presence, settings changes and counters between nodes. */
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, { error: 'must start with redis:// or rediss://' })
      .optional(),
  ),
  /** A name for this node in logs and metrics; host name and process id by default. */
  NODE_ID: optionalString,
  /** On SIGTERM, how long in-flight requests may take before sockets are closed anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Comma-separated origins allowed to open sockets and post forms, e.g. https://chat.example.com */
  ALLOWED_ORIGINS: optionalString,
  /**
   * Reverse proxies in front of the node (nginx: 1) whose X-Forwarded-For entries are trusted for
   * the client's address, which the per-address rate limits count by. 0: the connection's own.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** auto: Secure cookies when the request came over HTTPS (directly or via X-Forwarded-Proto). */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** How long a deleted account's username stays unavailable to others (no one poses as them). */
  DELETED_USERNAME_GRACE_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** A session unused for this long ends, even before SESSION_TTL_DAYS. */
  SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** How often each node re-checks the sessions of its sockets (ended ones are disconnected). */
  SESSION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** A connection that has not signed in (Socket.IO CONNECT) this long after it opened is closed. */
  SOCKET_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** How long after a user's last connection closes before they show as offline. */
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /** Web Push keys (base64url); generated on first start and kept in the database when unset. */
  VAPID_PUBLIC_KEY: optionalString,
  VAPID_PRIVATE_KEY: optionalString,
  /** Who runs this server, for push services: mailto: or https: URL. */
  VAPID_SUBJECT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(mailto:|https:\/\/)/, { error: 'must start with mailto: or https://' })
      .default('mailto:admin@parley.invalid'),
  ),
  /** Push services browsers may register endpoints at: origins, `*.` for subdomains, comma-separated. */
  PUSH_ENDPOINTS: optionalString,
  /** Test-only fault injection; see server/failpoints.ts. Never set in production. */
  PARLEY_FAILPOINT: z.preprocess(
    emptyAsUndefined,
    z.enum(['crash-after-commit', 'http-error']).optional(),
  ),
});

/** The push services of the major browsers, as origins; `*.` matches any subdomain. */
const DEFAULT_PUSH_ENDPOINTS = [
  'https://fcm.googleapis.com',
  'https://updates.push.services.mozilla.com',
  'https://*.push.services.mozilla.com',
  'https://web.push.apple.com',
  'https://*.push.apple.com',
  'https://*.notify.windows.com',
];

export interface Config {
  isDev: boolean;
  port: number;
  host: string;
  listenBacklog: number;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  databasePreparedStatements: boolean;
  redisUrl: string | undefined;
  nodeId: string;
  shutdownTimeoutMs: number;
  /** Exact origins allowed; null means "the origin the request was addressed to". */
  allowedOrigins: string[] | null;
  /** Proxy hops whose X-Forwarded-For entries name the client (see client-address.ts). */
  trustProxy: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  cookieSecure: 'auto' | boolean;
  sessionTtlMs: number;
  /** A deleted account's username is free for others this long after the deletion. */
  deletedUsernameGraceMs: number;
  /** A session not used for this long is refused, whatever its absolute expiry. */
  sessionIdleMs: number;
  sessionCheckIntervalMs: number;
  presenceGraceMs: number;
  socketConnectTimeoutMs: number;
  vapid: { publicKey: string; privateKey: string } | null;
  vapidSubject: string;
  /** Origins a push subscription endpoint must be at (`https://*.example.com` matches subdomains). */
  pushEndpoints: string[];
  failpoint: 'crash-after-commit' | 'http-error' | undefined;
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const values = parsed.data;
  const allowedOrigins = values.ALLOWED_ORIGINS
    ? values.ALLOWED_ORIGINS.split(',').map((origin) => origin.trim().replace(/\/$/, ''))
    : null;
  for (const origin of allowedOrigins ?? []) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      throw new ConfigError([
        `ALLOWED_ORIGINS: "${origin}" is not an origin like https://chat.example.com`,
      ]);
    }
  }
  return {
    isDev: values.NODE_ENV === 'development',
    port: values.PORT,
    host: values.HOST,
    listenBacklog: values.LISTEN_BACKLOG,
    dataDir: values.DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE,
    databasePreparedStatements: values.DATABASE_PREPARED_STATEMENTS === 'true',
    redisUrl: values.REDIS_URL,
    nodeId: values.NODE_ID ?? `${hostname()}-${process.pid}`,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    allowedOrigins,
    trustProxy: values.TRUST_PROXY,
    logLevel: values.LOG_LEVEL,
    cookieSecure: values.COOKIE_SECURE === 'auto' ? 'auto' : values.COOKIE_SECURE === 'true',
    sessionTtlMs: values.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000,
    deletedUsernameGraceMs: values.DELETED_USERNAME_GRACE_DAYS * 24 * 60 * 60 * 1000,
    sessionIdleMs: values.SESSION_IDLE_DAYS * 24 * 60 * 60 * 1000,
    sessionCheckIntervalMs: values.SESSION_CHECK_INTERVAL_MS,
    presenceGraceMs: values.PRESENCE_GRACE_MS,
    socketConnectTimeoutMs: values.SOCKET_CONNECT_TIMEOUT_MS,
    vapid:
      values.VAPID_PUBLIC_KEY && values.VAPID_PRIVATE_KEY
        ? { publicKey: values.VAPID_PUBLIC_KEY, privateKey: values.VAPID_PRIVATE_KEY }
        : null,
    vapidSubject: values.VAPID_SUBJECT,
    pushEndpoints: values.PUSH_ENDPOINTS
      ? values.PUSH_ENDPOINTS.split(',')
          .map((prefix) => prefix.trim())
          .filter(Boolean)
      : DEFAULT_PUSH_ENDPOINTS,
    failpoint: values.PARLEY_FAILPOINT,
  };
}
