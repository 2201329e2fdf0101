// Runs nginx (Debian's package) in front of local Parley nodes, with the same proxy rules as
// production (deploy/parley-proxy.conf). Used by `npm run cluster` and the cluster tests.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PROXY_RULES = resolve(import.meta.dirname, '../deploy/parley-proxy.conf');

export interface RunningNginx {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function findNginx(): string | null {
  for (const candidate of [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (candidate && spawnSync(candidate, ['-v']).status === 0) return candidate;
  }
  return null;
}

export async function startNginx(options: {
  port: number;
  /** host:port of every node. */
  upstreams: string[];
}): Promise<RunningNginx> {
  const binary = findNginx();
  if (!binary) {
    throw new Error('nginx is not installed. Install it with: sudo apt-get install -y nginx');
  }
  const prefix = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  const temp = join(prefix, 'temp');
  mkdirSync(temp);
  // Run as root, nginx's workers run as nobody and must be able to write their buffers.
  chmodSync(prefix, 0o755);
  chmodSync(temp, 0o777);
  const config = `
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  upstream parley {
    hash $remote_addr consistent; # as in deploy/nginx.conf
${options.upstreams.map((upstream) => `    server ${upstream} max_fails=1 fail_timeout=2s;`).join('\n')}
    keepalive 16;
  }
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }
  server {
    listen 127.0.0.1:${options.port};
    include ${PROXY_RULES};
  }
}
`;
  writeFileSync(join(prefix, 'nginx.conf'), config);
  const child = spawn(
    binary,
    ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const url = `http://127.0.0.1:${options.port}`;
  // Ready when it answers (it proxies /healthz to a node).
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (attempt > 100) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  return {
    url,
    process: child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
