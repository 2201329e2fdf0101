// N Parley nodes on one PostgreSQL database and one Redis, behind nginx (Debian's package)
// configured with the production proxy rules. Each node keeps its port across restarts.

import { writeSettings } from '../../db';
import type { Settings } from '../../protocol';
import { startNginx, type RunningNginx } from '../../scripts/nginx';
import { createTestDatabase, withDatabase, type TestDatabase } from './database';
import { freePort } from './ports';
import { SUITE_BASELINE } from './rate-limits';
import { startRedis, type TestRedis } from './redis-server';
import { makeTempDir } from './paths';
import { startProcessServer, type ProcessServer } from './process-server';

export interface TestCluster {
  /** The load balancer. */
  url: string;
  nodes: ProcessServer[];
  nginx: RunningNginx;
  /** SIGKILL: the node is gone without a goodbye. */
  kill(index: number): Promise<void>;
  restart(index: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes: number;
  databaseUrl: string;
  redisUrl: string;
  env?: Record<string, string>;
  /** Stored before the nodes start, over SUITE_BASELINE, as an admin would have set them. */
  settings?: Partial<Settings>;
}

export async function startCluster(options: ClusterOptions): Promise<TestCluster> {
  const settings = { ...SUITE_BASELINE, ...options.settings };
  await withDatabase({ databaseUrl: options.databaseUrl, dataDir: makeTempDir() }, (db) =>
    writeSettings(db, settings),
  );
  const ports = await Promise.all(Array.from({ length: options.nodes }, () => freePort()));
  const start = (index: number) =>
    startProcessServer({
      databaseUrl: options.databaseUrl,
      dataDir: makeTempDir(),
      port: ports[index]!,
      env: {
        REDIS_URL: options.redisUrl,
        NODE_ID: `node-${index + 1}`,
        // nginx is in front: the client's address is the one it appends to X-Forwarded-For.
        TRUST_PROXY: '1',
        ...options.env,
      },
    });
  const nodes: ProcessServer[] = [];
  for (let index = 0; index < options.nodes; index++) nodes.push(await start(index));
  const nginx = await startNginx({
    port: await freePort(),
    upstreams: ports.map((port) => `127.0.0.1:${port}`),
  });
  return {
    url: nginx.url,
    nodes,
    nginx,
    kill: async (index) => {
      await nodes[index]!.kill();
    },
    restart: async (index) => {
      nodes[index] = await start(index);
    },
    stop: async () => {
      await nginx.stop();
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
}

/** A cluster with what it stands on: a fresh test database and a Redis of its own. */
export interface ClusterEnvironment {
  cluster: TestCluster;
  /** Stopped and started again by the tests of Redis outages. */
  redis: TestRedis;
  databaseUrl: string;
  /** Stops the nodes and nginx, then Redis, and drops the database. */
  stop(): Promise<void>;
}

export async function startClusterEnvironment(
  options: Omit<ClusterOptions, 'databaseUrl' | 'redisUrl'>,
): Promise<ClusterEnvironment> {
  const database: TestDatabase = await createTestDatabase();
  const databaseUrl = database.serverOptions.databaseUrl!;
  let redis: TestRedis | undefined;
  try {
    redis = await startRedis();
    const cluster = await startCluster({ ...options, databaseUrl, redisUrl: redis.url });
    const started = redis;
    return {
      cluster,
      redis: started,
      databaseUrl,
      stop: async () => {
        await cluster.stop();
        await started.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await redis?.stop();
    await database.drop();
    throw error;
  }
}

/** parley_connections of one node, read from its /metrics. */
export async function connectionsOn(node: ProcessServer): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const match = /^parley_connections\{[^}]*\} (\d+)/m.exec(text);
  return match ? Number(match[1]) : 0;
}
