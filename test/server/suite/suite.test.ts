// One server suite, every protocol: handshake, frames, sessions and resume,
// limits, streaming, metrics and shutdown, run against the bundled protocol
// (the chat app) and the whiteboard (tag `op`, its own field names, a board app
// on the generic createServer). Everything protocol-specific comes from the
// adapter or from the descriptor's roles and field names.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenProtocols } from '../../../runtime/server/auth.js';
import type { FieldRole } from '../../../runtime/server/descriptor.js';
import type { Message } from '../../../runtime/server/roles.js';
import { httpGet, upgradeStatus } from '../helpers.js';
import { bundledAdapter, whiteboardAdapter, type ProtocolAdapter, type SuiteServer } from './adapters.js';
import { connectTo, type SuiteClient } from './client.js';

const adapters: ProtocolAdapter[] = [bundledAdapter, await whiteboardAdapter()];

describe.each(adapters)('$name', (a) => {
  const p = a.protocol;
  const f = (r: FieldRole): string => p.fields[r]!;
  const role = (r: keyof typeof p.roles): string => p.roles[r]!;
  let s: SuiteServer;
  let clients: SuiteClient[] = [];
  beforeAll(async () => {
    s = await a.start({ rateLimit: { capacity: 10, refillPerSecond: 5, closeAfter: 5 }, resumeWaitMs: 300 });
  });
  afterAll(() => s.close());
  afterEach(async () => {
    for (const c of clients) expect(c.invalid).toEqual([]);
    await Promise.all(clients.map((c) => c.close()));
    clients = [];
  });
  const open = async (token = s.issue(), path = a.path): Promise<SuiteClient> => {
    const c = await connectTo(s.server.url(path), token, p);
    clients.push(c);
    return c;
  };
  const errorOf = (c: SuiteClient, code: string): Promise<Message> => c.next((m) => c.typeOf(m) === role('error') && m[f('error-code')] === code);

  describe('handshake', () => {
    it('accepts the token in Sec-WebSocket-Protocol and opens with the session-created message (session id, 16-character epoch, seq 0)', async () => {
      const token = s.issue({ sessionId: 'suite-session-1' });
      const c = await open(token);
      const created = await c.nextOfType(role('session-created'));
      expect(created[f('session-id')]).toBe('suite-session-1');
      expect(created[f('stream-epoch')]).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(created[f('sequence')]).toBe(0);
    });

    it('refuses before the upgrade: no token 401, unknown path 404, a path parameter outside its enum 404', async () => {
      expect(await upgradeStatus(s.server.url(a.path), undefined)).toBe(401);
      expect(await upgradeStatus(s.server.url('/nowhere'), tokenProtocols(s.issue()))).toBe(404);
      expect(await upgradeStatus(s.server.url(a.badParamPath), tokenProtocols(s.issue()))).toBe(404);
      expect(await upgradeStatus(s.server.url(a.path), tokenProtocols('not-a-token'))).toBe(401);
    });
  });

  describe('frames', () => {
    it("answers a request with its reply, carrying the request's correlation id and seq 1", async () => {
      const c = await open();
      c.send(a.request('req-1', 'hello'));
      const reply = await c.nextOfType(a.replyType);
      expect(reply[f('correlation-id')]).toBe('req-1');
      expect(reply[f('sequence')]).toBe(1);
    });

    it('gives a request sent without a correlation id none: its reply carries none, a stream reply gets a server id s<n> on its chunks and end', async () => {
      const c = await open();
      const plain = a.request('x', 'no ref');
      delete plain[f('correlation-id')];
      c.send(plain);
      const reply = await c.nextOfType(a.replyType);
      expect(Object.keys(reply)).not.toContain(f('correlation-id'));
      c.send(a.streamRequestWithoutRef(2));
      const end = await c.nextOfType(role('stream-end'));
      const chunks = c.messages.filter((m) => c.typeOf(m) === role('stream-chunk'));
      expect(chunks).toHaveLength(2);
      expect(end[f('correlation-id')]).toMatch(/^s[0-9a-f]+$/);
      expect(chunks.map((m) => m[f('correlation-id')])).toEqual([end[f('correlation-id')], end[f('correlation-id')]]);
    });

    it('refuses an invalid message with INVALID_MESSAGE naming the path and keyword, without a seq; the connection stays open', async () => {
      const c = await open();
      c.send({ ...a.invalid.message, [f('correlation-id')]: 'bad-1' });
      const err = await errorOf(c, 'INVALID_MESSAGE');
      expect(err[f('correlation-id')]).toBe('bad-1');
      expect(err[f('sequence')]).toBeUndefined();
      const issue = (err[f('error-details')] as { errors: { path: string; keyword: string }[] }).errors[0]!;
      expect(issue).toMatchObject({ path: a.invalid.path, keyword: a.invalid.keyword });
      c.ws.send('not json');
      expect((await errorOf(c, 'INVALID_MESSAGE'))[f('error-details')]).toMatchObject({ errors: [{ keyword: 'json' }] });
      c.send(a.request('after-bad', 'still here'));
      expect((await c.nextOfType(a.replyType))[f('correlation-id')]).toBe('after-bad');
    });

    it('refuses a server-only type with UNSUPPORTED_TYPE', async () => {
      const c = await open();
      c.send(a.serverOnly());
      expect(await errorOf(c, 'UNSUPPORTED_TYPE')).toBeDefined();
    });

    it('answers the ping role with the pong role, echoing the correlation id', async () => {
      const c = await open();
      c.send(a.envelope({ [p.tag]: role('ping'), [f('correlation-id')]: 'hb-1' }));
      const pong = await c.nextOfType(role('pong'));
      expect(pong[f('correlation-id')]).toBe('hb-1');
      expect(pong[f('sequence')]).toBeUndefined();
    });

    it('closes on a binary frame with 1003 (RFC 6455 §7.4.1)', async () => {
      const c = await open();
      c.ws.send(Buffer.from([1, 2, 3]));
      expect((await c.closed).code).toBe(1003);
    });
  });

  describe('sessions and resume', () => {
    it('replays what was produced while the client was away, then the session-updated message says resumed', async () => {
      const token = s.issue();
      const c1 = await open(token);
      const created = await c1.nextOfType(role('session-created'));
      const sid = created[f('session-id')] as string;
      c1.send(a.request('r1', 'one'));
      expect((await c1.nextOfType(a.replyType))[f('sequence')]).toBe(1);
      await c1.close();
      expect(s.server.core.sendToSession(sid, a.endpointKey, a.notice('while away') as never)).toBe(true);
      const c2 = await open(token);
      const again = await c2.nextOfType(role('session-created'));
      expect(again[f('stream-epoch')]).toBe(created[f('stream-epoch')]);
      c2.send(a.envelope({ [p.tag]: role('session-resume'), [f('session-id')]: sid, [f('last-sequence')]: 1, [f('stream-epoch')]: created[f('stream-epoch')] }));
      const replayed = await c2.next((m) => m[f('sequence')] === 2);
      expect(c2.typeOf(replayed)).toBe(c2.typeOf(a.notice('x')));
      expect((await c2.nextOfType(role('session-updated')))[f('session-status')]).toBe('resumed');
    });

    it('answers a resume from another epoch with RECOVERY_FAILED epoch_mismatch, then resumed_with_gap', async () => {
      const c = await open();
      const created = await c.nextOfType(role('session-created'));
      c.send(a.envelope({ [p.tag]: role('session-resume'), [f('session-id')]: created[f('session-id')], [f('last-sequence')]: 5, [f('stream-epoch')]: 'AAAAAAAAAAAAAAAA' }));
      const err = await errorOf(c, 'RECOVERY_FAILED');
      expect(err[f('error-details')]).toMatchObject({ reason: 'epoch_mismatch', epoch: created[f('stream-epoch')] });
      expect((await c.nextOfType(role('session-updated')))[f('session-status')]).toBe('resumed_with_gap');
    });
  });

  describe('limits', () => {
    it('answers a flood with RATE_LIMITED, then closes with RATE_LIMIT_EXCEEDED from the close code table', async () => {
      const c = await open();
      for (let i = 0; i < 40; i++) c.send(a.request(`f${i}`, 'flood'));
      expect(await errorOf(c, 'RATE_LIMITED')).toBeDefined();
      expect((await c.closed).code).toBe(p.closeCodes['RATE_LIMIT_EXCEEDED']!.value);
    });

    it('closes on a frame over maxPayload with 1009', async () => {
      const c = await open();
      c.ws.send('x'.repeat(65 * 1024));
      expect((await c.closed).code).toBe(1009);
    });
  });

  describe('streaming', () => {
    it("streams n chunks indexed from 0 under the request's correlation id, then the stream end, all numbered", async () => {
      const c = await open();
      const req = a.streamRequest('st', 5);
      const ref = req[f('correlation-id')];
      c.send(req);
      const end = await c.nextOfType(role('stream-end'));
      const chunks = c.messages.filter((m) => c.typeOf(m) === role('stream-chunk'));
      expect(chunks.map((m) => m[f('stream-index')])).toEqual([0, 1, 2, 3, 4]);
      for (const m of [...chunks, end]) expect(m[f('correlation-id')]).toBe(ref);
      const seqs = [...chunks, end].map((m) => m[f('sequence')] as number);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    });
  });

  describe('metrics and shutdown', () => {
    it('counts inbound messages by type and open connections by endpoint', async () => {
      const c = await open();
      c.send(a.request('m1', 'count me'));
      await c.nextOfType(a.replyType);
      const { body } = await httpGet(s.server, '/metrics');
      expect(body).toContain(`wsgen_messages_in_total{type="${c.typeOf(a.request('x', 'y'))}"}`);
      expect(body).toMatch(new RegExp(`wsgen_connections\\{realm="[^"]+",endpoint="${a.endpointKey}"\\} 1`));
    });

    it('closes every client with 1012 and refuses new handshakes with 503 while shutting down', async () => {
      const own = await a.start();
      const c = await connectTo(own.server.url(a.path), own.issue(), p);
      clients.push(c);
      await c.nextOfType(role('session-created'));
      const closing = own.close();
      expect(await upgradeStatus(own.server.url(a.path), tokenProtocols(own.issue()))).toBe(503);
      expect((await c.closed).code).toBe(1012);
      await closing;
    });
  });
});
