// Profiles and finding people: a display name (any script) and an "about" line, shown wherever
// the person appears and pushed live to the people they chat with; people search by username
// or name, with the privacy setting that limits it to the exact username; and a clear error
// for every bad name.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../protocol';
import { call, connect, nextEvent } from '../helpers/client';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { openTab, pair, person, send, setupSuite, type Person } from '../helpers/suite';

const suite = setupSuite({ settings: GENEROUS_LIMITS });

function ok<T extends { ok: boolean }>(ack: T): Extract<T, { ok: true }> {
  if (!ack.ok) throw new Error(`refused: ${JSON.stringify(ack)}`);
  return ack as Extract<T, { ok: true }>;
}

async function rename(who: Person, change: { displayName?: string; about?: string }) {
  return ok(await call(who.socket, 'profile:update', change)).profile;
}

async function findPeople(who: Person, query: string): Promise<Profile[]> {
  return ok(await call(who.socket, 'people:search', { query })).people;
}

describe('profiles', () => {
  it('a new name reaches the people one chats with live, and every list and message after', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const stranger = await person(suite, 'stranger');
    await send(alice, conversationId, 'hello');
    const aliceTablet = await openTab(suite, alice);
    const group = ok(
      await call(alice.socket, 'group:create', {
        title: 'Club',
        usernames: [bob.user.username],
        clientRequestId: randomUUID(),
      }),
    ).conversation.id;
    await send(alice, group, 'in the group');

    let strangerHeard = false;
    stranger.socket.on('user:updated', () => (strangerHeard = true));
    const bobHears = nextEvent(bob.socket, 'user:updated');
    const tabletHears = nextEvent(aliceTablet.socket, 'user:updated');
    const profile = await rename(alice, { displayName: '  Алиса 🌸 ', about: 'Tea, always.' });
    const expected = {
      id: alice.user.id,
      username: alice.user.username,
      displayName: 'Алиса 🌸',
      about: 'Tea, always.',
    };
    expect(profile).toEqual(expected);
    expect(await bobHears).toEqual(expected);
    expect(await tabletHears).toEqual(expected);

    const list = ok(await call(bob.socket, 'conversation:list', {})).conversations;
    const direct = list.find((item) => item.id === conversationId);
    expect(direct).toMatchObject({
      title: 'Алиса 🌸',
      peer: { id: alice.user.id, username: alice.user.username, displayName: 'Алиса 🌸' },
    });
    const members = ok(await call(bob.socket, 'group:members', { conversationId: group })).members;
    expect(members.find((member) => member.id === alice.user.id)).toMatchObject({
      displayName: 'Алиса 🌸',
    });
    const history = ok(
      await call(bob.socket, 'message:history', { conversationId: group }),
    ).messages;
    expect(history.at(-1)).toMatchObject({
      senderUsername: alice.user.username,
      senderDisplayName: 'Алиса 🌸',
    });
    // New messages carry it too, and a new connection starts with it.
    const pushed = nextEvent(bob.socket, 'message:created');
    await send(alice, conversationId, 'renamed');
    expect(await pushed).toMatchObject({ senderDisplayName: 'Алиса 🌸' });
    const again = await connect(suite.server.url, alice);
    suite.sockets.push(again.socket);
    expect(again.ready.profile).toEqual(expected);
    expect(again.ready.user).toMatchObject({ displayName: 'Алиса 🌸' });

    // people:get answers for contacts only.
    const people = ok(
      await call(bob.socket, 'people:get', { userIds: [alice.user.id, stranger.user.id] }),
    ).people;
    expect(people).toEqual([expected]);

    // An empty name takes it away: the username shows again.
    expect(await rename(alice, { displayName: '' })).toMatchObject({ displayName: '' });
    const after = ok(await call(bob.socket, 'conversation:list', {})).conversations;
    expect(after.find((item) => item.id === conversationId)).toMatchObject({
      title: alice.user.username,
      peer: { id: alice.user.id, username: alice.user.username },
    });
    expect(strangerHeard).toBe(false);
  });

  it('refuses bad names and lines with a clear error, changing nothing', async () => {
    const { alice } = await pair(suite);
    await rename(alice, { displayName: 'Alice', about: 'Hi' });
    const cases: [Record<string, unknown>, string][] = [
      [{ displayName: 'x'.repeat(65) }, 'A name is at most 64 characters.'],
      [{ displayName: '😀'.repeat(65) }, 'A name is at most 64 characters.'],
      [{ displayName: 'Al\nice' }, 'A name cannot contain control characters or line breaks.'],
      [{ displayName: 'Al\u0000ice' }, 'A name cannot contain control characters or line breaks.'],
      [{ displayName: '\u200b\u200b' }, 'A name cannot contain invisible characters.'],
      [{ displayName: 'Bob\u202e' }, 'A name cannot contain invisible characters.'],
      [{ displayName: '\u3164\u3164' }, 'A name needs at least one visible character.'],
      [
        { displayName: 'Аlice Smith' },
        'A word of a name cannot mix Latin letters with Cyrillic or Greek ones: they look alike.',
      ],
      [
        { displayName: 'ab\ud800' },
        'A name cannot contain broken characters (an unpaired UTF-16 surrogate).',
      ],
      [{ displayName: 42 }, 'A name must be text.'],
      [{ about: 'x'.repeat(141) }, '“About” is at most 140 characters.'],
      [{}, 'Give displayName, about or both.'],
      [{ displayName: 'Alice', role: 'admin' }, 'Unrecognized key: "role"'],
    ];
    for (const [payload, message] of cases) {
      const ack = await call(alice.socket, 'profile:update', payload as { displayName: string });
      expect(ack, JSON.stringify(payload)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      expect(ack.ok === false && ack.message, JSON.stringify(payload)).toContain(message);
    }
    // A family emoji is joined with zero-width joiners: that one is allowed.
    expect(await rename(alice, { displayName: 'Alice 👩‍👩‍👧' })).toMatchObject({
      displayName: 'Alice 👩‍👩‍👧',
      about: 'Hi',
    });
  });
});

