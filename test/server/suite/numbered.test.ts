// A sequence field without the resume capability (test/fixtures/numbered: a `sequence` field role on the server's
// message, no session roles) numbers nothing: the stream writes its seq only with has('resume') (sessions.ts), so
// a reply goes out without the field, nothing is buffered, and a message for a session without a live connection
// is lost. The Python core follows the same rule (test/python_runtime/test_sequence_without_resume.py).
import { afterAll, describe, expect, it } from 'vitest';
import { InMemorySessionValidator } from '../../../runtime/server/auth.js';
import { createServer, type WsgenServer } from '../../../runtime/server/ws.js';
import { connectTo } from './client.js';
import { fixtureProtocol } from './fixture-protocol.js';

const protocol = await fixtureProtocol('numbered');
const validator = new InMemorySessionValidator();
const servers: WsgenServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('a sequence field without the session roles (test/fixtures/numbered)', () => {
  it('has the field role but not the resume capability; replies carry no seq and nothing is buffered', async () => {
    expect(protocol.fields['sequence']).toBe('n');
    expect(protocol.capabilities).toEqual([]);
    const server = await createServer({
      protocol,
      endpoints: { ticker: '/ticker' },
      handlers: { ask: (m, c) => c.reply({ kind: 'quote', id: m['id'], symbol: m['symbol'], price: 1.5 }) },
      validator,
      validateOutbound: true,
      heartbeatIntervalMs: 0,
    });
    servers.push(server);
    const { token, session } = validator.issue();
    const c = await connectTo(server.url('/ticker'), token, protocol);
    c.send({ kind: 'ask', id: 'a1', symbol: 'ACME' });
    expect(await c.next()).toEqual({ kind: 'quote', id: 'a1', symbol: 'ACME', price: 1.5 });
    expect(server.core.sendToSession(session.sessionId, 'ticker', { kind: 'quote', symbol: 'PUSH', price: 2 })).toBe(true);
    expect(await c.next()).toEqual({ kind: 'quote', symbol: 'PUSH', price: 2 });
    const stream = server.core.sessions.findStream(session.sessionId, 'ticker')!;
    expect([stream.seq, stream.buffered]).toEqual([0, { messages: 0, bytes: 0 }]);
    await c.close();
    expect(server.core.sendToSession(session.sessionId, 'ticker', { kind: 'quote', symbol: 'LOST', price: 3 })).toBe(false);
  });
});
