// The Redis connections of one node (ioredis): one for commands, one for
// pub/sub, the Lua scripts of runtime/redis/ (EVALSHA, loaded again on every
// reconnect), and the availability state with its log lines
// (redis_unavailable / redis_recovered, docs/redis-layout.md "Redis down").
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../types.js';

/** The scripts of runtime/redis/ (one file each). */
export const SCRIPT_NAMES = ['open', 'append', 'append_many', 'replay', 'release', 'reset'] as const;
/** A script name. */
export type ScriptName = (typeof SCRIPT_NAMES)[number];

/** The folder of the Lua scripts: runtime/redis/ next to runtime/server/ (the build copies it to dist/runtime/redis/). */
const SCRIPT_DIR = new URL('../../redis/', import.meta.url);

/** A loaded script: its source and SHA-1 (the EVALSHA digest). */
interface Script {
  readonly source: string;
  readonly sha: string;
}

/** Reads every script of runtime/redis/ once. */
function loadScripts(): Record<ScriptName, Script> {
  const out = {} as Record<ScriptName, Script>;
  for (const name of SCRIPT_NAMES) {
    const source = readFileSync(new URL(`${name}.lua`, SCRIPT_DIR), 'utf8');
    out[name] = { source, sha: createHash('sha1').update(source).digest('hex') };
  }
  return out;
}

/** How a node reaches Redis. */
export interface LinkOptions {
  /** `redis://host:port/db` (default `redis://127.0.0.1:6379`). */
  url: string;
  /** Per-command timeout in ms: a command unanswered this long fails and counts as an outage (default 2 000). */
  commandTimeoutMs: number;
  /** Longest wait between reconnection attempts in ms (default 1 000). */
  maxReconnectDelayMs: number;
  logger: Logger;
}

/** The connections of one node and whether Redis answers. */
export class RedisLink {
  /** Commands (scripts, presence, PUBLISH). Fails fast while disconnected (no offline queue). */
  readonly cmd: Redis;
  /** Pub/sub (SUBSCRIBE); ioredis subscribes again after every reconnect. */
  readonly sub: Redis;
  /** Whether the command connection is ready (false during an outage). */
  up = false;
  /** The per-command timeout, in ms. */
  readonly commandTimeoutMs: number;
  /** Called after Redis came back (scripts loaded again): repair what broke. */
  onRecovered: () => void = () => {};
  private degraded = false;
  private closing = false;
  private readonly scripts = loadScripts();
  private readonly logger: Logger;

  /** Connects both connections (asynchronously: `ready()` resolves once commands work). */
  constructor(o: LinkOptions) {
    this.logger = o.logger;
    this.commandTimeoutMs = o.commandTimeoutMs;
    const common: RedisOptions = {
      retryStrategy: (times) => Math.min(50 * times, o.maxReconnectDelayMs),
      connectionName: 'wsgen',
      lazyConnect: false,
    };
    this.cmd = new Redis(o.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: o.commandTimeoutMs, enableAutoPipelining: true });
    this.sub = new Redis(o.url, { ...common, maxRetriesPerRequest: null });
    this.cmd.on('ready', () => this.onReady());
    this.cmd.on('close', () => this.down('connection closed'));
    this.cmd.on('error', (err: Error) => this.down(err.message));
    this.sub.on('error', () => {}); // reported once through cmd; an 'error' without a listener would crash the process
  }

  /** Resolves once the command connection is ready (or after `timeoutMs`, then `up` stays false). */
  ready(timeoutMs = 5_000): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, timeoutMs);
      t.unref();
      const cmd = this.cmd;
      function done(): void {
        clearTimeout(t);
        cmd.off('ready', done);
        resolve();
      }
      cmd.on('ready', done);
    });
  }

  /** Runs a script with EVALSHA (`keys` are KEYS, `args` ARGV). Rejects with the Redis error or an outage. */
  run(name: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return this.cmd.evalsha(this.scripts[name].sha, keys.length, ...keys, ...args);
  }

  /**
   * {@link run} as a command of its own, written at once rather than queued in ioredis' auto-pipeline (which waits
   * for the pipeline in flight): for a caller that already sends one call per round trip (the store's appends).
   */
  runNow(name: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const argv: (string | number)[] = [this.scripts[name].sha, keys.length];
    for (const k of keys) argv.push(k);
    for (const a of args) argv.push(a);
    return this.cmd.sendCommand(new Command('evalsha', argv, { replyEncoding: 'utf8' })) as Promise<unknown>;
  }

  /** Marks an outage seen by a failed command (a timeout while the socket stays open). */
  failed(err: unknown): void {
    this.down(err instanceof Error ? err.message : String(err));
  }

  /** Marks Redis answering again after a failed command (see {@link failed}), as `ready` does. */
  answered(): void {
    if (this.degraded && this.cmd.status === 'ready') this.recovered();
  }

  /** Closes both connections: QUIT when connected (bounded by the command timeout), else at once. */
  async close(): Promise<void> {
    this.onRecovered = () => {};
    this.closing = true;
    await Promise.all([this.end(this.cmd), this.end(this.sub)]);
  }

  private async end(r: Redis): Promise<void> {
    if (r.status === 'ready') {
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, this.commandTimeoutMs).unref());
      await Promise.race([r.quit().then(() => undefined, () => undefined), timeout]);
    }
    r.disconnect(); // a connection still reconnecting would queue QUIT forever
  }

  private onReady(): void {
    const p = this.cmd.pipeline();
    for (const name of SCRIPT_NAMES) p.script('LOAD', this.scripts[name].source);
    p.exec().then(
      () => this.recovered(),
      (err: unknown) => this.down(err instanceof Error ? err.message : String(err)),
    );
  }

  private recovered(): void {
    this.up = true;
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log('info', 'redis_recovered', {});
    this.onRecovered();
  }

  private down(error: string): void {
    this.up = false;
    if (this.degraded || this.closing) return;
    this.degraded = true;
    this.logger.log('warn', 'redis_unavailable', { error, hint: 'live traffic goes on; streams that could not be stored get a new epoch when Redis returns' });
  }
}
