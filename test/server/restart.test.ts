// A seq names a message only with its stream's epoch: whenever a stream is
// created anew (a server restart, an idle stream discarded, an expired
// session), a client resuming with a seq of the old stream gets RECOVERY_FAILED
// (epoch_mismatch) and the new stream from seq 1, never a silent replay of the
// new stream after its old seq. The issue's scenario, with real restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, type WebSocketMessage } from '../../generated/ts/index.js';
import { referenceAgents } from '../../runtime/server/chat/reference.js';
import type { ChatServerOptions } from '../../runtime/server/chat/server.js';
import { connect, invalidInbound, startServer, ts, type TestClient, type TestServer } from './helpers.js';

afterEach(() => expect(invalidInbound).toEqual([]));

const TOKEN = 'fixed-dev-token';
const SESSION = 'fixed-session';
const GUIDE = '/api/ws/guide';
/** ws:// URL of a path on a server. */
type Url = (path: string) => string;
const seqOf = (m: WebSocketMessage): number | undefined => ('seq' in m ? m.seq : undefined);

/** A server in a child process (fixtures/fixed-token-server.mjs) on `port`; resolves once it listens. */
async function childServer(port: number): Promise<{ proc: ChildProcess; port: number; url: (path: string) => string }> {
  const proc = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/fixed-token-server.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bound = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  return { proc, port: bound, url: (path) => `ws://127.0.0.1:${bound}${path}` };
}

/** Kills a child server (SIGKILL: no graceful shutdown) and waits for it to exit. */
async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

/** A server whose validator knows the fixed token (as `serve` with a fixed token would, across restarts). */
async function fixedTokenServer(o: Partial<ChatServerOptions> = {}): Promise<TestServer> {
  const t = await startServer({ agents: referenceAgents({ chunkDelayMs: 5 }), heartbeatIntervalMs: 0, ...o });
  t.validator.issue({ token: TOKEN, sessionId: SESSION });
  return t;
}

/** Client 1 processes the stream up to seq 41 of a 100-chunk answer; returns its epoch. */
async function clientOneAt41(url: Url): Promise<{ c: TestClient; epoch: string }> {
  const c = await connect(url(GUIDE), TOKEN);
  const epoch = await c.epoch();
  c.say('/stream 100', 'old');
  await c.next((m) => seqOf(m) === 41);
  return { c, epoch };
}

/** Client 2 (same token, same endpoint) connects first and takes the new stream to seq 62. */
async function clientTwoTo62(url: Url): Promise<string> {
  const c = await connect(url(GUIDE), TOKEN);
  const epoch = await c.epoch();
  c.say('/stream 61', 'new'); // 61 chunks (seq 1..61), agent_complete is seq 62
  const done = await c.next((m) => m.type === 'agent_complete' && m.message_id === 'new');
  expect(seqOf(done)).toBe(62);
  await c.close();
  return epoch;
}

/** Client 1 comes back and resumes from seq 41 of its old epoch: the loss is reported, then the new stream from 1. */
async function resumeFrom41(url: Url, oldEpoch: string, newEpoch: string): Promise<void> {
  const c = await connect(url(GUIDE), TOKEN);
  const created = await c.nextOfType('session_created');
  expect(created.epoch).toBe(newEpoch);
  expect(created.epoch).not.toBe(oldEpoch);
  c.send({ type: 'session_resume', timestamp: ts(), session_id: SESSION, last_seq: 41, epoch: oldEpoch, message_id: 'r' });
  const first = await c.next();
  expect(first).toMatchObject({
    type: 'error_message',
    error_code: ErrorCode.RECOVERY_FAILED,
    error_details: { reason: 'epoch_mismatch', epoch: newEpoch, latest_seq: 62, first_missing: null, last_missing: null },
  });
  const upd = await c.nextOfType('session_updated');
  expect(upd).toMatchObject({ status: 'resumed_with_gap', message_id: 'r', seq: 63 });
  const after = c.messages.slice(2); // after session_created and RECOVERY_FAILED
  // The whole new stream, from seq 1, in order: never 42..62 as if they followed the old 41.
  expect(after.map(seqOf)).toEqual([...Array(63).keys()].map((i) => i + 1));
  expect(after.slice(0, 61).every((m) => m.type === 'agent_streaming' && m.message_id === 'new')).toBe(true);
  await c.close();
}

