// Role fields inherited through allOf with two or more $refs (test/fixtures/mixins: every message type includes a
// base and mixins, and writes no role field itself) are found by the Node runtime from the generated descriptor:
// the session-created message carries the session id, epoch and seq; a streamed reply its correlation id, index and
// seq; a resume is read from its session id, last sequence and epoch; an error reply carries its code and the
// request's id. test/python_runtime/test_mixins.py serves the same fixture on the Python runtime.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InMemorySessionValidator } from '../../../runtime/server/auth.js';
import { silentLogger } from '../../../runtime/server/logger.js';
import { createServer, type WsgenServer } from '../../../runtime/server/ws.js';
import { connectTo, type SuiteClient } from './client.js';
import { fixtureProtocol } from './fixture-protocol.js';

const protocol = await fixtureProtocol('mixins');
const validator = new InMemorySessionValidator();
let clients: SuiteClient[] = [];
const server: WsgenServer = await createServer({
  logger: silentLogger,
  protocol,
  endpoints: { relay: '/relay' },
  handlers: {
    ask: (m, c) => c.replyStream(m['cid'] as string | undefined, Array.from({ length: Number(m['parts']) }, (_, i) => `piece ${i}`)).then(() => undefined),
  },
  validator,
  validateOutbound: true,
  heartbeatIntervalMs: 0,
  shutdown: { jitterMs: 10, deadlineMs: 300 },
});
afterEach(async () => {
  for (const c of clients) expect(c.invalid).toEqual([]);
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
afterAll(() => server.close());
const open = async (token: string): Promise<SuiteClient> => {
  const c = await connectTo(server.url('/relay'), token, protocol);
  clients.push(c);
  return c;
};
const pick = (m: Record<string, unknown>, keys: string[]) => keys.map((k) => m[k]);

describe('role fields inherited through a two-$ref allOf, on the Node runtime (test/fixtures/mixins)', () => {
  it('the descriptor names every inherited role field', () => {
    expect(protocol.fields).toEqual({ 'correlation-id': 'cid', sequence: 'n', 'last-sequence': 'after', 'stream-epoch': 'era', 'stream-index': 'idx', 'session-id': 'sid', 'session-status': 'state', 'error-code': 'code', 'error-text': 'why', 'stream-content': 'text' });
    expect(protocol.capabilities).toEqual(['resume', 'streams', 'error-replies']);
  });

  it('opens with hello (sid, era, n 0), streams pieces (cid, idx, n), resumes from sid/after/era, answers a server-only kind with a problem', async () => {
    const { token, session } = validator.issue();
    const c1 = await open(token);
    const hello = await c1.nextOfType('hello');
    expect(pick(hello, ['sid', 'n'])).toEqual([session.sessionId, 0]);
    expect(hello['era']).toMatch(/^[A-Za-z0-9_-]{16}$/);
    c1.send({ kind: 'ask', cid: 'q1', parts: 2 });
    const got = [await c1.next(), await c1.next(), await c1.next()];
    expect(got.map((m) => pick(m, ['kind', 'cid', 'idx', 'n', 'text']))).toEqual([['piece', 'q1', 0, 1, 'piece 0'], ['piece', 'q1', 1, 2, 'piece 1'], ['finished', 'q1', 2, 3, undefined]]);
    await c1.close();
    expect(server.core.sendToSession(session.sessionId, 'relay', { kind: 'finished', cid: 'away', idx: 0 })).toBe(true);
    const c2 = await open(token);
    const again = await c2.nextOfType('hello');
    c2.send({ kind: 'rejoin', sid: session.sessionId, after: 3, era: again['era'] });
    expect(pick(await c2.next((m) => m['n'] === 4), ['kind', 'cid'])).toEqual(['finished', 'away']);
    expect(pick(await c2.nextOfType('rejoined'), ['state', 'sid'])).toEqual(['resumed', session.sessionId]);
    c2.send({ kind: 'hello', cid: 'q2', sid: session.sessionId, era: again['era'] });
    expect(pick(await c2.nextOfType('problem'), ['code', 'cid'])).toEqual(['UNSUPPORTED_TYPE', 'q2']);
  });
});
