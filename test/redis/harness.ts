// A real redis-server for the tests: /usr/bin/redis-server (or REDIS_SERVER) on
// 127.0.0.1, a free port, no persistence, in a temp dir; started and stopped
// by the test (REDIS.md "Tests"). Also the Node server nodes as child processes
// (fixtures/node.mjs, on the built runtime in dist/).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server binary. */
export const REDIS_SERVER = process.env['REDIS_SERVER'] ?? '/usr/bin/redis-server';

/** A free TCP port on 127.0.0.1 (bound to port 0, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until `proc` prints a line matching `re` on stdout (rejects when it exits first). */
function waitForLine(proc: ChildProcess, re: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        proc.stdout!.off('data', onData);
        proc.off('exit', onExit);
        resolve(m);
      }
    };
    const onExit = (code: number | null): void => reject(new Error(`${what} exited (${code}) before ready: ${out.slice(-500)}`));
    proc.stdout!.on('data', onData);
    proc.once('exit', onExit);
  });
}

/** Sends SIGKILL (or `signal`) to a child and waits for its exit. */
export async function stopProcess(proc: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill(signal);
  await exited;
}

/** One redis-server the test owns. */
export class RedisServer {
  /** The port (kept across stop/start, so clients reconnect to the same address). */
  port = 0;
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'wsgen-redis-'));

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server (on a new free port the first time, on the same port after a stop); retries a taken port. */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.port === 0 || attempt > 1) this.port = this.port !== 0 && attempt === 1 ? this.port : await freePort();
      const proc = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        await waitForLine(proc, /Ready to accept connections/, 'redis-server');
        this.proc = proc;
        return;
      } catch (err) {
        if (attempt >= 5 || !/Address already in use/.test(String(err))) throw err;
      }
    }
  }

  /** Stops redis-server (SIGKILL by default: everything in it is lost, as with a crash without persistence). */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.proc !== undefined) await stopProcess(this.proc, signal);
    this.proc = undefined;
  }

  /** Stops it and removes its temp dir. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts a redis-server on a free port. */
export async function startRedis(): Promise<RedisServer> {
  const r = new RedisServer();
  await r.start();
  return r;
}

/** A server node in a child process (fixtures/node.mjs). */
export interface NodeProcess {
  proc: ChildProcess;
  port: number;
  /** ws:// URL of a path. */
  url(path: string): string;
  /** Log lines (JSON) the node wrote to stderr. */
  logs: string[];
}

/** A token a node knows, with its session (and user: the session id by default). */
export interface TokenSpec {
  token: string;
  sessionId: string;
  userId?: string;
}

/**
 * Starts a node on `redisUrl` (node id `nodeId`) that knows `tokens`; `extra` goes to fixtures/node.mjs (`port`,
 * `maxConnectionsPerUser`, `replay`, `chunkDelayMs`, `validateOutbound`, `presenceTtlMs`).
 */
export async function startNode(redisUrl: string, nodeId: string, tokens: readonly TokenSpec[], extra: Record<string, unknown> = {}): Promise<NodeProcess> {
  const config = JSON.stringify({ redisUrl, nodeId, tokens, ...extra });
  const proc = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/node.mjs'), config], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const logs: string[] = [];
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    const lines = err.split('\n');
    err = lines.pop()!;
    logs.push(...lines);
  });
  const m = await waitForLine(proc, /\{"port":(\d+)\}/, `node ${nodeId}`);
  const bound = Number(m[1]);
  return { proc, port: bound, logs, url: (path) => `ws://127.0.0.1:${bound}${path}` };
}

/** Sends an IPC command to a node and resolves with its answer. */
export function ask<T = { ok: unknown }>(node: NodeProcess, cmd: Record<string, unknown>): Promise<T> {
  return new Promise((resolve) => {
    node.proc.once('message', (m) => resolve(m as T));
    node.proc.send(cmd);
  });
}

/** A Redis and nodes on it, registered for cleanup. */
export interface TestCluster {
  redis: RedisServer;
  nodes: NodeProcess[];
}

/** Starts a Redis and one node per id, each knowing `tokens`; `cleanup` gets what stops them. */
export async function startCluster(cleanup: Array<() => unknown>, ids: string[], tokens: readonly TokenSpec[], extra: Record<string, unknown> = {}): Promise<TestCluster> {
  const redis = await startRedis();
  cleanup.push(() => redis.dispose());
  const nodes: NodeProcess[] = [];
  for (const id of ids) {
    const n = await startNode(redis.url, id, tokens, extra);
    cleanup.push(() => stopProcess(n.proc));
    nodes.push(n);
  }
  return { redis, nodes };
}
