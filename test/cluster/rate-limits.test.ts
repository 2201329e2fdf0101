// Rate limits on two nodes sharing Redis: a person's sends are counted once for the cluster,
// however their sockets are spread, and so are sign-in waits; while Redis is away, each node
// goes on limiting from its own memory and nobody gets an error.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, PASSWORD, postJson, signUp, type TestSocket } from '../helpers/client';
import {
  startClusterEnvironment,
  type ClusterEnvironment,
  type TestCluster,
} from '../helpers/cluster';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import type { TestRedis } from '../helpers/redis-server';

let environment: ClusterEnvironment | undefined;
let redis: TestRedis;
let cluster: TestCluster;
const sockets: TestSocket[] = [];

/** 3 a second plus a burst of 3: at most 6 sends at once. */
const LIMITS = { ...GENEROUS_LIMITS, messagesPerSecond: 3, messageBurst: 3 };

beforeAll(async () => {
  environment = await startClusterEnvironment({
    nodes: 2,
    settings: { ...LIMITS, signInFailuresBeforeDelay: 1 },
  });
  ({ cluster, redis } = environment);
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await environment?.stop();
});

/** Someone with a socket on each node, in a conversation with a peer. */
async function spreadPerson() {
  const account = await signUp(cluster.url, 'spread');
  const peer = await signUp(cluster.url, 'peer');
  const onNode = await Promise.all(
    cluster.nodes.map(async (node) => (await connect(node.url, account)).socket),
  );
  sockets.push(...onNode);
  const started = await call(onNode[0]!, 'conversation:start', { username: peer.user.username });
  if (!started.ok) throw new Error(started.message);
  return { sockets: onNode, conversationId: started.conversation.id };
}

function flood(socket: TestSocket, conversationId: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      call(socket, 'message:send', { conversationId, clientMsgId: randomUUID(), body: `${index}` }),
    ),
  );
}

describe('with Redis', () => {
  it('counts a person’s sends once for the whole cluster', async () => {
    const {
      sockets: [first, second],
      conversationId,
    } = await spreadPerson();
    const acks = (
      await Promise.all([flood(first!, conversationId, 10), flood(second!, conversationId, 10)])
    ).flat();
    // Each node alone would have let 6 through.
    expect(acks.filter((ack) => ack.ok)).toHaveLength(6);
    expect(acks.filter((ack) => !ack.ok).every((ack) => ack.code === 'RATE_LIMITED')).toBe(true);
  });

  it('makes a sign-in failure on one node count on the other', async () => {
    const victim = await signUp(cluster.url, 'victim');
    const body = { username: victim.user.username, password: 'not the password' };
    expect((await postJson(cluster.nodes[0]!.url, '/api/auth/sign-in', body)).status).toBe(401);
    const elsewhere = await postJson(cluster.nodes[1]!.url, '/api/auth/sign-in', {
      ...body,
      password: PASSWORD,
    });
    expect(elsewhere.status).toBe(429);
    expect(elsewhere.body).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('goes on limiting from each node’s memory while Redis is away, without errors', async () => {
    const {
      sockets: [first],
      conversationId,
    } = await spreadPerson();
    await redis.stop();
    await Promise.all(
      cluster.nodes.map((node) => node.waitForLog((entry) => entry.event === 'redis.down')),
    );
    const acks = await flood(first!, conversationId, 10);
    expect(acks.filter((ack) => ack.ok)).toHaveLength(6);
    expect(acks.filter((ack) => !ack.ok).every((ack) => ack.code === 'RATE_LIMITED')).toBe(true);

    await redis.start();
    await cluster.nodes[0]!.waitForLog((entry) => entry.event === 'redis.recovered', 30_000);
    const {
      sockets: [again],
      conversationId: next,
    } = await spreadPerson();
    expect((await flood(again!, next, 1))[0]).toMatchObject({ ok: true });
  });
});
