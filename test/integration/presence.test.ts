// Online, last seen and typing, with several tabs per person.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findLastSeen, writeSettings } from '../../db';
import { appendGeneratedMessages, seedGroup, seedGroupMembers, seedUsers } from '../../db/seed';
import { PRESENCE_PUSH_GROUP_MAX, type Presence, type TypingUpdate } from '../../protocol';
import { call, connect, nextEvent, signUp, until, type TestSocket } from '../helpers/client';
import { createTestDatabase, withDatabase } from '../helpers/database';
import { SUITE_BASELINE } from '../helpers/rate-limits';
import { startServer } from '../helpers/server';
import { appClient, openTab, pair, person, send, setupSuite } from '../helpers/suite';

const GRACE_MS = 400;
/** The handlers of the events held here wait for their promise before they run. */
const held = new Map<string, Promise<void>>();
const suite = setupSuite({
  env: { PRESENCE_GRACE_MS: String(GRACE_MS) },
  failpoints: { beforeEvent: (event) => held.get(event) },
});

/** Holds the handlers of `event` until the returned function is called: to finish them late. */
function hold(event: string): () => void {
  let release = () => {};
  held.set(event, new Promise((resolve) => (release = resolve)));
  return () => {
    held.delete(event);
    release();
  };
}

/**
 * Alice and Bob, who have chatted: a direct conversation with a message in it. Returns once
 * each has been told the other's presence, which the first message brings.
 */
async function chatting() {
  const started = await pair(suite);
  const { alice, bob } = started;
  const introduced = Promise.all([
    nextEvent(alice.socket, 'presence:updated', (presence) => presence.userId === bob.user.id),
    nextEvent(bob.socket, 'presence:updated', (presence) => presence.userId === alice.user.id),
  ]);
  await send(alice, started.conversationId, 'hi');
  await introduced;
  return started;
}

