// Prometheus metrics (/metrics), labelled with the node id. Node's own metrics (event-loop
// lag, memory, CPU) come from prom-client's defaults; the rest are Parley's.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricSources {
  connections(): number;
  database(): { poolSize: number; inFlight: number };
  /** null when the node runs without Redis. */
  redisReady(): boolean | null;
}

export class Metrics {
  readonly registry = new Registry();
  private sources: MetricSources | undefined;

  readonly messagesSent = new Counter({
    name: 'parley_messages_sent_total',
    help: 'Messages stored by this node (retries of a stored message not counted).',
    registers: [this.registry],
  });

  readonly messagesDelivered = new Counter({
    name: 'parley_messages_delivered_total',
    help: 'Messages that reached a device of a recipient for the first time, as devices reported it through this node.',
    registers: [this.registry],
  });

  readonly ackLatency = new Histogram({
    name: 'parley_ack_latency_seconds',
    help: 'Time from receiving a client event to sending its ack.',
    labelNames: ['event'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly eventErrors = new Counter({
    name: 'parley_event_errors_total',
    help: 'Client events answered with an error, by event and error code.',
    labelNames: ['event', 'code'] as const,
    registers: [this.registry],
  });

  readonly pushLookups = new Counter({
    name: 'parley_push_lookups_total',
    help: 'Queries for the push subscriptions of recipients with no device on this node (each serves the messages stored meanwhile).',
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'parley_rate_limited_total',
    help: 'Requests and connections refused by a rate limit, by limiter.',
    labelNames: ['limiter'] as const,
    registers: [this.registry],
  });

  readonly rateLimitDisconnects = new Counter({
    name: 'parley_rate_limit_disconnects_total',
    help: 'Sockets disconnected because they kept sending while rate limited.',
    registers: [this.registry],
  });

  constructor(nodeId: string) {
    this.registry.setDefaultLabels({ node: nodeId });
    collectDefaultMetrics({ register: this.registry });
    // Gauges read their sources when Prometheus scrapes.
    const gauge = (name: string, help: string, read: (gauge: Gauge) => void) => {
      const metric: Gauge = new Gauge({
        name,
        help,
        registers: [this.registry],
        collect: () => read(metric),
      });
    };
    gauge('parley_connections', 'Socket.IO connections open on this node.', (metric) =>
      metric.set(this.sources?.connections() ?? 0),
    );
    gauge('parley_db_pool_size', 'Database connections this node may open.', (metric) =>
      metric.set(this.sources?.database().poolSize ?? 0),
    );
    gauge(
      'parley_db_in_flight',
      'Queries and transactions under way; above the pool size, they wait for a connection.',
      (metric) => metric.set(this.sources?.database().inFlight ?? 0),
    );
    gauge(
      'parley_redis_up',
      '1 while both Redis connections are up, 0 during an outage (absent without Redis).',
      (metric) => {
        const ready = this.sources?.redisReady();
        if (ready === null || ready === undefined) metric.reset();
        else metric.set(ready ? 1 : 0);
      },
    );
  }

  /** Connects the gauges to what they read; set once the node is assembled. */
  observe(sources: MetricSources): void {
    this.sources = sources;
  }
}
