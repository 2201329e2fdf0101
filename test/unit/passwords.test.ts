// What a server stores for a password: argon2id at OWASP's cost, whatever the tests that build
// servers in-process choose for speed (createParley's hashCost).

import { describe, expect, it } from 'vitest';
import { createPasswords, LOWEST_HASH_COST } from '../../server/auth/passwords';

describe('passwords', () => {
  it('are hashed with argon2id at OWASP’s cost (19 MiB, 2 passes, 1 lane) unless told', async () => {
    const passwords = createPasswords();
    const hash = await passwords.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await passwords.verify(hash, 'correct horse battery')).toBe(true);
    expect(await passwords.verify(hash, 'correct horse battery!')).toBe(false);
  });

  it('verify a hash of any cost, and a malformed one as wrong', async () => {
    const cheap = createPasswords(LOWEST_HASH_COST);
    const hash = await cheap.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=8,p=1,t=1\$/);
    expect(await createPasswords().verify(hash, 'correct horse battery')).toBe(true);
    expect(await cheap.verify('not a hash', 'correct horse battery')).toBe(false);
  });
});
