// "Download my data": the account, its settings and every conversation with the messages the
// user sent in it, as a JSON file; never anyone else's messages, never a deleted text; only
// for the signed-in user, a few times an hour.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/client';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { pair, send, setupSuite } from '../helpers/suite';

const suite = setupSuite({ settings: GENEROUS_LIMITS });

async function download(cookie: string) {
  const response = await fetch(`${suite.server.url}/api/account/export`, { headers: { cookie } });
  return {
    status: response.status,
    disposition: response.headers.get('content-disposition'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('downloading one’s data', () => {
  it('gives the account and the messages one sent, per conversation, as a file', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await call(alice.socket, 'profile:update', { displayName: 'Alice A.', about: 'Hi' });
    await send(alice, conversationId, 'first from alice');
    await send(bob, conversationId, 'from bob, not in alice’s file');
    const secret = await send(alice, conversationId, 'to be deleted');
    const deleted = await call(alice.socket, 'message:delete', {
      conversationId,
      seq: secret.seq,
      for: 'everyone',
    });
    expect(deleted.ok).toBe(true);
    const group = await call(alice.socket, 'group:create', {
      title: 'Hikers',
      usernames: [bob.user.username],
      clientRequestId: randomUUID(),
    });
    if (!group.ok) throw new Error(group.message);
    await send(alice, group.conversation.id, 'trail at 9');

    const file = await download(alice.cookie);
    expect(file.status).toBe(200);
    expect(file.disposition).toMatch(
      new RegExp(
        `^attachment; filename="parley-${alice.user.username}-\\d{4}-\\d{2}-\\d{2}\\.json"$`,
      ),
    );
    expect(file.body).toMatchObject({
      ok: true,
      account: {
        id: alice.user.id,
        username: alice.user.username,
        displayName: 'Alice A.',
        about: 'Hi',
        privacy: { presence: 'contacts', readReceipts: true, findableByName: true },
      },
    });
    const conversations = file.body.conversations as {
      id: string;
      kind: string;
      title: string;
      membership: string;
      messagesSent: { seq: number; text: string; deletedAt: string | null }[];
    }[];
    const direct = conversations.find((item) => item.id === conversationId);
    expect(direct).toMatchObject({
      kind: 'direct',
      title: bob.user.username,
      membership: 'member',
    });
    expect(direct!.messagesSent.map((message) => message.text)).toEqual(['first from alice', '']);
    expect(direct!.messagesSent[1]!.deletedAt).not.toBeNull();
    const hikers = conversations.find((item) => item.id === group.conversation.id);
    expect(hikers).toMatchObject({ kind: 'group', title: 'Hikers' });
    expect(hikers!.messagesSent.map((message) => message.text)).toEqual(['trail at 9']);
    expect(JSON.stringify(file.body)).not.toContain('from bob');
  });

  it('needs a session, and is limited to three downloads an hour', async () => {
    const { alice } = await pair(suite);
    expect((await download('')).status).toBe(401);
    for (let time = 0; time < 3; time++) expect((await download(alice.cookie)).status).toBe(200);
    const fourth = await download(alice.cookie);
    expect(fourth.status).toBe(429);
    expect(fourth.body).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^You have downloaded your data several times this hour/),
    });
  });
});