describe('presence', () => {
  it('turns offline only when the last tab closes, after the grace period, with last seen', async () => {
    const { alice, bob } = await chatting();
    const bobTab2 = await openTab(suite, bob);
    const events: Presence[] = [];
    alice.socket.on('presence:updated', (presence) => {
      if (presence.userId === bob.user.id) events.push(presence);
    });

    expect(await call(alice.socket, 'presence:query', { userIds: [bob.user.id] })).toEqual({
      ok: true,
      presence: [{ userId: bob.user.id, isOnline: true, lastSeenAt: null }],
    });
    bob.socket.close();
    let closedLastAt = 0;
    const offline = nextEvent(alice.socket, 'presence:updated', (presence) => !presence.isOnline);
    // Still online through the other tab; the last one closes now.
    const query = await call(alice.socket, 'presence:query', { userIds: [bob.user.id] });
    expect(query.ok && query.presence[0]?.isOnline).toBe(true);
    closedLastAt = Date.now();
    bobTab2.socket.close();
    const gone = await offline;
    expect(Date.now() - closedLastAt).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(gone).toMatchObject({ userId: bob.user.id, isOnline: false });
    expect(new Date(gone.lastSeenAt!).getTime()).toBeGreaterThan(closedLastAt - 5_000);
    expect(events).toEqual([gone]);

    // Last seen is stored: a fresh query answers with it.
    const later = await call(alice.socket, 'presence:query', { userIds: [bob.user.id] });
    expect(later).toEqual({ ok: true, presence: [gone] });
  });

  it('lets a reload within the grace period pass unnoticed', async () => {
    const { alice, bob } = await chatting();
    const events: Presence[] = [];
    alice.socket.on('presence:updated', (presence) => {
      if (presence.userId === bob.user.id) events.push(presence);
    });
    bob.socket.close();
    const reloaded = await openTab(suite, bob); // back within the grace period
    let isClosed = false;
    const finalOffline = nextEvent(
      alice.socket,
      'presence:updated',
      (presence) => isClosed && !presence.isOnline,
    );
    isClosed = true;
    reloaded.socket.close();
    await finalOffline;
    // One event: the final departure. No offline-then-online flicker for the reload.
    expect(events.map((presence) => presence.isOnline)).toEqual([false]);
  });

  it('announces coming online to the people one chats with', async () => {
    const { alice, bob } = await chatting();
    bob.socket.close();
    await nextEvent(alice.socket, 'presence:updated', (presence) => !presence.isOnline);
    const online = nextEvent(alice.socket, 'presence:updated', (presence) => presence.isOnline);
    await openTab(suite, bob);
    expect(await online).toEqual({ userId: bob.user.id, isOnline: true, lastSeenAt: null });
  });

  it('is only shown to people who share a conversation', async () => {
    const { bob } = await chatting();
    const eve = await person(suite, 'eve');
    expect(await call(eve.socket, 'presence:query', { userIds: [bob.user.id] })).toEqual({
      ok: true,
      presence: [],
    });
  });

  it('is not shown to a stranger who started an empty conversation, until a message is in it', async () => {
    const { alice, bob } = await chatting();
    const eve = await person(suite, 'eve');
    const started = await call(eve.socket, 'conversation:start', { username: bob.user.username });
    if (!started.ok) throw new Error(started.message);
    const seenByEve: Presence[] = [];
    eve.socket.on('presence:updated', (presence) => seenByEve.push(presence));
    const query = () => call(eve.socket, 'presence:query', { userIds: [bob.user.id] });
    expect(await query()).toEqual({ ok: true, presence: [] });

    // Bob leaves and comes back: alice, who chats with him, is told both; eve neither, nor
    // his last seen when she asks.
    const offline = nextEvent(alice.socket, 'presence:updated', (presence) => !presence.isOnline);
    bob.socket.close();
    await offline;
    expect(await query()).toEqual({ ok: true, presence: [] });
    const online = nextEvent(alice.socket, 'presence:updated', (presence) => presence.isOnline);
    const bobAgain = await openTab(suite, bob);
    await online;
    // Eve's query is answered after anything sent to her with alice's event: nothing was.
    expect(await query()).toEqual({ ok: true, presence: [] });
    expect(seenByEve).toEqual([]);

    // The first message makes them contacts: each is told the other's presence at once.
    const bobForEve = nextEvent(eve.socket, 'presence:updated');
    const eveForBob = nextEvent(bobAgain.socket, 'presence:updated');
    await send(eve, started.conversation.id, 'hello bob');
    expect(await bobForEve).toEqual({ userId: bob.user.id, isOnline: true, lastSeenAt: null });
    expect(await eveForBob).toEqual({ userId: eve.user.id, isOnline: true, lastSeenAt: null });
    expect(await query()).toEqual({
      ok: true,
      presence: [{ userId: bob.user.id, isOnline: true, lastSeenAt: null }],
    });
  });

  it('is shown to the members of a group one shares, before anyone has written', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const created = await call(alice!.socket, 'group:create', {
      title: 'Quiet',
      usernames: [bob!.user.username],
      clientRequestId: randomUUID(),
    });
    if (!created.ok) throw new Error(created.message);
    expect(await call(bob!.socket, 'presence:query', { userIds: [alice!.user.id] })).toEqual({
      ok: true,
      presence: [{ userId: alice!.user.id, isOnline: true, lastSeenAt: null }],
    });
  });

  it(`tells the members of a group of up to ${PRESENCE_PUSH_GROUP_MAX} of each other's coming and going, those of a bigger one only when they ask`, async () => {
    // Each arrival told to every member would cost a big group's members the square of their
    // number in messages whenever they come online together (a morning, a node's restart).
    const [carol, dave, erin] = await Promise.all(
      ['carol', 'dave', 'erin'].map((name) => person(suite, name)),
    );
    const db = suite.server.database.db;
    const crowd = await seedUsers(
      db,
      `big${randomUUID().slice(0, 8)}`,
      PRESENCE_PUSH_GROUP_MAX - 1,
      'x',
    );
    const groupId = await seedGroup(db, 'Town square', [
      carol!.user.id,
      dave!.user.id,
      ...crowd.slice(1).map((user) => user.id),
    ]);
    // A group people have written in, as groups are.
    await appendGeneratedMessages(db, groupId, carol!.user.id, 3);
    // Erin chats with both: she is told of dave's coming and going, and carol of hers.
    for (const other of [carol!, dave!]) {
      const started = await call(erin!.socket, 'conversation:start', {
        username: other.user.username,
      });
      if (!started.ok) throw new Error(started.message);
      await send(erin!, started.conversation.id, 'hi');
    }
    const isDave = (presence: Presence) => presence.userId === dave!.user.id;
    /** Dave goes offline and comes back: erin is told both. */
    const daveGoesAndComes = async () => {
      const gone = nextEvent(erin!.socket, 'presence:updated', (p) => isDave(p) && !p.isOnline);
      dave!.socket.close();
      await gone;
      const back = nextEvent(erin!.socket, 'presence:updated', (p) => isDave(p) && p.isOnline);
      dave!.socket = (await openTab(suite, dave!)).socket;
      await back;
    };

    // PRESENCE_PUSH_GROUP_MAX members: carol is told, as it happens.
    const toldCarol: Presence[] = [];
    carol!.socket.on('presence:updated', (presence) => toldCarol.push(presence));
    const carolTold = nextEvent(carol!.socket, 'presence:updated', (p) => isDave(p) && p.isOnline);
    await daveGoesAndComes();
    await carolTold;
    expect(toldCarol.filter(isDave).map((presence) => presence.isOnline)).toEqual([false, true]);

    // One more: carol is told nothing of dave. Changes are told in the order they came, so
    // erin's going reaches carol after anything of dave's would have.
    await seedGroupMembers(db, groupId, [crowd[0]!.id]);
    toldCarol.length = 0;
    await daveGoesAndComes();
    const erinGone = nextEvent(
      carol!.socket,
      'presence:updated',
      (p) => p.userId === erin!.user.id,
    );
    erin!.socket.close();
    await erinGone;
    expect(toldCarol.filter(isDave)).toEqual([]);
    // Asked, as the group's info does when it opens.
    expect(await call(carol!.socket, 'presence:query', { userIds: [dave!.user.id] })).toEqual({
      ok: true,
      presence: [{ userId: dave!.user.id, isOnline: true, lastSeenAt: null }],
    });
  });

  it('tells of many people going and coming back at once, each once, the going with last seen', async () => {
    const alice = await person(suite, 'alice');
    const others = await Promise.all(
      Array.from({ length: 12 }, (_, index) => person(suite, `crowd${index}`)),
    );
    const created = await call(alice.socket, 'group:create', {
      title: 'Crowd',
      usernames: others.map((other) => other.user.username),
      clientRequestId: randomUUID(),
    });
    if (!created.ok) throw new Error(created.message);
    const ids = new Set(others.map((other) => other.user.id));
    /** The next presence of every one of them, and how many came until then. */
    const nextOfEach = (isOnline: boolean) =>
      new Promise<{ told: Presence[]; count: number }>((resolve) => {
        const told = new Map<string, Presence>();
        let count = 0;
        const listener = (presence: Presence) => {
          if (!ids.has(presence.userId) || presence.isOnline !== isOnline) return;
          count += 1;
          told.set(presence.userId, presence);
          if (told.size === ids.size) {
            alice.socket.off('presence:updated', listener);
            resolve({ told: [...told.values()], count });
          }
        };
        alice.socket.on('presence:updated', listener);
      });

    const offline = nextOfEach(false);
    const closedAt = Date.now();
    for (const other of others) other.socket.close();
    const gone = await offline;
    expect(gone.count).toBe(others.length);
    for (const presence of gone.told) {
      expect(new Date(presence.lastSeenAt!).getTime()).toBeGreaterThan(closedAt - 5_000);
    }

    // Back at once, some on two devices: each is told online once.
    const online = nextOfEach(true);
    await Promise.all(
      others.flatMap((other, index) =>
        index % 3 === 0 ? [openTab(suite, other), openTab(suite, other)] : [openTab(suite, other)],
      ),
    );
    const back = await online;
    expect(back.count).toBe(others.length);
    expect(back.told.every((presence) => presence.lastSeenAt === null)).toBe(true);
  });
});

