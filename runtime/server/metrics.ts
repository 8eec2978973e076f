// Telemetry in Prometheus text format, on a private prom-client Registry per
// server. Hot-path counters are plain numbers read at scrape time (collect()),
// so counting a message costs one property increment; the handler-latency
// histogram keeps its own bucket counts (an array increment per observation)
// and is exposed through a prom-client metric object read at scrape time.
import { Counter, Gauge, Registry as PromRegistry } from 'prom-client';
import type { Registry } from './registry.js';

/** Upper bounds (seconds) of the handler-latency histogram. */
export const LATENCY_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One histogram series (agent, outcome): non-cumulative bucket counts (last slot: +Inf), sum and count. */
export class LatencySeries {
  readonly counts: number[] = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
  sum = 0;
  count = 0;
  readonly agent: string;
  readonly outcome: string;
  /** The series of `agent` (the handler) and `outcome`. */
  constructor(agent: string, outcome: string) {
    this.agent = agent;
    this.outcome = outcome;
  }
  /** Records one duration in seconds. */
  observe(seconds: number): void {
    let i = 0;
    const b = LATENCY_BUCKETS;
    while (i < b.length && seconds > b[i]!) i++;
    this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }
}

type Outcome = 'ok' | 'error' | 'timeout';

/**
 * The handler-latency histogram as a prom-client metric object: prom-client's
 * own Histogram hashes its labels and looks its bucket up by a float-keyed
 * property on every observe (about 0.4 us per message on the echo benchmark);
 * this one is an array increment, and the registry reads it at scrape time via
 * the metric interface (name, help, type, get()).
 */
class LatencyMetric {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly series = new Map<string, LatencySeries>();
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }
  get(): { name: string; help: string; type: string; aggregator: string; values: { labels: Record<string, string | number>; value: number; metricName: string }[] } {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const s of this.series.values()) {
      if (s.count === 0) continue; // a series made ahead (a handler's, cached by the pipeline) shows once observed, as Python's
      let acc = 0;
      for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
        acc += s.counts[i]!;
        values.push({ labels: { agent: s.agent, outcome: s.outcome, le: LATENCY_BUCKETS[i]! }, value: acc, metricName: this.name + '_bucket' });
      }
      values.push({ labels: { agent: s.agent, outcome: s.outcome, le: '+Inf' }, value: s.count, metricName: this.name + '_bucket' });
      values.push({ labels: { agent: s.agent, outcome: s.outcome }, value: s.sum, metricName: this.name + '_sum' });
      values.push({ labels: { agent: s.agent, outcome: s.outcome }, value: s.count, metricName: this.name + '_count' });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
  getForPromString(): ReturnType<LatencyMetric['get']> {
    return this.get();
  }
  reset(): void {
    this.series.clear();
  }
}

