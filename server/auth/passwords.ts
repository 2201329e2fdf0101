// Password hashing with argon2id. A hash records its own cost, so verifying reads it from there.

import argon2 from 'argon2';

/** argon2id's memory (KiB) and passes. */
export interface HashCost {
  memoryCost: number;
  timeCost: number;
}

/** OWASP's recommended cost (19 MiB, 2 passes, 1 lane): what every server uses. */
export const PASSWORD_HASH_COST: HashCost = { memoryCost: 19_456, timeCost: 2 };

/**
 * argon2id's lowest cost, for the in-process test suites only (createParley's `hashCost`), whose
 * thousands of sign-ups would otherwise spend most of their time hashing. Never reachable from
 * the environment.
 */
export const LOWEST_HASH_COST: HashCost = { memoryCost: 8, timeCost: 1 };

export interface Passwords {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * Spends the same time as a real verification, for sign-ins of unknown users, so that
   * response time does not tell which usernames exist.
   */
  burnVerificationTime(password: string): Promise<void>;
}

export function createPasswords(cost: HashCost = PASSWORD_HASH_COST): Passwords {
  const hash = (password: string) =>
    argon2.hash(password, { type: argon2.argon2id, parallelism: 1, ...cost });
  const verify = async (stored: string, password: string) => {
    try {
      return await argon2.verify(stored, password);
    } catch {
      return false; // A malformed stored hash must read as a failed sign-in, not a crash.
    }
  };
  let dummyHash: Promise<string> | undefined;
  return {
    hash,
    verify,
    async burnVerificationTime(password) {
      dummyHash ??= hash('parley-timing-equaliser');
      await verify(await dummyHash, password);
    },
  };
}

/** A hash at the servers' cost, for accounts made outside a server (seeding, benchmarks). */
export function hashPassword(password: string): Promise<string> {
  return createPasswords().hash(password);
}

const COMMON_PASSWORDS = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '11111111',
  '00000000',
  '87654321',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  'iloveyou',
  'abcdefgh',
  'abc12345',
  'letmein1',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'superman',
  'trustno1',
  'welcome1',
  'whatever',
  'starwars',
  'dragon12',
  'monkey12',
  'changeme',
  'parley123',
]);

/** Why a new password is too weak, or null. Length limits are checked by the schema. */
export function describePasswordWeakness(username: string, password: string): string | null {
  const lowered = password.toLowerCase();
  if (lowered.includes(username.toLowerCase())) {
    return 'Password must not contain your username.';
  }
  if (COMMON_PASSWORDS.has(lowered)) {
    return 'That password is too common. Choose another.';
  }
  if (new Set(password).size < 4) {
    return 'Password is too repetitive. Use at least 4 different characters.';
  }
  return null;
}