describe('a node shutting down', () => {
  it('writes the last seen of every socket it closes before its database closes', async () => {
    // More sockets than one write of last seen takes (500), so that a second write waits for
    // the first: it must not find the database closed.
    const sockets = 501;
    const database = await createTestDatabase();
    await withDatabase(database.serverOptions, (db) =>
      writeSettings(db, { ...SUITE_BASELINE, socketsPerUser: sockets, socketsPerIp: sockets }),
    );
    const server = await startServer(database.serverOptions);
    const connected: TestSocket[] = [];
    try {
      const account = await signUp(server.url, 'many');
      for (let opened = 0; opened < sockets; opened += 50) {
        const some = await Promise.all(
          Array.from({ length: Math.min(50, sockets - opened) }, () =>
            connect(server.url, account),
          ),
        );
        connected.push(...some.map(({ socket }) => socket));
      }
      const stoppedAt = Date.now();
      await server.stop();
      const failures = server.logs.filter((entry) => Number(entry.level) >= 50);
      expect(failures).toEqual([]);
      const seen = await withDatabase(database.serverOptions, (db) =>
        findLastSeen(db, [account.user.id]),
      );
      expect(seen.get(account.user.id)?.getTime()).toBeGreaterThan(stoppedAt - 5_000);
    } finally {
      for (const socket of connected) socket.close();
      await server.stop();
      await database.drop();
    }
  });
});