describe('finding people', () => {
  it('finds people by the start of their username or of a word of their name, never oneself', async () => {
    const seeker = await person(suite, 'seeker');
    const maria = await person(suite, 'mariaz');
    const hidden = await person(suite, 'hidden');
    await rename(maria, { displayName: 'Мария Zeta', about: 'Painter' });
    await rename(hidden, { displayName: 'Мария Hidden' });
    ok(await call(hidden.socket, 'privacy:update', { findableByName: false }));

    const byName = await findPeople(seeker, 'мар');
    expect(byName).toEqual([
      {
        id: maria.user.id,
        username: maria.user.username,
        displayName: 'Мария Zeta',
        about: 'Painter',
      },
    ]);
    expect((await findPeople(seeker, 'zet мари')).map((found) => found.id)).toEqual([
      maria.user.id,
    ]);
    expect(
      (await findPeople(seeker, maria.user.username.slice(0, 7))).map((found) => found.id),
    ).toContain(maria.user.id);
    // Someone not findable by name shows for their exact username only.
    expect(
      (await findPeople(seeker, hidden.user.username.slice(0, 8))).map((found) => found.id),
    ).not.toContain(hidden.user.id);
    expect(
      (await findPeople(seeker, hidden.user.username.toUpperCase())).map((found) => found.id),
    ).toEqual([hidden.user.id]);
    // Never oneself, and nothing for what matches nobody.
    expect((await findPeople(seeker, seeker.user.username)).map((found) => found.id)).toEqual([]);
    expect(await findPeople(seeker, 'nobody by this name')).toEqual([]);
    // LIKE's characters are only text.
    expect(await findPeople(seeker, 'se%')).toEqual([]);
  });

  it('refuses searches that are too short or malformed', async () => {
    const seeker = await person(suite, 'seeker');
    for (const [query, message] of [
      ['a', 'Type at least 2 letters or digits to search.'],
      ['%%', 'Type at least 2 letters or digits to search.'],
      ['x'.repeat(201), 'Search for at most 200 characters.'],
    ] as const) {
      const ack = await call(seeker.socket, 'people:search', { query });
      expect(ack).toMatchObject({ ok: false, code: 'BAD_REQUEST', message });
    }
  });
});
