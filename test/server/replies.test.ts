// Every error path of the server, held to PROTOCOL.md's "Which replies carry a
// seq" table: each path is triggered on a real server, and whether the reply
// carries a seq must match the table row of its error_code.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentType, ErrorCode, type WebSocketMessage } from '../../generated/ts/index.js';
import { referenceGuideAgent } from '../../runtime/server/chat/reference.js';
import { protocol } from '../../generated/ts/index.js';
import { bindProtocol, CONNECTION_LEVEL_ERROR_CODES } from '../../runtime/server/roles.js';

const { isConnectionLevel } = bindProtocol(protocol);
import { connect, invalidInbound, startServer, ts, type TestClient, type TestServer } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
afterEach(() => expect(invalidInbound).toEqual([]));

/** PROTOCOL.md's table: error code → whether its error_message carries a seq. */
function protocolTable(): Map<string, boolean> {
  const md = readFileSync(join(ROOT, 'schema/PROTOCOL.md'), 'utf8');
  const section = md.slice(md.indexOf('### Which replies carry a seq'), md.indexOf('## Heartbeat'));
  const rows = new Map<string, boolean>();
  for (const m of section.matchAll(/^\| `error_message` `([A-Z_]+)` \| [^|]+ \| (yes|no)[^|]*\|$/gm)) rows.set(m[1]!, m[2] === 'yes');
  return rows;
}

/** Error codes the runtime's own code sends (every errorMessage(ErrorCode.X…) and reject(c, ErrorCode.X…) call). */
function codesInRuntimeSource(): Set<string> {
  const dir = join(ROOT, 'runtime/server');
  const found = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/(?:errorMessage|reject)\((?:c, )?ErrorCode\.([A-Z_]+)/g)) found.add(m[1]!);
  }
  return found;
}

const errors = (c: TestClient) => c.messages.filter((m): m is Extract<WebSocketMessage, { type: 'error_message' }> => m.type === 'error_message');