function bump(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** Counts by key, where counting is one Map lookup (a cell per key) and repeating the last key is none. */
class Tally {
  private readonly cells = new Map<string, { n: number }>();
  private lastKey: string | undefined;
  private last: { n: number } = { n: 0 };
  /** Counts one `key`. */
  add(key: string): void {
    if (key !== this.lastKey) {
      let cell = this.cells.get(key);
      if (cell === undefined) this.cells.set(key, (cell = { n: 0 }));
      this.lastKey = key;
      this.last = cell;
    }
    this.last.n++;
  }
  /** The counts, by key (a snapshot). */
  snapshot(): Map<string, number> {
    return new Map([...this.cells].map(([k, c]) => [k, c.n]));
  }
}

/** The metrics of one server. */
export class ServerMetrics {
  /** The private prom-client registry (never the global one). */
  readonly registry = new PromRegistry();
  private readonly inTally = new Tally();
  private readonly outTally = new Tally();
  /** Inbound valid messages by type (a snapshot). */
  get inByType(): Map<string, number> {
    return this.inTally.snapshot();
  }
  /** Outbound messages by type (a snapshot). */
  get outByType(): Map<string, number> {
    return this.outTally.snapshot();
  }
  /** Invalid inbound frames by first failing keyword ("json", "required", "binary", ...). */
  readonly invalidByKeyword = new Map<string, number>();
  /** Closes by code. */
  readonly closesByCode = new Map<string, number>();
  /** Handshakes refused, by HTTP status. */
  readonly refusedByStatus = new Map<string, number>();
  /** Frames refused by the rate limit. */
  rateLimited = 0;
  /** Low-priority messages dropped (backpressure or no connection). */
  dropped = 0;
  /** Connections accepted since start. */
  opened = 0;
  private readonly latency: LatencyMetric;

  constructor(registry: Registry, prefix = 'wsgen_') {
    const r = this.registry;
    const fromMap = (name: string, help: string, label: string, map: Map<string, number> | (() => Map<string, number>)) =>
      new Counter({
        name: prefix + name,
        help,
        labelNames: [label],
        registers: [r],
        collect() {
          this.reset();
          for (const [k, v] of typeof map === 'function' ? map() : map) this.inc({ [label]: k }, v);
        },
      });
    fromMap('messages_in_total', 'Valid inbound messages by type.', 'type', () => this.inByType);
    fromMap('messages_out_total', 'Outbound messages by type.', 'type', () => this.outByType);
    fromMap('validation_failures_total', 'Invalid inbound frames by first failing keyword.', 'keyword', this.invalidByKeyword);
    fromMap('closes_total', 'Closed connections by close code.', 'code', this.closesByCode);
    fromMap('handshake_refusals_total', 'Refused upgrades by HTTP status.', 'status', this.refusedByStatus);
    const self = this;
    const scalar = (name: string, help: string, get: () => number) =>
      new Counter({
        name: prefix + name,
        help,
        registers: [r],
        collect() {
          this.reset();
          this.inc(get());
        },
      });
    scalar('rate_limited_total', 'Frames refused by the per-connection rate limit.', () => self.rateLimited);
    scalar('dropped_total', 'Low-priority messages dropped for backpressure.', () => self.dropped);
    scalar('connections_opened_total', 'Connections accepted since start.', () => self.opened);
    new Gauge({
      name: prefix + 'connections',
      help: 'Open connections by realm and endpoint (the endpoint key: name, then its path parameters).',
      labelNames: ['realm', 'endpoint'],
      registers: [r],
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const c of registry.all()) bump(counts, `${c.session.realm}\u0000${c.endpoint.key}`);
        for (const [k, v] of counts) {
          const [realm = '', endpoint = ''] = k.split('\u0000');
          this.set({ realm, endpoint }, v);
        }
      },
    });
    this.latency = new LatencyMetric(prefix + 'handler_duration_seconds', "Handler latency, from the frame's arrival (its clock reading, before its parse) to the last reply (or error, or timeout), by handler (the message type or the endpoint's label; the bundled app: its agent).");
    r.registerMetric(this.latency as unknown as Parameters<PromRegistry['registerMetric']>[0]);
  }

  /** Counts one valid inbound message. */
  countIn(type: string): void {
    this.inTally.add(type);
  }

  /** Counts one outbound message. */
  countOut(type: string): void {
    this.outTally.add(type);
  }

  /** Counts one invalid frame. */
  countInvalid(keyword: string): void {
    bump(this.invalidByKeyword, keyword);
  }

  /** Counts one close. */
  countClose(code: number): void {
    bump(this.closesByCode, String(code));
  }

  /** Counts one refused handshake. */
  countRefused(status: number): void {
    bump(this.refusedByStatus, String(status));
  }

  /** The histogram series of an agent and outcome (cache it: observing is then one array increment). */
  latencySeries(agent: string, outcome: Outcome): LatencySeries {
    const key = agent + '\u0000' + outcome;
    let s = this.latency.series.get(key);
    if (s === undefined) this.latency.series.set(key, (s = new LatencySeries(agent, outcome)));
    return s;
  }

  /** Records one handler latency in seconds. */
  observeLatency(agent: string, outcome: Outcome, seconds: number): void {
    this.latencySeries(agent, outcome).observe(seconds);
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@link text}. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