let live: TestServer[] = [];
afterEach(async () => {
  await Promise.all(live.map((s) => s.close()));
  live = [];
});

describe('a resume against a stream created anew is an explicit recovery failure', () => {
  it('after a real server restart on the same port, when another client took the new stream past the old seq', async () => {
    const first = await fixedTokenServer();
    live = [first];
    const { c: one, epoch: oldEpoch } = await clientOneAt41(first.url);
    const port = first.server.address().port;
    await first.close(); // mid-stream: client 1 is closed with 1012
    expect((await one.closed).code).toBe(1012);
    const second = await fixedTokenServer({ port });
    live = [second];
    expect(second.server.address().port).toBe(port);
    const newEpoch = await clientTwoTo62(second.url);
    await resumeFrom41(second.url, oldEpoch, newEpoch);
  });

  it('after the server process is killed and started again on the same port (child processes)', async () => {
    const first = await childServer(0);
    const procs = [first.proc];
    try {
      const { c: one, epoch: oldEpoch } = await clientOneAt41(first.url);
      await kill(first.proc); // mid-stream, no close frame
      expect((await one.closed).code).toBe(1006);
      const second = await childServer(first.port);
      procs.push(second.proc);
      const newEpoch = await clientTwoTo62(second.url);
      await resumeFrom41(second.url, oldEpoch, newEpoch);
    } finally {
      await Promise.all(procs.map(kill));
    }
  });

  it('after the idle stream was discarded (detachedTtlMs)', async () => {
    const t = await fixedTokenServer({ detachedTtlMs: 0 });
    live = [t];
    const { c: one, epoch: oldEpoch } = await clientOneAt41(t.url);
    await one.close();
    await one.closed;
    // Let the old answer finish (an in-flight stream is never discarded), then sweep the idle stream away.
    while (t.server.chat.service.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    t.server.core.sweep();
    expect(t.server.core.sessions.findStream(SESSION, 'guide')).toBeUndefined();
    const newEpoch = await clientTwoTo62(t.url);
    await resumeFrom41(t.url, oldEpoch, newEpoch);
  });

  it('after the session expired and the token was refreshed (same session id)', async () => {
    const t = await fixedTokenServer();
    live = [t];
    const { c: one, epoch: oldEpoch } = await clientOneAt41(t.url);
    // Once client 1 is at 41: a token of the same session with a short life, used on another endpoint, sets its expiry.
    const short = t.issue({ sessionId: SESSION, ttlMs: 200 });
    const other = await connect(t.url('/api/ws/liaison/content'), short);
    expect((await one.closed).code).toBe(4003); // SESSION_EXPIRED
    expect((await other.closed).code).toBe(4003);
    t.validator.issue({ token: TOKEN, sessionId: SESSION }); // refreshed
    const newEpoch = await clientTwoTo62(t.url);
    await resumeFrom41(t.url, oldEpoch, newEpoch);
  });

  it('after a restart with nothing produced yet: epoch_mismatch (not last_seq_ahead), an empty replay, resumed_with_gap', async () => {
    const first = await fixedTokenServer();
    live = [first];
    const { epoch: oldEpoch } = await clientOneAt41(first.url);
    const port = first.server.address().port;
    await first.close();
    const second = await fixedTokenServer({ port });
    live = [second];
    const c = await connect(second.url(GUIDE), TOKEN);
    const { epoch } = await c.nextOfType('session_created');
    c.send({ type: 'session_resume', timestamp: ts(), session_id: SESSION, last_seq: 41, epoch: oldEpoch });
    expect(await c.next()).toMatchObject({ type: 'error_message', error_details: { reason: 'epoch_mismatch', epoch, latest_seq: 0 } });
    expect(await c.next()).toMatchObject({ type: 'session_updated', status: 'resumed_with_gap', seq: 1 });
    await c.close();
  });
});