describe('which replies carry a seq (PROTOCOL.md table)', () => {
  it('the table lists every ErrorCode, and isConnectionLevel follows it', () => {
    const table = protocolTable();
    expect([...table.keys()].sort()).toEqual(Object.values(ErrorCode).sort());
    for (const [code, numbered] of table) {
      expect(CONNECTION_LEVEL_ERROR_CODES.has(code as ErrorCode), code).toBe(!numbered);
      expect(isConnectionLevel({ type: 'error_message', timestamp: ts(), error_code: code as ErrorCode, message: 'x' }), code).toBe(!numbered);
    }
  });

  let servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });

  it('every error path the server has sends its reply with or without a seq as the table says', async () => {
    const table = protocolTable();
    // Only the guide has an agent (liaison endpoints: AGENT_UNAVAILABLE); one request in flight; a short timeout.
    const t = await startServer({
      agents: { [AgentType.GUIDE_AGENT]: referenceGuideAgent({ chunkDelayMs: 1 }) },
      maxInFlight: 1,
      handlerTimeoutMs: 200,
      resumeWaitMs: 100,
      replay: { maxMessages: 3 },
    });
    const limited = await startServer({ rateLimit: { capacity: 1, refillPerSecond: 0.001, closeAfter: 100 } });
    servers = [t, limited];
    const clients: TestClient[] = [];
    const open = async (s: TestServer, path: string, token: string) => {
      const c = await connect(s.url(path), token);
      clients.push(c);
      await c.nextOfType('session_created');
      return c;
    };
    const { token, session } = t.validator.issue();
    const sid = session.sessionId;
    const g = await open(t, '/api/ws/guide', token);
    const ask = (c: TestClient, message: string, id: string, extra: Record<string, unknown> = {}) =>
      c.send({ type: 'user_message', timestamp: ts(), message, message_id: id, ...extra });
    const errorFor = (c: TestClient, id: string) => c.next((m) => m.type === 'error_message' && m.message_id === id);

    // Frame refusals.
    g.ws.send('not json');
    await g.next((m) => m.type === 'error_message' && m.error_code === ErrorCode.INVALID_MESSAGE);
    g.send({ type: 'agent_message', timestamp: ts(), message: 'x', agent: 'guide_agent', message_id: 'u1' });
    await errorFor(g, 'u1');
    ask(g, 'x', 'a1', { session_id: 'someone-else' });
    await errorFor(g, 'a1');
    ask(g, 'x', 'a2', { session_token: 'not-the-token' });
    await errorFor(g, 'a2');
    ask(g, 'x', 'f1', { pillar: 'content' });
    await errorFor(g, 'f1');
    // Agent failures, the in-flight limit, the timeout.
    ask(g, '/fail', 'e1');
    await errorFor(g, 'e1');
    ask(g, '/hang', 'h1');
    ask(g, 'x', 'r1');
    await errorFor(g, 'r1');
    await errorFor(g, 'h1');
    // The frame rate limit.
    const l = await open(limited, '/api/ws/guide', limited.issue());
    l.send({ type: 'ping', timestamp: ts(), message_id: 'p1' });
    l.send({ type: 'ping', timestamp: ts(), message_id: 'p2' });
    await l.next((m) => m.type === 'error_message' && m.error_code === ErrorCode.RATE_LIMITED);
    // No agent on the endpoint.
    const liaison = await open(t, '/api/ws/liaison/content', t.issue());
    ask(liaison, 'x', 'n1');
    await errorFor(liaison, 'n1');
    // RECOVERY_FAILED: another epoch, a last_seq ahead, a gap on resume, a gap at the end of the wait for a resume.
    const resume = (c: TestClient, last_seq: number, epoch: string, id: string) =>
      c.send({ type: 'session_resume', timestamp: ts(), session_id: sid, last_seq, epoch, message_id: id });
    resume(g, 0, 'another-epoch', 'm1');
    await g.next((m) => m.type === 'session_updated' && m.message_id === 'm1');
    resume(g, 10_000, await g.epoch(), 'm2');
    await g.next((m) => m.type === 'session_updated' && m.message_id === 'm2');
    ask(g, '/stream 5', 's1');
    await g.next((m) => m.type === 'agent_complete' && m.message_id === 's1');
    await g.close();
    const g2 = await open(t, '/api/ws/guide', token);
    resume(g2, 1, await g2.epoch(), 'm3');
    await g2.next((m) => m.type === 'session_updated' && m.message_id === 'm3');
    await g2.close();
    const g3 = await open(t, '/api/ws/guide', token); // no session_resume: the hold ends after resumeWaitMs
    for (let i = 0; i < 5; i++) t.server.core.sendToSession(sid, 'guide', { type: 'system_message', timestamp: ts(), message: `m${i}` });
    await g3.next((m) => m.type === 'error_message' && m.error_code === ErrorCode.RECOVERY_FAILED);
    await g3.next((m) => m.type === 'system_message' && m.message === 'm4');

    const all = clients.flatMap(errors);
    const seen = new Set(all.map((m) => m.error_code));
    // Every code the runtime's source can send was triggered here.
    expect([...codesInRuntimeSource()].filter((c) => !seen.has(c as ErrorCode))).toEqual([]);
    const recovery = all.filter((m) => m.error_code === ErrorCode.RECOVERY_FAILED).map((m) => (m.error_details as { reason?: string }).reason ?? 'gap');
    expect(recovery.sort()).toEqual(['epoch_mismatch', 'gap', 'gap', 'last_seq_ahead']);
    expect(all.filter((m) => m.error_code === ErrorCode.RATE_LIMITED)).toHaveLength(2);
    expect(all.filter((m) => m.error_code === ErrorCode.UNAUTHORIZED)).toHaveLength(2);
    for (const m of all) expect({ code: m.error_code, seq: 'seq' in m }).toEqual({ code: m.error_code, seq: table.get(m.error_code) });
    // pong carries none; every other message but session_created carries one.
    for (const c of clients) {
      for (const m of c.messages) {
        if (m.type === 'error_message' || m.type === 'session_created') continue;
        expect({ type: m.type, seq: 'seq' in m }).toEqual({ type: m.type, seq: m.type !== 'pong' });
      }
    }
    await Promise.all(clients.map((c) => c.close()));
  });
});
