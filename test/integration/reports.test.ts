// Reports: people report a person or a message they may see, with an optional note; every bad
// input gets a clear refusal, and a message they may not see the same one as no message at all;
// the same open report twice records one; the admins list reports with each reported message
// in its context, no further back than the reporter could read, and resolve them.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setUserRole } from '../../db';
import type { AdminReport, ClientEventPayload } from '../../protocol';
import { call, callRaw, signUp, type Account } from '../helpers/client';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { pair, person, send, setupSuite, type Person } from '../helpers/suite';

const suite = setupSuite({ settings: GENEROUS_LIMITS });

function report(who: Person, payload: ClientEventPayload<'report:create'>) {
  return call(who.socket, 'report:create', payload);
}

/** An admin, made the way `npm run admin -- grant` makes one: the role in the database. */
async function admin(): Promise<Account> {
  const account = await signUp(suite.server.url, 'mod');
  await setUserRole(suite.server.database.db, account.user.username, 'admin');
  return account;
}

async function post(path: string, body: unknown, account?: Account, origin?: string) {
  const response = await fetch(`${suite.server.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(account ? { cookie: account.cookie } : {}),
      ...(origin ? { origin } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Every open report (all pages), newest first. */
async function openReports(account: Account): Promise<AdminReport[]> {
  const reports: AdminReport[] = [];
  let beforeId: string | undefined;
  for (;;) {
    const page = await post(
      '/api/admin/reports/list',
      { status: 'open', limit: 50, ...(beforeId ? { beforeId } : {}) },
      account,
    );
    expect(page.status).toBe(200);
    const found = page.json.reports as AdminReport[];
    reports.push(...found);
    if (!page.json.hasMore) return reports;
    beforeId = found.at(-1)!.id;
  }
}

function personOf(who: Person) {
  return { id: who.user.id, username: who.user.username, displayName: '' };
}

function createGroup(owner: Person, title: string, members: Person[]) {
  return call(owner.socket, 'group:create', {
    title,
    usernames: members.map((member) => member.user.username),
    clientRequestId: randomUUID(),
  });
}

describe('reporting', () => {
  it('records a person and a message, and the admins see the message in its context', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const sent = [];
    for (let i = 1; i <= 12; i++) {
      sent.push(await send(i % 2 ? bob : alice, conversationId, `message ${i}`));
    }
    const reported = sent[8]!; // "message 9", bob's
    const byMessage = await report(alice, {
      conversationId,
      seq: reported.seq,
      note: '  Spam links again.\nPlease look.  ',
    });
    expect(byMessage).toEqual({ ok: true, reportId: expect.any(String), duplicate: false });
    const byPerson = await report(alice, { userId: bob.user.id });
    expect(byPerson).toMatchObject({ ok: true, duplicate: false });
    if (!byMessage.ok || !byPerson.ok) throw new Error('not reported');

    const moderator = await admin();
    const mine = (await openReports(moderator)).filter(
      (item) => item.reporter?.id === alice.user.id,
    );
    // Newest first: the person, then the message.
    expect(mine.map((item) => item.id)).toEqual([byPerson.reportId, byMessage.reportId]);
    expect(mine[0]).toMatchObject({
      note: '',
      reporter: personOf(alice),
      reportedUser: personOf(bob),
      message: null,
      resolvedAt: null,
      resolvedBy: null,
    });
    const [first, second] = [alice.user.username, bob.user.username].sort();
    expect(mine[1]).toMatchObject({
      note: 'Spam links again.\nPlease look.',
      reportedUser: personOf(bob),
      message: {
        conversation: { id: conversationId, kind: 'direct', title: `${first} and ${second}` },
        seq: reported.seq,
      },
    });
    // Five on each side, with who wrote them.
    const context = mine[1]!.message!.context;
    expect(context.map((message) => message.seq)).toEqual(
      sent.slice(3).map((message) => message.seq),
    );
    expect(context.map((message) => message.body)).toEqual(
      [4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) => `message ${i}`),
    );
    expect(context[0]).toMatchObject({
      kind: 'text',
      sender: personOf(alice),
      isDeleted: false,
      editedAt: null,
    });
    expect(context[5]).toMatchObject({ seq: reported.seq, sender: personOf(bob) });
  });

  it('refuses yourself, your own message, system and deleted messages, with reasons', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const own = await send(alice, conversationId, 'mine');
    const gone = await send(bob, conversationId, 'regretted');
    const deleted = await call(bob.socket, 'message:delete', {
      conversationId,
      seq: gone.seq,
      for: 'everyone',
    });
    expect(deleted).toMatchObject({ ok: true });
    const group = await createGroup(alice, 'Notices', [bob]);
    if (!group.ok) throw new Error(group.message);

    expect(await report(alice, { userId: alice.user.id })).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'You cannot report yourself.',
      field: 'userId',
    });
    expect(await report(alice, { conversationId, seq: own.seq })).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'You cannot report your own message.',
    });
    expect(await report(alice, { conversationId, seq: gone.seq })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^This message was deleted/),
    });
    // Seq 1 of a new group records its creation.
    expect(await report(bob, { conversationId: group.conversation.id, seq: 1 })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^Only messages people wrote can be reported/),
    });
  });

  it('answers a message the reporter may not see exactly like one that does not exist', async () => {
    const { alice } = await pair(suite);
    const strangers = await pair(suite);
    const secret = await send(strangers.bob, strangers.conversationId, 'not for alice');
    const noSuchMessage = { ok: false, code: 'NOT_FOUND', message: 'No such message.' };
    expect(
      await report(alice, { conversationId: strangers.conversationId, seq: secret.seq }),
    ).toEqual(noSuchMessage);
    expect(await report(alice, { conversationId: randomUUID(), seq: 1 })).toEqual(noSuchMessage);
    const own = await pair(suite);
    expect(await report(own.alice, { conversationId: own.conversationId, seq: 999 })).toEqual(
      noSuchMessage,
    );
    expect(await report(alice, { userId: randomUUID() })).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'No such user.',
    });
  });

  it('in a group: nothing from before the reporter joined or after they left', async () => {
    const owner = await person(suite, 'owner');
    const carol = await person(suite, 'carol');
    const dana = await person(suite, 'dana');
    const group = await createGroup(owner, 'Book club', [carol]);
    if (!group.ok) throw new Error(group.message);
    const groupId = group.conversation.id;
    const early = await send(carol, groupId, 'before dana came');
    const added = await call(owner.socket, 'group:add-members', {
      conversationId: groupId,
      usernames: [dana.user.username],
    });
    expect(added).toMatchObject({ ok: true });
    const seen = await send(carol, groupId, 'dana can read this');
    expect(await report(dana, { conversationId: groupId, seq: early.seq })).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'No such message.',
    });
    const reported = await report(dana, { conversationId: groupId, seq: seen.seq });
    expect(reported).toMatchObject({ ok: true, duplicate: false });
    if (!reported.ok) throw new Error(reported.message);

    expect(await call(dana.socket, 'group:leave', { conversationId: groupId })).toMatchObject({
      ok: true,
    });
    const later = await send(carol, groupId, 'after dana left');
    expect(await report(dana, { conversationId: groupId, seq: later.seq })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    // A former member may still report what they could read.
    expect(await report(dana, { conversationId: groupId, seq: seen.seq })).toMatchObject({
      ok: true,
      duplicate: true,
    });

    // The admins see no further back than dana could, nor past her going.
    const moderator = await admin();
    const found = (await openReports(moderator)).find((item) => item.id === reported.reportId);
    expect(found?.message?.conversation).toEqual({
      id: groupId,
      kind: 'group',
      title: 'Book club',
    });
    const bodies = found!.message!.context.map((message) => message.body);
    expect(bodies).toContain('dana can read this');
    expect(bodies).not.toContain('before dana came');
    expect(bodies).not.toContain('after dana left');
    expect(found!.message!.context.find((message) => message.kind === 'system')).toBeDefined();
  });

  it('refuses malformed requests and notes with a clear error', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const message = await send(bob, conversationId, 'hello');
    const cases: [unknown, string, string | undefined][] = [
      [{}, 'Report a person with userId, or a message with conversationId and seq.', undefined],
      [{ userId: 'bob' }, 'Must be a UUID.', 'userId'],
      [
        { userId: bob.user.id, conversationId, seq: message.seq },
        'Report a person with userId, or a message with conversationId and seq.',
        undefined,
      ],
      [
        { conversationId },
        'Report a person with userId, or a message with conversationId and seq.',
        undefined,
      ],
      [{ conversationId, seq: 0 }, 'Must be a whole number from 1 to 2147483647.', 'seq'],
      [{ userId: bob.user.id, reason: 'spam' }, 'Unrecognized key: "reason"', undefined],
      [{ userId: bob.user.id, note: 42 }, 'A note must be text.', 'note'],
      [{ userId: bob.user.id, note: 'x'.repeat(501) }, 'A note is at most 500 characters.', 'note'],
      [
        { userId: bob.user.id, note: 'bell\u0007' },
        'A note cannot contain control characters.',
        'note',
      ],
      [
        { userId: bob.user.id, note: 'nul\u0000' },
        'A note cannot contain control characters.',
        'note',
      ],
      [
        { userId: bob.user.id, note: 'broken \ud800' },
        'A note cannot contain broken characters (an unpaired UTF-16 surrogate).',
        'note',
      ],
    ];
    for (const [payload, text, field] of cases) {
      expect(
        await callRaw(alice.socket, 'report:create', payload),
        JSON.stringify(payload),
      ).toEqual({
        ok: false,
        code: 'BAD_REQUEST',
        message: text,
        ...(field ? { field } : {}),
      });
    }
    // 500 characters, emoji counted as one each, surrounding spaces trimmed: fine.
    expect(
      await report(alice, { userId: bob.user.id, note: ` ${'😡'.repeat(500)} ` }),
    ).toMatchObject({ ok: true, duplicate: false });
  });

  it('records the same open report once, and again once it was resolved', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const message = await send(bob, conversationId, 'again and again');
    const first = await report(alice, { conversationId, seq: message.seq, note: 'first' });
    const second = await report(alice, { conversationId, seq: message.seq, note: 'second' });
    if (!first.ok || !second.ok) throw new Error('not reported');
    expect(second).toEqual({ ok: true, reportId: first.reportId, duplicate: true });
    // Another reporter of the same message is another report.
    const other = await person(suite, 'erin');
    const group = await createGroup(bob, 'Shared', [alice, other]);
    if (!group.ok) throw new Error(group.message);
    const inGroup = await send(bob, group.conversation.id, 'in the group');
    const fromAlice = await report(alice, {
      conversationId: group.conversation.id,
      seq: inGroup.seq,
    });
    const fromErin = await report(other, {
      conversationId: group.conversation.id,
      seq: inGroup.seq,
    });
    if (!fromAlice.ok || !fromErin.ok) throw new Error('not reported');
    expect(fromErin.reportId).not.toBe(fromAlice.reportId);

    const moderator = await admin();
    const mine = (await openReports(moderator)).filter(
      (item) => item.reporter?.id === alice.user.id && item.message?.seq === message.seq,
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]!.note).toBe('first');

    const resolved = await post(
      '/api/admin/reports/resolve',
      { reportId: first.reportId },
      moderator,
    );
    expect(resolved.status).toBe(200);
    const again = await report(alice, { conversationId, seq: message.seq });
    expect(again).toMatchObject({ ok: true, duplicate: false });
    if (!again.ok) throw new Error(again.message);
    expect(again.reportId).not.toBe(first.reportId);
  });

  it('limits each person to 20 reports an hour, refused ones included', async () => {
    const { alice, bob } = await pair(suite);
    for (let i = 0; i < 20; i++) {
      expect(await report(alice, { userId: bob.user.id })).toMatchObject({ ok: true });
    }
    const refused = await report(alice, { userId: bob.user.id });
    expect(refused).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
      message: expect.stringMatching(
        /^You have sent many reports this hour\. Try again in \d+ minutes?\.$/,
      ),
      retryAfterMs: expect.any(Number),
    });
    // Bob's own limit is his.
    expect(await report(bob, { userId: alice.user.id })).toMatchObject({ ok: true });
  });
});

describe('the admins’ reports API', () => {
  it('needs a session and the admin role, and a request from the app', async () => {
    const { alice } = await pair(suite);
    expect(await post('/api/admin/reports/list', { status: 'open' })).toMatchObject({
      status: 401,
      json: { code: 'UNAUTHENTICATED' },
    });
    const refusal = {
      status: 403,
      json: { ok: false, code: 'FORBIDDEN', message: 'Only admins can see or resolve reports.' },
    };
    expect(await post('/api/admin/reports/list', { status: 'open' }, alice)).toEqual(refusal);
    expect(await post('/api/admin/reports/resolve', { reportId: randomUUID() }, alice)).toEqual(
      refusal,
    );
    const moderator = await admin();
    expect(
      await post('/api/admin/reports/list', { status: 'open' }, moderator, 'https://evil.example'),
    ).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(await post('/api/admin/reports/list', { status: 'all' }, moderator)).toEqual({
      status: 400,
      json: {
        ok: false,
        code: 'BAD_REQUEST',
        message: 'status must be "open" or "resolved".',
        field: 'status',
      },
    });
    expect(await post('/api/admin/reports/resolve', { reportId: randomUUID() }, moderator)).toEqual(
      { status: 404, json: { ok: false, code: 'NOT_FOUND', message: 'No such report.' } },
    );
  });

  it('resolves a report once, pages, and moves it from the open list to the resolved one', async () => {
    const { alice, bob } = await pair(suite);
    const one = await report(alice, { userId: bob.user.id, note: 'one' });
    const two = await report(bob, { userId: alice.user.id, note: 'two' });
    if (!one.ok || !two.ok) throw new Error('not reported');
    const moderator = await admin();
    const other = await admin();

    const firstPage = await post(
      '/api/admin/reports/list',
      { status: 'open', limit: 1 },
      moderator,
    );
    expect(firstPage.json).toMatchObject({ ok: true, hasMore: true });
    const [newest] = firstPage.json.reports as AdminReport[];
    expect(newest!.id).toBe(two.reportId);
    const openBefore = firstPage.json.openCount as number;
    const nextPage = await post(
      '/api/admin/reports/list',
      { status: 'open', limit: 1, beforeId: newest!.id },
      moderator,
    );
    expect((nextPage.json.reports as AdminReport[])[0]!.id).toBe(one.reportId);

    const resolved = await post(
      '/api/admin/reports/resolve',
      { reportId: one.reportId },
      moderator,
    );
    expect(resolved.status).toBe(200);
    const done = resolved.json.report as AdminReport;
    expect(done).toMatchObject({
      id: one.reportId,
      note: 'one',
      resolvedAt: expect.any(String),
      resolvedBy: { id: moderator.user.id, username: moderator.user.username },
    });
    // A second admin resolving it too changes nothing.
    const twice = await post('/api/admin/reports/resolve', { reportId: one.reportId }, other);
    expect(twice).toEqual(resolved);

    expect((await openReports(moderator)).map((item) => item.id)).not.toContain(one.reportId);
    const resolvedList = await post('/api/admin/reports/list', { status: 'resolved' }, moderator);
    expect(resolvedList.json.openCount).toBe(openBefore - 1);
    expect((resolvedList.json.reports as AdminReport[]).map((item) => item.id)).toContain(
      one.reportId,
    );
  });
});
