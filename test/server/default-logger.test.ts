/**
 * Failures are visible by default (runtime/server/README.md, "Logging"): a server built without the `logger` option
 * logs through `defaultLogger`, which writes warn and error events to stderr, one JSON line each, and drops info and
 * debug. Each server runs in a child Node process (fixtures/default-logger-server.mjs, the built runtime in dist/,
 * 127.0.0.1 on a free port) whose handler throws: its stderr gets exactly one line for the failure, with the code,
 * the connection id and the message id, and never the token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tokenProtocols } from '../../runtime/server/auth.js';
import { defaultLogger, jsonLogger } from '../../runtime/server/logger.js';

const WAIT_MS = 10_000;
const running: ChildProcess[] = [];

interface Child {
  port: number;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with stderr's lines holding `needle` once there is one (rejects after WAIT_MS). */
  lines(needle: string): Promise<string[]>;
}

/** Starts the fixture server of `kind` with `token`; resolves once it listens. */
function start(kind: 'generic' | 'chat', token: string): Promise<Child> {
  const proc = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/default-logger-server.mjs'), kind, token], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(proc);
  let err = '';
  const waiters: (() => void)[] = [];
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  const lines = async (needle: string): Promise<string[]> => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = err.split('\n').filter((l) => l.includes(needle));
      if (found.length > 0) return found;
      if (Date.now() > deadline) throw new Error(`no stderr line with ${needle}: ${err}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  return new Promise((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve({ port: (JSON.parse(d.toString()) as { port: number }).port, stderr: () => err, lines }));
    proc.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
  });
}

/** Sends one user message on /api/ws/guide and resolves with the server's error reply to it. */
async function failOnce(port: number, token: string): Promise<Record<string, unknown>> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws/guide`, tokenProtocols(token));
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no error reply')), WAIT_MS);
      ws.on('error', reject);
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as Record<string, unknown>;
        if (m['type'] === 'session_created') ws.send(JSON.stringify({ type: 'user_message', message_id: 'm-1', message: 'hello', timestamp: new Date().toISOString() }));
        if (m['type'] === 'error_message') {
          clearTimeout(timer);
          resolve(m);
        }
      });
    });
  } finally {
    ws.close();
  }
}

afterEach(() => {
  for (const p of running.splice(0)) p.kill('SIGKILL');
});

describe('the default logger', () => {
  for (const [kind, event, code] of [['generic', 'handler_error', 'INTERNAL_ERROR'], ['chat', 'agent_error', 'AGENT_ERROR']] as const) {
    it(`${kind} server: a handler that throws writes one stderr line with code, connection id and message id`, async () => {
      const token = randomBytes(16).toString('base64url');
      const child = await start(kind, token);
      const reply = await failOnce(child.port, token);
      expect([reply['error_code'], reply['message_id']]).toEqual([code, 'm-1']);
      const lines = await child.lines(`"event":"${event}"`);
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 'warn', event, code, message_id: 'm-1', error: 'handler failed on purpose' });
      expect(line['connection_id']).toMatch(/^[0-9a-f]{8}-\w+$/);
      expect(child.stderr()).not.toContain(token);
      expect(child.stderr()).not.toContain('connection_opened'); // info events are dropped
    });
  }

  it('writes warn and error, drops info and debug, redacts credentials', () => {
    const seen: string[] = [];
    const original = console.error;
    console.error = (line: string) => void seen.push(line);
    try {
      defaultLogger.log('debug', 'd');
      defaultLogger.log('info', 'i');
      defaultLogger.log('warn', 'w', { code: 'X', session_token: 'secret' });
      defaultLogger.log('error', 'e', { code: 'Y' });
    } finally {
      console.error = original;
    }
    expect(seen.map((l) => JSON.parse(l) as Record<string, unknown>).map(({ event, session_token }) => [event, session_token])).toEqual([['w', '[redacted]'], ['e', undefined]]);
    expect(jsonLogger).toBeTypeOf('function');
  });
});
