// A real redis-server for the tests and the bench: /usr/bin/redis-server (or REDIS_SERVER) on 127.0.0.1, a free
// port, no persistence, in a temp dir; started and stopped by its user (REDIS.md "Tests"). Also the Node server
// nodes as child processes (fixtures/node.mjs, on the built runtime in dist/). Types: harness.d.mts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server binary. */
export const REDIS_SERVER = process.env['REDIS_SERVER'] ?? '/usr/bin/redis-server';

/** A free TCP port on 127.0.0.1 (bound to port 0, then released). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Waits until `proc` prints a line matching `re` on stdout (rejects when it exits first). */
function waitForLine(proc, re, what) {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        proc.stdout.off('data', onData);
        proc.off('exit', onExit);
        resolve(m);
      }
    };
    const onExit = (code) => reject(new Error(`${what} exited (${code}) before ready: ${out.slice(-500)}`));
    proc.stdout.on('data', onData);
    proc.once('exit', onExit);
  });
}

/** Sends SIGKILL (or `signal`) to a child and waits for its exit. */
export async function stopProcess(proc, signal = 'SIGKILL') {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill(signal);
  await exited;
}

/** One redis-server its user owns. */
export class RedisServer {
  /** The port (kept across stop/start, so clients reconnect to the same address). */
  port = 0;
  #proc = undefined;
  #dir = mkdtempSync(join(tmpdir(), 'wsgen-redis-'));

  /** `redis://127.0.0.1:<port>`. */
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server (on a free port the first time, on the same port after a stop); retries a taken port. */
  async start() {
    for (let attempt = 1; ; attempt++) {
      if (this.port === 0 || attempt > 1) this.port = await freePort();
      const proc = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.#dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        await waitForLine(proc, /Ready to accept connections/, 'redis-server');
        this.#proc = proc;
        return;
      } catch (err) {
        if (attempt >= 5 || !/Address already in use/.test(String(err))) throw err;
      }
    }
  }

  /** Stops redis-server (SIGKILL by default: everything in it is lost, as in a crash without persistence). */
  async stop(signal = 'SIGKILL') {
    if (this.#proc !== undefined) await stopProcess(this.#proc, signal);
    this.#proc = undefined;
  }

  /** Stops it and removes its temp dir. */
  async dispose() {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Starts a redis-server on a free port. */
export async function startRedis() {
  const r = new RedisServer();
  await r.start();
  return r;
}

/** Starts a server node on `redisUrl` (fixtures/node.mjs) that knows `tokens`; `extra` goes to its config. */
export async function startNode(redisUrl, nodeId, tokens, extra = {}) {
  const config = JSON.stringify({ redisUrl, nodeId, tokens, ...extra });
  const proc = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/node.mjs'), config], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const logs = [];
  let err = '';
  proc.stderr.on('data', (d) => {
    err += d.toString();
    const lines = err.split('\n');
    err = lines.pop();
    logs.push(...lines);
  });
  const m = await waitForLine(proc, /\{"port":(\d+)\}/, `node ${nodeId}`);
  const port = Number(m[1]);
  return { proc, port, logs, url: (path) => `ws://127.0.0.1:${port}${path}` };
}

/** Sends an IPC command to a node and resolves with its answer. */
export function ask(node, cmd) {
  return new Promise((resolve) => {
    node.proc.once('message', resolve);
    node.proc.send(cmd);
  });
}

/** Starts a Redis and one node per id, each knowing `tokens`; `cleanup` gets what stops them. */
export async function startCluster(cleanup, ids, tokens, extra = {}) {
  const redis = await startRedis();
  cleanup.push(() => redis.dispose());
  const nodes = [];
  for (const id of ids) {
    const n = await startNode(redis.url, id, tokens, extra);
    cleanup.push(() => stopProcess(n.proc));
    nodes.push(n);
  }
  return { redis, nodes };
}