describe('presence privacy', () => {
  const hidden = (userId: string) => ({ userId, isOnline: false, lastSeenAt: null });

  it('with "nobody", others get neither online nor last seen, and the hider sees nobody’s', async () => {
    const { alice, bob } = await chatting();
    expect(bob.ready.privacy).toEqual({
      presence: 'contacts',
      readReceipts: true,
      findableByName: true,
    });

    const aliceTold = nextEvent(alice.socket, 'presence:updated', (p) => p.userId === bob.user.id);
    const bobTold = nextEvent(bob.socket, 'presence:updated', (p) => p.userId === alice.user.id);
    expect(await call(bob.socket, 'privacy:update', { presence: 'nobody' })).toEqual({
      ok: true,
      privacy: { presence: 'nobody', readReceipts: true, findableByName: true },
    });
    // Both online, yet each is now told the other is neither online nor seen.
    expect(await aliceTold).toEqual(hidden(bob.user.id));
    expect(await bobTold).toEqual(hidden(alice.user.id));
    expect(await call(alice.socket, 'presence:query', { userIds: [bob.user.id] })).toEqual({
      ok: true,
      presence: [hidden(bob.user.id)],
    });
    expect(await call(bob.socket, 'presence:query', { userIds: [alice.user.id] })).toEqual({
      ok: true,
      presence: [hidden(alice.user.id)],
    });

    // The setting is stored: a new tab is told it, and queries still hide.
    const bobTab2 = await openTab(suite, bob);
    expect(bobTab2.ready.privacy).toEqual({
      presence: 'nobody',
      readReceipts: true,
      findableByName: true,
    });

    // Back to contacts: both see each other online again, at once.
    const aliceSees = nextEvent(alice.socket, 'presence:updated', (p) => p.userId === bob.user.id);
    const bobSees = nextEvent(bob.socket, 'presence:updated', (p) => p.userId === alice.user.id);
    await call(bob.socket, 'privacy:update', { presence: 'contacts' });
    expect(await aliceSees).toEqual({ userId: bob.user.id, isOnline: true, lastSeenAt: null });
    expect(await bobSees).toEqual({ userId: alice.user.id, isOnline: true, lastSeenAt: null });
  });

  it('introduces new contacts as neither online nor seen when either hides it, and one away with last seen', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await call(bob.socket, 'privacy:update', { presence: 'nobody' });
    const aliceTold = nextEvent(alice.socket, 'presence:updated', (p) => p.userId === bob.user.id);
    const bobTold = nextEvent(bob.socket, 'presence:updated', (p) => p.userId === alice.user.id);
    await send(alice, conversationId, 'first');
    expect(await aliceTold).toEqual(hidden(bob.user.id));
    expect(await bobTold).toEqual(hidden(alice.user.id));

    // Carol shares a group with alice and sees her go; then dave writes to alice, who is away.
    const [carol, dave] = await Promise.all(['carol', 'dave'].map((name) => person(suite, name)));
    const created = await call(carol!.socket, 'group:create', {
      title: 'Watching',
      usernames: [alice.user.username],
      clientRequestId: randomUUID(),
    });
    if (!created.ok) throw new Error(created.message);
    const aliceGone = nextEvent(
      carol!.socket,
      'presence:updated',
      (p) => p.userId === alice.user.id && !p.isOnline,
    );
    alice.socket.close();
    const gone = await aliceGone;
    expect(gone.lastSeenAt).toEqual(expect.any(String));
    const started = await call(dave!.socket, 'conversation:start', {
      username: alice.user.username,
    });
    if (!started.ok) throw new Error(started.message);
    const daveTold = nextEvent(dave!.socket, 'presence:updated', (p) => p.userId === alice.user.id);
    await send(dave!, started.conversation.id, 'hello alice');
    expect(await daveTold).toEqual(gone);
  });

  it('does not announce the coming and going of someone who hides it', async () => {
    const { alice, bob } = await chatting();
    const carol = await person(suite, 'carol');
    const started = await call(carol.socket, 'conversation:start', {
      username: alice.user.username,
    });
    if (!started.ok) throw new Error(started.message);
    const carolIntroduced = nextEvent(
      alice.socket,
      'presence:updated',
      (p) => p.userId === carol.user.id,
    );
    await send(carol, started.conversation.id, 'hello');
    await carolIntroduced;
    const bobHidden = nextEvent(alice.socket, 'presence:updated', (p) => p.userId === bob.user.id);
    await call(bob.socket, 'privacy:update', { presence: 'nobody' });
    expect(await bobHidden).toEqual(hidden(bob.user.id));
    const events: Presence[] = [];
    alice.socket.on('presence:updated', (presence) => events.push(presence));

    // Bob leaves, then Carol: the grace periods end in that order, and only Carol is told.
    const carolGone = nextEvent(
      alice.socket,
      'presence:updated',
      (p) => p.userId === carol.user.id && !p.isOnline,
    );
    bob.socket.close();
    carol.socket.close();
    await carolGone;
    expect(events.map((presence) => presence.userId)).toEqual([carol.user.id]);
  });

  it('refuses a change that names nothing or a value it does not know, with a clear error', async () => {
    const alice = await person(suite, 'alice');
    expect(await call(alice.socket, 'privacy:update', {})).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'Give presence, readReceipts, findableByName or more of them.',
    });
    expect(
      await call(alice.socket, 'privacy:update', { presence: 'everyone' as 'nobody' }),
    ).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/presence must be "contacts" or "nobody"/),
    });
    expect(
      await call(alice.socket, 'privacy:update', { readReceipts: 'no' as unknown as boolean }),
    ).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/readReceipts must be true or false/),
    });
  });
});

