// The load-generator processes. One process holds at most about 20,000 sockets here (its file
// limit), so clients are spread over several, each with its own 127.0.0.x source address so
// that no address runs out of ports.

import { fork, type ChildProcess } from 'node:child_process';
import { compiledScript } from './compiled';
import { mergeHistograms, type Histogram } from './histogram';
import type {
  ClientSpec,
  Command,
  ConnectOptions,
  Reply,
  TargetKind,
  WorkerReport,
} from './protocol';

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

class WorkerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exitError: Error | undefined;

  constructor(
    readonly index: number,
    readonly child: ChildProcess,
  ) {
    child.on('message', (envelope: { id: number; reply: Reply }) => {
      const waiting = this.pending.get(envelope.id);
      if (!waiting) return;
      this.pending.delete(envelope.id);
      if (envelope.reply.type === 'error') {
        waiting.reject(new Error(`worker ${index}: ${envelope.reply.message}`));
      } else waiting.resolve(envelope.reply);
    });
    child.on('exit', (code, signal) => {
      this.exitError = new Error(`worker ${index} exited (${signal ?? code})`);
      for (const waiting of this.pending.values()) waiting.reject(this.exitError);
      this.pending.clear();
    });
  }

  send<T extends Reply['type']>(command: Command): Promise<Extract<Reply, { type: T }>> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (reply: Reply) => void, reject });
      this.child.send({ id, command });
    });
  }
}

/** Where a client of the whole run lives: which worker, and its index there. */
export interface Placement {
  worker: number;
  local: number;
}

export interface MergedReport {
  ack: Histogram;
  delivery: Histogram;
  extra: Record<string, Histogram>;
  acked: Map<string, number[]>;
  held: WorkerReport['held'];
  duplicatePushes: number;
  outOfOrderPushes: number;
  /** Fan-out: key → latency until the last member had it (µs). */
  lastDelivery: Map<number, number>;
  connected: number;
  workerCpuMicros: number;
  errors: string[];
}

export class WorkerPool {
  /** Clients each worker holds already: new ones are numbered after them. */
  private readonly clientCounts: number[];

  private constructor(private readonly workers: WorkerProcess[]) {
    this.clientCounts = workers.map(() => 0);
  }

  static start(count: number): WorkerPool {
    const workers = Array.from({ length: count }, (_, index) => {
      const child = fork(compiledScript('bench/worker.ts'), [], {
        execArgv: ['--enable-source-maps', '--max-old-space-size=4096'],
        env: { ...process.env, BENCH_WORKER_INDEX: String(index + 1) },
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      return new WorkerProcess(index, child);
    });
    return new WorkerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  get pids(): number[] {
    return this.workers.map((worker) => worker.child.pid ?? 0);
  }

  /**
   * Deals the clients out round-robin and connects them; throws if any could not connect.
   * Returns where each client went, in the order given.
   */
  async connect(
    kind: TargetKind,
    specs: ClientSpec[],
    options: ConnectOptions,
    concurrency = 200,
  ): Promise<Placement[]> {
    const perWorker: ClientSpec[][] = this.workers.map(() => []);
    const placements = specs.map((spec, index) => {
      const worker = index % this.workers.length;
      perWorker[worker]!.push(spec);
      return { worker, local: perWorker[worker]!.length - 1 };
    });
    const offsets = [...this.clientCounts];
    const replies = await Promise.all(
      this.workers.map((worker, index) =>
        worker.send<'connected'>({
          type: 'connect',
          kind,
          clients: perWorker[index]!,
          localAddress: `127.0.0.${10 + index}`,
          concurrency: Math.ceil(concurrency / this.workers.length),
          options,
        }),
      ),
    );
    for (const [worker, added] of perWorker.entries()) this.clientCounts[worker]! += added.length;
    const failed = replies.reduce((total, reply) => total + reply.failed, 0);
    if (failed > 0) {
      const reason = replies.find((reply) => reply.firstError)?.firstError;
      throw new Error(`${failed} of ${specs.length} clients could not connect: ${reason}`);
    }
    return placements.map((placement) => ({
      worker: placement.worker,
      local: placement.local + offsets[placement.worker]!,
    }));
  }

  /** Sends a command to every worker (or one built per worker) and waits for all replies. */
  all<T extends Reply['type']>(
    command: Command | ((worker: number) => Command),
  ): Promise<Extract<Reply, { type: T }>[]> {
    return Promise.all(
      this.workers.map((worker, index) =>
        worker.send<T>(typeof command === 'function' ? command(index) : command),
      ),
    );
  }

  async report(reset: boolean): Promise<MergedReport> {
    const reports = (await this.all<'report'>({ type: 'report', reset })).map(
      (reply) => reply.report,
    );
    const labels = new Set(reports.flatMap((report) => Object.keys(report.extra)));
    const acked = new Map<string, number[]>();
    const lastDelivery = new Map<number, number>();
    for (const report of reports) {
      for (const [conversationId, pairs] of Object.entries(report.acked)) {
        const list = acked.get(conversationId);
        if (list) list.push(...pairs);
        else acked.set(conversationId, [...pairs]);
      }
      for (const [key, micros] of Object.entries(report.lastDelivery)) {
        lastDelivery.set(Number(key), Math.max(lastDelivery.get(Number(key)) ?? 0, micros));
      }
    }
    return {
      ack: mergeHistograms(reports.map((report) => report.ack)),
      delivery: mergeHistograms(reports.map((report) => report.delivery)),
      extra: Object.fromEntries(
        [...labels].map((label) => [
          label,
          mergeHistograms(reports.flatMap((report) => report.extra[label] ?? [])),
        ]),
      ),
      acked,
      held: reports.flatMap((report) => report.held),
      duplicatePushes: reports.reduce((total, report) => total + report.duplicatePushes, 0),
      outOfOrderPushes: reports.reduce((total, report) => total + report.outOfOrderPushes, 0),
      lastDelivery,
      connected: reports.reduce((total, report) => total + report.connected, 0),
      workerCpuMicros: reports.reduce((total, report) => total + report.cpuMicros, 0),
      errors: reports.flatMap((report) => report.errors),
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((worker) => worker.send({ type: 'close' })));
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.child.exitCode !== null || worker.child.signalCode !== null) resolve();
            else {
              worker.child.once('exit', () => resolve());
              worker.child.disconnect();
            }
          }),
      ),
    );
  }
}
