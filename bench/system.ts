// What the machine is, and what the processes under test use of it, read from /proc.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  redis: string;
  socketIo: string;
  openFilesLimit: number;
}

export function describeMachine(postgresVersion: string): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    postgres: postgresVersion.split(' on ')[0] ?? postgresVersion,
    redis: commandOutput('redis-server', ['--version']).replace(/^Redis server v=(\S+).*$/s, '$1'),
    socketIo: (require('socket.io/package.json') as { version: string }).version,
    openFilesLimit: openFilesLimit(),
  };
}

/** How many files (sockets included) one process may open. */
export function openFilesLimit(): number {
  return Number(commandOutput('sh', ['-c', 'ulimit -n'])) || 1024;
}

function commandOutput(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const TICKS_PER_SECOND = Number(commandOutput('getconf', ['CLK_TCK'])) || 100;

/** user + system CPU time of a process (µs); with `children`, also of its reaped children. */
export function cpuMicros(pid: number, children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks =
      Number(fields[11]) +
      Number(fields[12]) +
      (children ? Number(fields[13]) + Number(fields[14]) : 0);
    return (ticks / TICKS_PER_SECOND) * 1e6;
  } catch {
    return 0;
  }
}

/** The PostgreSQL processes, each with whether it is the postmaster. */
function postgresProcesses(): { pid: number; isPostmaster: boolean }[] {
  const found: { pid: number; isPostmaster: boolean }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    if (!stat.includes('(postgres)')) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // The postmaster's parent is not postgres.
    found.push({ pid: Number(entry), isPostmaster: !readParentIsPostgres(Number(fields[1])) });
  }
  return found;
}

/** CPU time of the PostgreSQL processes, including backends that have exited (µs). */
function postgresCpuMicros(processes: { pid: number; isPostmaster: boolean }[]): number {
  // The postmaster also carries the time of exited backends.
  return processes.reduce(
    (total, { pid, isPostmaster }) => total + cpuMicros(pid, isPostmaster),
    0,
  );
}

export interface Syscalls {
  /** read-like system calls (read, readv, recv...): for a socket, each chunk taken in. */
  reads: number;
  /** write-like system calls (write, writev, send...): for a socket, each chunk sent. */
  writes: number;
}

/**
 * The read and write system calls of a process so far (syscr and syscw of /proc/<pid>/io): the
 * cost the kernel charges per socket write, whatever its size. They include those of children
 * the process has reaped (the postmaster's include exited backends').
 */
function syscalls(pid: number): Syscalls {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? 0);
    return { reads: field('syscr'), writes: field('syscw') };
  } catch {
    return { reads: 0, writes: 0 };
  }
}

function sumSyscalls(pids: number[]): Syscalls {
  return pids
    .map(syscalls)
    .reduce(
      (total, next) => ({ reads: total.reads + next.reads, writes: total.writes + next.writes }),
      { reads: 0, writes: 0 },
    );
}

function minus(a: Syscalls, b: Syscalls): Syscalls {
  return { reads: a.reads - b.reads, writes: a.writes - b.writes };
}

function readParentIsPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').includes('(postgres)');
  } catch {
    return false;
  }
}

/** Resident memory of a process (bytes). */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The V8 heap in use on a Parley node, from its /metrics (bytes). */
export async function heapUsedBytes(nodeUrl: string): Promise<number> {
  const text = await (await fetch(`${nodeUrl}/metrics`)).text();
  const match = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\d+(?:\.\d+)?)/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/**
 * CPU used by a set of processes (and by PostgreSQL) over a stretch of time, and the read and
 * write system calls of those processes, of PostgreSQL and of the load generator's.
 */
export class CpuMeter {
  private start: ReturnType<CpuMeter['sample']>;

  constructor(
    private readonly pids: () => number[],
    private readonly generatorPids: () => number[] = () => [],
  ) {
    this.start = this.sample();
  }

  private sample() {
    const pids = this.pids();
    const postgres = postgresProcesses();
    return {
      processes: pids.reduce((total, pid) => total + cpuMicros(pid), 0),
      postgres: postgresCpuMicros(postgres),
      syscalls: {
        processes: sumSyscalls(pids),
        postgres: sumSyscalls(postgres.map(({ pid }) => pid)),
        generator: sumSyscalls(this.generatorPids()),
      },
      at: performance.now(),
    };
  }

  reset(): void {
    this.start = this.sample();
  }

  /** CPU µs used since the last reset, by the processes and by PostgreSQL, and the wall time. */
  read(): {
    processesMicros: number;
    postgresMicros: number;
    wallMs: number;
    syscalls: { processes: Syscalls; postgres: Syscalls; generator: Syscalls };
  } {
    const now = this.sample();
    return {
      processesMicros: now.processes - this.start.processes,
      postgresMicros: now.postgres - this.start.postgres,
      wallMs: now.at - this.start.at,
      syscalls: {
        processes: minus(now.syscalls.processes, this.start.syscalls.processes),
        postgres: minus(now.syscalls.postgres, this.start.syscalls.postgres),
        generator: minus(now.syscalls.generator, this.start.syscalls.generator),
      },
    };
  }
}
