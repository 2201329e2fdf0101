// Password hashing with argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane).

import argon2 from 'argon2';

const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // A malformed stored hash must read as a failed sign-in, not a crash.
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, for sign-ins of unknown users, so that response
 * time does not tell which usernames exist.
 */
export async function burnVerificationTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('parley-timing-equaliser');
  await verifyPassword(await dummyHash, password);
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