describe('typing', () => {
  const about = (conversationId: string) => (update: TypingUpdate) =>
    update.conversationId === conversationId;

  it('reaches the other person, not the typist’s own tabs, and clears on stop', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const aliceTab2 = await openTab(suite, alice);
    const seenByOwnTab: TypingUpdate[] = [];
    aliceTab2.socket.on('typing:updated', (update) => seenByOwnTab.push(update));

    const typing = nextEvent(bob.socket, 'typing:updated', about(conversationId));
    expect(await call(alice.socket, 'typing:start', { conversationId })).toEqual({ ok: true });
    expect(await typing).toEqual({
      conversationId,
      user: { id: alice.user.id, username: alice.user.username },
      isTyping: true,
      device: expect.any(String),
      order: expect.any(Number),
    });
    const stopped = nextEvent(bob.socket, 'typing:updated', about(conversationId));
    await call(alice.socket, 'typing:stop', { conversationId });
    expect((await stopped).isTyping).toBe(false);
    expect(seenByOwnTab).toEqual([]);
  });

  it('carries each device’s order, so a "stopped" that arrives late loses to the "typing" after it', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const updates: TypingUpdate[] = [];
    bob.socket.on('typing:updated', (update) => updates.push(update));
    const bothSeen = new Promise<void>((resolve) =>
      bob.socket.on('typing:updated', () => updates.length === 2 && resolve()),
    );
    // A send says "stopped", and the next keystroke "typing" at once: their handlers race.
    await Promise.all([
      call(alice.socket, 'typing:stop', { conversationId }),
      call(alice.socket, 'typing:start', { conversationId }),
    ]);
    await bothSeen;
    bob.socket.off('typing:updated');
    const stopped = updates.find((update) => !update.isTyping);
    const started = updates.find((update) => update.isTyping);
    expect(started?.device).toEqual(expect.any(String));
    expect(stopped?.device).toBe(started?.device);
    expect(started!.order).toBeGreaterThan(stopped!.order);

    // Disconnecting is newer than anything the device said.
    const gone = nextEvent(bob.socket, 'typing:updated', (update) => !update.isTyping);
    alice.socket.close();
    expect((await gone).order).toBeGreaterThan(started!.order);
  });

  it('says "stopped" on disconnect after a "typing" whose older "stopped" finished last', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const release = hold('typing:stop');
    const updates: TypingUpdate[] = [];
    bob.socket.on('typing:updated', (update) => updates.push(update));
    try {
      const stop = call(alice.socket, 'typing:stop', { conversationId });
      expect(await call(alice.socket, 'typing:start', { conversationId })).toEqual({ ok: true });
      release();
      expect(await stop).toEqual({ ok: true });
    } finally {
      release();
    }
    // Alice's last word was "typing": her going away must clear it.
    const gone = nextEvent(
      bob.socket,
      'typing:updated',
      (update) => !update.isTyping && update.order > updates[0]!.order,
    );
    alice.socket.close();
    expect(await gone).toMatchObject({ conversationId, isTyping: false });
    bob.socket.off('typing:updated');
  });

  it('ends with a send, told in the order of the device’s updates', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const typing = nextEvent(bob.socket, 'typing:updated', about(conversationId));
    await call(alice.socket, 'typing:start', { conversationId });
    const started = await typing;

    const stopped = nextEvent(bob.socket, 'typing:updated', about(conversationId));
    await send(alice, conversationId, 'done typing');
    expect(await stopped).toMatchObject({ isTyping: false, device: started.device });
    expect((await stopped).order).toBeGreaterThan(started.order);

    // A send while not typing says nothing: the next update is the next "typing".
    const next = nextEvent(bob.socket, 'typing:updated', about(conversationId));
    await send(alice, conversationId, 'and one more');
    await call(alice.socket, 'typing:start', { conversationId });
    expect(await next).toMatchObject({ isTyping: true, device: started.device });
  });

  it('does not announce a "typing" whose handler finished after a send that followed it', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const updates: TypingUpdate[] = [];
    bob.socket.on('typing:updated', (update) => updates.push(update));
    const first = nextEvent(bob.socket, 'typing:updated', about(conversationId));
    await call(alice.socket, 'typing:start', { conversationId });
    const { order } = await first;

    // The next keystroke's handler waits; the send after it is answered first.
    const release = hold('typing:start');
    try {
      const late = call(alice.socket, 'typing:start', { conversationId });
      await send(alice, conversationId, 'sent while the keystroke waited');
      release();
      expect(await late).toEqual({ ok: true });
    } finally {
      release();
    }
    // One more word from the device: what was told before it has arrived by then.
    const last = nextEvent(bob.socket, 'typing:updated', (update) => update.order > order + 2);
    await call(alice.socket, 'typing:stop', { conversationId });
    await last;
    bob.socket.off('typing:updated');
    expect(updates.map((update) => [update.isTyping, update.order])).toEqual([
      [true, order],
      [false, order + 2],
      [false, order + 3],
    ]);
  });

  it('stays on for the viewer when a "typing" comes in after a message sent before it', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const viewer = appClient(suite, bob);
    const aliceTyping = () => Boolean(viewer.getState().typing[conversationId]?.[alice.user.id]);
    try {
      await viewer.start();
      await until(
        viewer,
        () => viewer.getState().connection === 'online' && viewer.getState().isListLoaded,
      );
      await call(alice.socket, 'typing:start', { conversationId });
      await until(viewer, aliceTyping);

      // The send's handler waits for the database while the next keystroke's is told at once.
      const release = hold('message:send');
      let sent: Promise<unknown> = Promise.resolve();
      try {
        sent = send(alice, conversationId, 'overtaken');
        await call(alice.socket, 'typing:start', { conversationId });
      } finally {
        release();
      }
      await sent;
      await until(
        viewer,
        () =>
          viewer.getState().conversations.find((item) => item.id === conversationId)?.lastMessage
            ?.body === 'overtaken',
      );
      expect(aliceTyping()).toBe(true);
    } finally {
      viewer.stop();
    }
  });

  it('clears when the typist disconnects', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await call(alice.socket, 'typing:start', { conversationId });
    const stopped = nextEvent(bob.socket, 'typing:updated', (update) => !update.isTyping);
    alice.socket.close();
    expect(await stopped).toMatchObject({
      conversationId,
      isTyping: false,
      user: { id: alice.user.id },
    });
  });

  it('reaches every other member of a group', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const created = await call(alice!.socket, 'group:create', {
      title: 'Typists',
      usernames: [bob!.user.username, carol!.user.username],
      clientRequestId: randomUUID(),
    });
    if (!created.ok) throw new Error(created.message);
    const conversationId = created.conversation.id;
    const seen = Promise.all(
      [bob!, carol!].map((who) => nextEvent(who.socket, 'typing:updated', about(conversationId))),
    );
    await call(alice!.socket, 'typing:start', { conversationId });
    for (const update of await seen)
      expect(update).toMatchObject({ isTyping: true, user: { id: alice!.user.id } });
  });
});
