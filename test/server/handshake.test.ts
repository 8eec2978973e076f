import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode, Realm, SCHEMA_HASH } from '../../generated/ts/index.js';
import { tokenProtocols } from '../../runtime/server/auth.js';
import { connect, invalidInbound, sleep, startServer, ts, upgradeStatus, type TestServer } from './helpers.js';

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startServer({ allowedOrigins: ['https://app.example'], maxConnectionsPerUser: 2 });
  token = t.issue({ userId: 'alice' });
});
afterAll(() => t.close());
afterEach(() => expect(invalidInbound).toEqual([]));

describe('handshake refusals (before the upgrade)', () => {
  it.each([
    ['no token', '/api/ws/guide', (): string[] | undefined => undefined, {}, 401],
    ['bad token', '/api/ws/guide', (): string[] | undefined => tokenProtocols('not-a-token'), {}, 401],
    ['bad query token', '/api/ws/guide?session_token=nope', (): string[] | undefined => undefined, {}, 401],
    ['unknown pillar', '/api/ws/liaison/finance', () => tokenProtocols(token), {}, 404],
    ['unknown path', '/api/ws/other', () => tokenProtocols(token), {}, 404],
    ['liaison without pillar', '/api/ws/liaison/', () => tokenProtocols(token), {}, 404],
    // Outside the app's prefix too, as the Python server's create_app and websocket_routes answer (test_handshake.py, test_whiteboard.py).
    ['a path outside /api/ws/', '/nowhere', () => tokenProtocols(token), {}, 404],
    ['the root path', '/', () => tokenProtocols(token), {}, 404],
    ['foreign Origin', '/api/ws/guide', () => tokenProtocols(token), { origin: 'https://evil.example' }, 403],
    ['allowed Origin', '/api/ws/guide', () => tokenProtocols(token), { origin: 'https://app.example' }, 101],
    ['no Origin (non-browser)', '/api/ws/liaison/insights', () => tokenProtocols(token), {}, 101],
  ] as const)('%s -> %i', async (_name, path, protocols, headers, status) => {
    expect(await upgradeStatus(t.url(path), protocols(), headers)).toBe(status);
  });

  it('refuses an expired token with 401 and a session without permission with 403', async () => {
    const expired = t.issue({ ttlMs: -1 });
    expect(await upgradeStatus(t.url('/api/ws/guide'), tokenProtocols(expired))).toBe(401);
    const guideOnly = t.issue({ permissions: ['guide'] });
    expect(await upgradeStatus(t.url('/api/ws/liaison/content'), tokenProtocols(guideOnly))).toBe(403);
    expect(await upgradeStatus(t.url('/api/ws/guide'), tokenProtocols(guideOnly))).toBe(101);
  });
});

describe('accepted handshake', () => {
  it.each(['protocol', 'query'] as const)('accepts the token via %s and sends session_created first', async (via) => {
    const tok = t.issue({ realm: Realm.SMART_CITY });
    const c = await connect(t.url('/api/ws/liaison/content'), tok, { via });
    const first = await c.next();
    expect(first).toMatchObject({ type: 'session_created', realm: 'smart_city', schema_hash: SCHEMA_HASH, seq: 0, pillar: 'content', agent: 'content_liaison' });
    if (via === 'protocol') expect(c.ws.protocol).toBe('wsgen.v1');
    await c.close();
  });

  it('refuses the per-user connection limit with TOO_MANY_CONNECTIONS', async () => {
    const bob = t.validator.issue({ userId: 'bob' });
    const bob2 = t.validator.issue({ userId: 'bob' });
    const bob3 = t.validator.issue({ userId: 'bob' });
    const a = await connect(t.url('/api/ws/guide'), bob.token);
    const b = await connect(t.url('/api/ws/guide'), bob2.token);
    const c = await connect(t.url('/api/ws/guide'), bob3.token);
    expect((await c.closed).code).toBe(CloseCode.TOO_MANY_CONNECTIONS);
    await Promise.all([a.close(), b.close()]);
  });

  it('replaces an older connection of the same session and endpoint with REPLACED', async () => {
    const tok = t.issue();
    const a = await connect(t.url('/api/ws/guide'), tok);
    await a.nextOfType('session_created');
    const b = await connect(t.url('/api/ws/guide'), tok);
    expect((await a.closed).code).toBe(CloseCode.REPLACED);
    b.send({ type: 'ping', timestamp: ts(), message_id: 'p1' });
    expect(await b.nextOfType('pong')).toMatchObject({ message_id: 'p1' });
    await b.close();
  });

  it('closes a session that expires while connected with SESSION_EXPIRED after session_expired', async () => {
    const tok = t.issue({ ttlMs: 300 });
    const c = await connect(t.url('/api/ws/guide'), tok);
    const exp = await c.nextOfType('session_expired', 3000);
    expect(exp.session_id).toBeTypeOf('string');
    expect((await c.closed).code).toBe(CloseCode.SESSION_EXPIRED);
  });

  it.each([
    ['session_token', { session_token: 'someone-elses-token' }],
    ['session_id', { session_id: 'another-session' }],
  ])('rejects a message whose %s is not the connection’s', async (_f, extra) => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.send({ type: 'user_message', timestamp: ts(), message: 'hi', message_id: 'x1', ...extra });
    expect(await c.nextOfType('error_message')).toMatchObject({ error_code: ErrorCode.UNAUTHORIZED, message_id: 'x1' });
    c.send({ type: 'ping', timestamp: ts(), message_id: 'still-open' });
    expect(await c.nextOfType('pong')).toMatchObject({ message_id: 'still-open' });
    await c.close();
  });

  it('accepts a message carrying the connection’s own token and session id', async () => {
    const { token: tok, session } = t.validator.issue();
    const c = await connect(t.url('/api/ws/guide'), tok);
    c.send({ type: 'user_message', timestamp: ts(), message: '/echo same', message_id: 'own', session_token: tok, session_id: session.sessionId });
    expect(await c.nextOfType('agent_message')).toMatchObject({ message: 'same', message_id: 'own' });
    await c.close();
  });

  it('never logs tokens', async () => {
    const secret = t.issue();
    const c = await connect(t.url('/api/ws/guide'), secret, { via: 'query' });
    c.send({ type: 'user_message', timestamp: ts(), message: 'hi', session_token: 'wrong-' + secret });
    await c.nextOfType('error_message');
    await c.close();
    await upgradeStatus(t.url('/api/ws/guide?session_token=bad' + secret), undefined);
    await upgradeStatus(t.url('/api/ws/other'), tokenProtocols(secret));
    await sleep(20);
    const all = t.logs.join('\n');
    expect(t.logs.length).toBeGreaterThan(3);
    expect(all).not.toContain(secret);
  });
});

describe('a session the schema cannot carry', () => {
  it('is refused with 401 and an INTERNAL_ERROR log (never a session_created that breaks the schema)', async () => {
    for (const bad of [{ sessionId: 'x'.repeat(129) }, { sessionId: '' }, { realm: 'no_such_realm' as Realm }]) {
      const tok = t.issue(bad);
      expect(await upgradeStatus(t.url('/api/ws/guide'), tokenProtocols(tok)), JSON.stringify(bad).slice(0, 40)).toBe(401);
    }
    expect(t.logs.filter((l) => l.includes('"event":"invalid_session"') && l.includes('"code":"INTERNAL_ERROR"'))).toHaveLength(3);
    expect(await upgradeStatus(t.url('/api/ws/guide'), tokenProtocols(t.issue({ sessionId: 'x'.repeat(128) })))).toBe(101);
  });
});
