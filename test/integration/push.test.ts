// Web Push, against a local HTTP server that stands in for the push service: it receives what
// a browser's push service would and decrypts it with the browser's keys.

import {
  createECDH,
  createPublicKey,
  randomBytes,
  randomUUID,
  verify,
  type ECDH,
} from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import https, { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import ece from 'http_ece';
import { afterAll, describe, expect, it } from 'vitest';
import { PUSH_LOOKUP_SPACING_MS } from '../../server/push/push-notifier';
import { call, nextEvent, postJson } from '../helpers/client';
import { makeTempDir } from '../helpers/paths';
import { openTab, pair, person, send, setupSuite, type Person, type Suite } from '../helpers/suite';

interface Delivery {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

// Push services speak HTTPS: the stand-in gets a certificate of its own, which the server (in
// this process) is told to trust below.
const certificates = makeTempDir('parley-push-');
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-days',
    '1',
    '-keyout',
    join(certificates, 'key.pem'),
    '-out',
    join(certificates, 'cert.pem'),
  ],
  { stdio: 'ignore' },
);

// The stand-in push service: remembers every delivery; /gone/… answers 410 like an expired one.
const deliveries: Delivery[] = [];
const pushService = createServer(
  {
    key: readFileSync(join(certificates, 'key.pem')),
    cert: readFileSync(join(certificates, 'cert.pem')),
  },
  (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(req.url?.startsWith('/gone/') ? 410 : 201).end();
    });
  },
);
await new Promise<void>((resolve) => pushService.listen(0, '127.0.0.1', resolve));
const pushOrigin = `https://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => pushService.close(() => resolve())));

// What NODE_EXTRA_CA_CERTS would do for a server process: web-push sends through Node's
// default HTTPS agent, which now also trusts the stand-in's certificate.
const defaultAgent = https.globalAgent.options.ca;
https.globalAgent.options.ca = [
  ...tls.rootCertificates,
  readFileSync(join(certificates, 'cert.pem')),
];
afterAll(() => {
  https.globalAgent.options.ca = defaultAgent;
});

/** While armed, the next message's notifications wait at the beforePushDispatch failpoint. */
const pushGate = {
  armed: null as null | { reached: () => void; released: Promise<void> },
  /** Arms the gate: `reached` resolves once a dispatch waits at it, which waits for `release`. */
  hold() {
    let reached!: () => void;
    let release!: () => void;
    const isReached = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.armed = { reached, released };
    return { reached: isReached, release };
  },
};

const suiteOptions = {
  env: { PUSH_ENDPOINTS: pushOrigin, PRESENCE_GRACE_MS: '100' },
  failpoints: {
    beforePushDispatch: () => {
      const armed = pushGate.armed;
      if (!armed) return;
      pushGate.armed = null;
      armed.reached();
      return armed.released;
    },
  },
};
const suite = setupSuite(suiteOptions);

/** Alice and Bob, who have chatted (Bob wrote first), so that each sees the other's presence. */
async function chatting(on: Suite = suite) {
  const started = await pair(on);
  const { alice, bob } = started;
  const introduced = nextEvent(
    alice.socket,
    'presence:updated',
    (presence) => presence.userId === bob.user.id,
  );
  await send(bob, started.conversationId, 'hi');
  await introduced;
  return started;
}

/** Closes a socket and waits until a contact hears that its owner is offline: the server saw it go. */
async function goOffline(socket: Person['socket'], who: Person, watcher: Person) {
  const gone = nextEvent(
    watcher.socket,
    'presence:updated',
    (p) => p.userId === who.user.id && !p.isOnline,
  );
  socket.close();
  await gone;
}

/** A browser's push subscription: its own key pair and auth secret, as a browser makes them. */
async function subscribe(who: Person, path: string, on: Suite = suite) {
  const keys: ECDH = createECDH('prime256v1');
  keys.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  const endpoint = `${pushOrigin}${path}`;
  const response = await postJson(
    on.server.url,
    '/api/push/subscriptions',
    {
      endpoint,
      expirationTime: null,
      keys: { p256dh: keys.getPublicKey().toString('base64url'), auth },
    },
    { cookie: who.cookie },
  );
  expect(response.status).toBe(201);
  return {
    endpoint,
    decrypt: (delivery: Delivery) =>
      JSON.parse(
        ece
          .decrypt(delivery.body, { version: 'aes128gcm', privateKey: keys, authSecret: auth })
          .toString(),
      ),
  };
}

const dispatched = (messageId: number) =>
  suite.server.waitForLog(
    (entry) => entry.event === 'push.dispatched' && entry.messageId === messageId,
  );

/** How many lookups of push subscriptions the server has made (its /metrics). */
async function pushLookups(): Promise<number> {
  const metrics = await (await fetch(`${suite.server.url}/metrics`)).text();
  const found = /^parley_push_lookups_total\{[^}]*\} (\d+)$/m.exec(metrics);
  expect(found, 'parley_push_lookups_total is in /metrics').not.toBeNull();
  return Number(found![1]);
}

describe('web push', () => {
  it('sends an offline recipient a correctly encrypted, signed notification', async () => {
    const { alice, bob, conversationId } = await chatting();
    const phone = await subscribe(bob, `/sub/${randomUUID()}`);
    await goOffline(bob.socket, bob, alice);
    const message = await send(alice, conversationId, 'Dinner at 8?');
    await dispatched(message.id);

    const delivery = deliveries.find((item) => `${pushOrigin}${item.path}` === phone.endpoint);
    expect(delivery).toBeDefined();
    expect(delivery!.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(delivery!.headers.ttl)).toBeGreaterThan(0);
    expect(phone.decrypt(delivery!)).toEqual({
      conversationId,
      title: alice.user.username,
      body: 'Dinner at 8?',
    });

    // Signed with the server's VAPID key, for this push service.
    const served = await (
      await fetch(`${suite.server.url}/api/push/key`, { headers: { cookie: alice.cookie } })
    ).json();
    const [, token, publicKey] = /^vapid t=([^,]+), k=(.+)$/.exec(
      String(delivery!.headers.authorization),
    )!;
    expect(publicKey).toBe(served.publicKey);
    const point = Buffer.from(publicKey!, 'base64url');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    const [header, claims, signature] = token!.split('.');
    const isSigned = verify(
      'sha256',
      Buffer.from(`${header}.${claims}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature!, 'base64url'),
    );
    expect(isSigned).toBe(true);
    expect(JSON.parse(Buffer.from(claims!, 'base64url').toString())).toMatchObject({
      aud: pushOrigin,
    });
  });

  it('looks up the subscriptions for messages sent close together in one query', async () => {
    const { alice, bob, conversationId } = await chatting();
    const phone = await subscribe(bob, `/sub/${randomUUID()}`);
    await goOffline(bob.socket, bob, alice);
    const before = await pushLookups();
    const startedAt = performance.now();
    const sent = [];
    for (let index = 1; index <= 10; index++) {
      sent.push(await send(alice, conversationId, `Are you there? (${index})`));
    }
    await Promise.all(sent.map((message) => dispatched(message.id)));
    const elapsedMs = performance.now() - startedAt;
    const lookups = (await pushLookups()) - before;

    // Every message was notified, each once.
    const notified = deliveries.filter((item) => `${pushOrigin}${item.path}` === phone.endpoint);
    expect(notified.map((delivery) => phone.decrypt(delivery).body).sort()).toEqual(
      sent.map((message) => message.body).sort(),
    );
    // Lookups start at least PUSH_LOOKUP_SPACING_MS apart, so this many could fit in the time
    // the sends took (one query per message would be 10 unless the sends took a second).
    expect(lookups).toBeGreaterThan(0);
    expect(lookups).toBeLessThanOrEqual(2 + Math.floor(elapsedMs / PUSH_LOOKUP_SPACING_MS));
  });

  it('names the sender by their display name when they have one', async () => {
    const { alice, bob, conversationId } = await chatting();
    const phone = await subscribe(bob, `/sub/${randomUUID()}`);
    const renamed = await call(alice.socket, 'profile:update', { displayName: 'Alice Liddell' });
    expect(renamed.ok).toBe(true);
    await goOffline(bob.socket, bob, alice);
    const message = await send(alice, conversationId, 'Tea?');
    await dispatched(message.id);
    const delivery = deliveries.find((item) => `${pushOrigin}${item.path}` === phone.endpoint);
    expect(phone.decrypt(delivery!)).toEqual({
      conversationId,
      title: 'Alice Liddell',
      body: 'Tea?',
    });
  });

  it('sends nothing to someone with a device connected, and names the group', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const created = await call(alice!.socket, 'group:create', {
      title: 'Climbing',
      usernames: [bob!.user.username, carol!.user.username],
      clientRequestId: randomUUID(),
    });
    if (!created.ok) throw new Error(created.message);
    const offline = await subscribe(bob!, `/sub/${randomUUID()}`);
    const online = await subscribe(carol!, `/sub/${randomUUID()}`);
    await goOffline(bob!.socket, bob!, alice!);
    const message = await send(alice!, created.conversation.id, 'Rope is packed');
    expect(await dispatched(message.id)).toMatchObject({ sent: 1, skippedConnected: 1 });
    const toOffline = deliveries.filter((item) => `${pushOrigin}${item.path}` === offline.endpoint);
    expect(toOffline.map(offline.decrypt)).toEqual([
      {
        conversationId: created.conversation.id,
        title: 'Climbing',
        body: `${alice!.user.username}: Rope is packed`,
      },
    ]);
    expect(deliveries.filter((item) => `${pushOrigin}${item.path}` === online.endpoint)).toEqual(
      [],
    );
  });

  it('respects a muted conversation', async () => {
    const { alice, bob, conversationId } = await chatting();
    const phone = await subscribe(bob, `/sub/${randomUUID()}`);
    expect(await call(bob.socket, 'conversation:mute', { conversationId, isMuted: true })).toEqual({
      ok: true,
      conversationId,
      isMuted: true,
      pinnedAt: null,
      archivedAt: null,
    });
    await goOffline(bob.socket, bob, alice);
    await send(alice, conversationId, 'muted, no buzz');
    // Unmuted again from another tab, closed before the next message: that one buzzes.
    const again = await openTab(suite, bob);
    await call(again.socket, 'conversation:mute', { conversationId, isMuted: false });
    await goOffline(again.socket, bob, alice);
    const message = await send(alice, conversationId, 'now it buzzes');
    await dispatched(message.id);
    const bodies = deliveries
      .filter((item) => `${pushOrigin}${item.path}` === phone.endpoint)
      .map((d) => phone.decrypt(d).body);
    expect(bodies).toEqual(['now it buzzes']);
  });

  it('forgets a subscription the push service reports gone', async () => {
    const { alice, bob, conversationId } = await chatting();
    await subscribe(bob, `/gone/${randomUUID()}`);
    await goOffline(bob.socket, bob, alice);
    const first = await send(alice, conversationId, 'one');
    expect(await dispatched(first.id)).toMatchObject({ removed: 1 });
    const second = await send(alice, conversationId, 'two');
    await send(alice, conversationId, 'three');
    expect(
      suite.server.logs.some(
        (entry) => entry.event === 'push.dispatched' && entry.messageId === second.id,
      ),
    ).toBe(false);
  });

  it('sends nothing for a message deleted for everyone before its notification went out', async () => {
    const { alice, bob, conversationId } = await chatting();
    const phone = await subscribe(bob, `/sub/${randomUUID()}`);
    await goOffline(bob.socket, bob, alice);
    const gate = pushGate.hold();
    const message = await send(alice, conversationId, 'wrong chat: my PIN is 4321');
    await gate.reached;
    const deleted = await call(alice.socket, 'message:delete', {
      conversationId,
      seq: message.seq,
      for: 'everyone',
    });
    expect(deleted).toMatchObject({ ok: true });
    gate.release();
    expect(await dispatched(message.id)).toMatchObject({ sent: 0, skippedDeleted: 1 });
    expect(deliveries.filter((item) => `${pushOrigin}${item.path}` === phone.endpoint)).toEqual([]);
  });

  it('refuses endpoints outside the allowed push services, and malformed keys', async () => {
    const alice = await person(suite, 'alice');
    const keys = {
      p256dh: createECDH('prime256v1').generateKeys().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    };
    const refuse = async (body: unknown, message: RegExp) => {
      const response = await postJson(suite.server.url, '/api/push/subscriptions', body, {
        cookie: alice.cookie,
      });
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(message);
    };
    await refuse({ endpoint: 'https://127.0.0.1:5432/', keys }, /not allowed/);
    await refuse(
      { endpoint: pushOrigin.replace('https:', 'http:') + '/sub/x', keys },
      /not allowed/,
    );
    await refuse({ endpoint: 'https://evil.example/push', keys }, /not allowed/);
    await refuse(
      { endpoint: `${pushOrigin}/sub/x`, keys: { ...keys, auth: 'short' } },
      /keys.auth must be 16 bytes/,
    );
    await refuse(
      { endpoint: `${pushOrigin}/sub/x`, keys: { ...keys, p256dh: '!!!' } },
      /keys.p256dh must be base64url/,
    );
    const anonymous = await postJson(suite.server.url, '/api/push/subscriptions', {
      endpoint: `${pushOrigin}/x`,
      keys,
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('a node that shuts down', () => {
  // A server of its own, since the test stops it.
  const closing = setupSuite(suiteOptions);

  it('sends the notifications of its last messages before it closes its database', async () => {
    const { alice, bob, conversationId } = await chatting(closing);
    const phone = await subscribe(bob, `/sub/${randomUUID()}`, closing);
    await goOffline(bob.socket, bob, alice);
    const held = pushGate.hold();
    await send(alice, conversationId, 'Last one before the restart');
    await held.reached;

    // The node is told to stop while the notification is still on its way out. It says it waits
    // for it; a node that did not wait would have closed its database by the time it stopped.
    const stopping = closing.server.stop();
    const waits = closing.server
      .waitForLog((entry) => entry.event === 'push.shutdown-wait')
      .catch(() => undefined);
    await Promise.race([waits, stopping]);
    held.release();
    await stopping;

    const bodies = deliveries
      .filter((item) => `${pushOrigin}${item.path}` === phone.endpoint)
      .map((delivery) => phone.decrypt(delivery).body);
    expect(bodies).toEqual(['Last one before the restart']);
    expect(closing.server.logs.filter((entry) => entry.event === 'push.failed')).toEqual([]);
    expect(await waits).toMatchObject({ pending: 1 });
  });
});
