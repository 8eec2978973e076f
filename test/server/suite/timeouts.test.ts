// Handler deadlines of the generic server (handlerTimeoutMs): a handler whose
// promise never settles gets an error reply with the configured code, its
// stream's in-flight count drops, and the latency histogram records a timeout;
// a stream reply that keeps producing is not cut, one that stalls is stopped.
// Run on the bundled protocol (code AGENT_TIMEOUT) and the whiteboard (the
// default, INTERNAL_ERROR) over createServer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { protocol as board } from '../../../examples/whiteboard/generated/ts/index.js';
import { protocol as bundled } from '../../../generated/ts/index.js';
import { InMemorySessionValidator } from '../../../runtime/server/auth.js';
import type { ConnectionContext } from '../../../runtime/server/connection.js';
import type { ProtocolDescriptor } from '../../../runtime/server/descriptor.js';
import { ConfigError } from '../../../runtime/server/errors.js';
import { silentLogger } from '../../../runtime/server/logger.js';
import type { MessageHandler } from '../../../runtime/server/options.js';
import type { Message } from '../../../runtime/server/roles.js';
import { createServer, type WsgenServer } from '../../../runtime/server/ws.js';
import { connectTo, type SuiteClient } from './client.js';

const TIMEOUT_MS = 400;

/** What a test makes the handler of request `ref` do. */
type Script = (c: ConnectionContext) => void | Promise<void>;

/** A deferred: a promise and its resolve. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface Case {
  name: string;
  protocol: ProtocolDescriptor;
  code: string;
  path: string;
  endpointKey: string;
  start(validator: InMemorySessionValidator, handler: MessageHandler<Message>, timeoutMs?: number): Promise<WsgenServer>;
  request(ref: string): Message;
  /** The type of the plain reply the scripts send. */
  replyType: string;
  reply(ref: string): Message;
}

const ts = (): string => new Date().toISOString();

const cases: Case[] = [
  {
    name: 'bundled (AGENT_TIMEOUT)',
    protocol: bundled,
    code: 'AGENT_TIMEOUT',
    path: '/api/ws/guide',
    endpointKey: 'guide',
    start: (validator, handler, timeoutMs = TIMEOUT_MS) =>
      createServer({
        logger: silentLogger,
        protocol: bundled,
        validator,
        endpoints: { guide: { path: '/api/ws/guide' } },
        handlers: { user_message: handler as MessageHandler<unknown> },
        decorate: (m, scope) => {
          m['timestamp'] = ts();
          if (m['type'] === 'session_created' && scope !== undefined) Object.assign(m, { realm: scope.session.realm, agent: 'guide_agent' });
        },
        handlerTimeoutMs: timeoutMs,
        handlerTimeoutCode: 'AGENT_TIMEOUT',
        validateOutbound: true,
        heartbeatIntervalMs: 0,
        shutdown: { jitterMs: 10, deadlineMs: 300 },
      }) as unknown as Promise<WsgenServer>,
    request: (ref) => ({ type: 'user_message', timestamp: ts(), message_id: ref, message: 'hello' }),
    replyType: 'system_message',
    reply: (ref) => ({ type: 'system_message', timestamp: ts(), message_id: ref, message: 'answer' }),
  },
  {
    name: 'whiteboard (INTERNAL_ERROR, the default)',
    protocol: board,
    code: 'INTERNAL_ERROR',
    path: '/boards/svg',
    endpointKey: 'board:svg',
    start: (validator, handler, timeoutMs = TIMEOUT_MS) =>
      createServer({
        logger: silentLogger,
        protocol: board,
        validator,
        endpoints: { board: { path: '/boards/{format}', params: { format: 'ExportFormat' } } },
        handlers: { chat_send: handler as MessageHandler<unknown>, export_board: handler as MessageHandler<unknown> },
        handlerTimeoutMs: timeoutMs,
        validateOutbound: true,
        heartbeatIntervalMs: 0,
        shutdown: { jitterMs: 10, deadlineMs: 300 },
      }) as unknown as Promise<WsgenServer>,
    request: (ref) => ({ op: 'chat_send', ref, text: 'hello' }),
    replyType: 'chat',
    reply: (ref) => ({ op: 'chat', ref, user: 'server', text: 'answer' }),
  },
];

describe.each(cases)('handler deadlines: $name', (k) => {
  const p = k.protocol;
  const f = (r: keyof typeof p.fields): string => p.fields[r]!;
  const validator = new InMemorySessionValidator({ defaultRealm: 'experience' });
  const scripts = new Map<string, Script>();
  let server: WsgenServer;
  let clients: SuiteClient[] = [];
  beforeAll(async () => {
    server = await k.start(validator, (m, c) => scripts.get(String(m[f('correlation-id')]))?.(c));
  });
  afterAll(() => server.close());
  afterEach(async () => {
    for (const c of clients) expect(c.invalid).toEqual([]);
    await Promise.all(clients.map((c) => c.close()));
    clients = [];
    scripts.clear();
  });
  const open = async (): Promise<{ c: SuiteClient; sessionId: string }> => {
    const { token, session } = validator.issue();
    const c = await connectTo(server.url(k.path), token, p);
    clients.push(c);
    return { c, sessionId: session.sessionId };
  };
  const errorOf = (c: SuiteClient, ref: string): Promise<Message> => c.next((m) => c.typeOf(m) === p.roles.error && m[f('correlation-id')] === ref);
  const streamInFlight = (sessionId: string): number => server.core.sessions.findStream(sessionId, k.endpointKey)!.inFlight;

  it('a handler that never settles gets the timeout code with its correlation id and a seq; the in-flight counts drop; the histogram records a timeout', async () => {
    const { c, sessionId } = await open();
    const started = deferred();
    scripts.set('hang-1', () => {
      started.resolve();
      return new Promise<void>(() => {});
    });
    c.send(k.request('hang-1'));
    await started.promise;
    expect(server.core.inFlight).toBe(1);
    expect(streamInFlight(sessionId)).toBe(1);
    const err = await errorOf(c, 'hang-1');
    expect(err[f('error-code')]).toBe(k.code);
    expect(typeof err[f('sequence')]).toBe('number');
    expect(server.core.inFlight).toBe(0);
    expect(streamInFlight(sessionId)).toBe(0);
    expect(await server.core.metrics.text()).toMatch(new RegExp(`handler_duration_seconds_count\\{agent="${String(k.request('x')[p.tag])}",outcome="timeout"\\} 1`));
    scripts.set('after-1', (cc) => cc.reply(k.reply('after-1')));
    c.send(k.request('after-1'));
    expect((await c.nextOfType(k.replyType))[f('correlation-id')]).toBe('after-1');
  });

  it('a handler that settles in time leaves the in-flight counts at once and gets no error', async () => {
    const { c, sessionId } = await open();
    scripts.set('ok-1', async (cc) => {
      await new Promise((r) => setImmediate(r));
      cc.reply(k.reply('ok-1'));
    });
    c.send(k.request('ok-1'));
    expect((await c.nextOfType(k.replyType))[f('correlation-id')]).toBe('ok-1');
    expect(server.core.inFlight).toBe(0);
    expect(streamInFlight(sessionId)).toBe(0);
  });

  it('a handler that rejects gets INTERNAL_ERROR and leaves the in-flight counts', async () => {
    const { c, sessionId } = await open();
    scripts.set('fail-1', async () => {
      await new Promise((r) => setImmediate(r));
      throw new Error('boom');
    });
    c.send(k.request('fail-1'));
    expect((await errorOf(c, 'fail-1'))[f('error-code')]).toBe('INTERNAL_ERROR');
    expect(server.core.inFlight).toBe(0);
    expect(streamInFlight(sessionId)).toBe(0);
  });

  it('a handler returning a value that is not a promise is done: its reply, no error, nothing in flight', async () => {
    const { c, sessionId } = await open();
    scripts.set('value-1', (cc) => {
      cc.reply(k.reply('value-1'));
      return 42 as unknown as void; // what a JavaScript handler returns when its last expression is a value
    });
    c.send(k.request('value-1'));
    expect((await c.nextOfType(k.replyType))[f('correlation-id')]).toBe('value-1');
    scripts.set('value-2', (cc) => cc.reply(k.reply('value-2')));
    c.send(k.request('value-2'));
    expect((await c.nextOfType(k.replyType))[f('correlation-id')]).toBe('value-2');
    expect(c.messages.filter((m) => c.typeOf(m) === p.roles.error)).toEqual([]);
    expect(server.core.inFlight).toBe(0);
    expect(streamInFlight(sessionId)).toBe(0);
  });

  it('session expiry drops its pending requests: nothing in flight once the connection is closed, no timeout reply', async () => {
    // No handler deadline on this server, so only the expiry can end the request.
    const validator2 = new InMemorySessionValidator({ defaultRealm: 'experience' });
    const started = deferred();
    const s = await k.start(validator2, () => {
      started.resolve();
      return new Promise<void>(() => {});
    }, 0);
    const c = await connectTo(s.url(k.path), validator2.issue({ ttlMs: 1500 }).token, p);
    c.send(k.request('hang-3'));
    await Promise.race([started.promise, c.closed.then(() => Promise.reject(new Error('the session expired before the request reached its handler')))]);
    expect(s.core.inFlight).toBe(1);
    expect((await c.closed).code).toBe(p.closeCodes['SESSION_EXPIRED']!.value);
    expect(s.core.inFlight).toBe(0);
    expect(c.messages.filter((m) => c.typeOf(m) === p.roles.error)).toEqual([]);
    expect(c.invalid).toEqual([]);
    await s.close();
  });

  it('shutdown drops pending requests: the in-flight count is 0 once close() settles', async () => {
    const validator2 = new InMemorySessionValidator({ defaultRealm: 'experience' });
    const started = deferred();
    const s = await k.start(validator2, () => {
      started.resolve();
      return new Promise<void>(() => {});
    });
    const c = await connectTo(s.url(k.path), validator2.issue().token, p);
    c.send(k.request('hang-2'));
    await started.promise;
    expect(s.core.inFlight).toBe(1);
    await s.close();
    expect(s.core.inFlight).toBe(0);
  });
});

describe('stream replies under the deadline (whiteboard)', () => {
  const validator = new InMemorySessionValidator();
  const scripts = new Map<string, Script>();
  let server: WsgenServer;
  beforeAll(async () => {
    server = await cases[1]!.start(validator, (m, c) => scripts.get(String(m['ref']))?.(c));
  });
  afterAll(() => server.close());

  it('a stream that keeps producing runs past the deadline: every chunk, then the stream end, no failure', async () => {
    const c = await connectTo(server.url('/boards/svg'), validator.issue().token, board);
    const parts = 6;
    scripts.set('long-1', (cc) =>
      cc
        .replyStream(
          'long-1',
          (async function* () {
            for (let i = 0; i < parts; i++) {
              await new Promise((r) => setTimeout(r, TIMEOUT_MS / 4));
              yield `<part ${i}/>`;
            }
          })(),
        )
        .then(() => undefined),
    );
    c.send({ op: 'export_board', ref: 'long-1', format: 'svg' });
    const done = await c.nextOfType('export_done', 10_000);
    expect(done).toMatchObject({ ref: 'long-1', part: parts });
    expect(c.messages.filter((m) => m['op'] === 'export_chunk')).toHaveLength(parts);
    expect(c.messages.filter((m) => m['op'] === 'failure')).toEqual([]);
    expect(c.invalid).toEqual([]);
    await c.close();
  });

  it('a stream that stalls gets the timeout reply; it sends nothing more and its generator is closed', async () => {
    const c = await connectTo(server.url('/boards/svg'), validator.issue().token, board);
    const gate = deferred();
    const closed = deferred();
    scripts.set('stall-1', (cc) =>
      cc
        .replyStream(
          'stall-1',
          (async function* () {
            try {
              yield '<part 0/>';
              await gate.promise;
              yield '<part 1/>';
              yield '<part 2/>';
            } finally {
              closed.resolve();
            }
          })(),
        )
        .then(() => undefined),
    );
    c.send({ op: 'export_board', ref: 'stall-1', format: 'svg' });
    const failure = await c.next((m) => m['op'] === 'failure' && m['ref'] === 'stall-1', 10_000);
    expect(failure['code']).toBe('INTERNAL_ERROR');
    gate.resolve();
    await closed.promise;
    scripts.set('after-2', (cc) => cc.reply({ op: 'chat', ref: 'after-2', user: 'server', text: 'still here' }));
    c.send({ op: 'chat_send', ref: 'after-2', text: 'hi' });
    await c.next((m) => m['ref'] === 'after-2');
    expect(c.messages.filter((m) => m['op'] === 'export_chunk').map((m) => m['part'])).toEqual([0]);
    expect(c.messages.filter((m) => m['op'] === 'export_done')).toEqual([]);
    expect(server.core.inFlight).toBe(0);
    expect(c.invalid).toEqual([]);
    await c.close();
  });
});

describe('handlerTimeoutCode is checked against the protocol', () => {
  it('refuses a code the protocol lacks (WSGEN_CONFIG at handlerTimeoutCode)', async () => {
    const start = createServer({ protocol: board, validator: new InMemorySessionValidator(), endpoints: { e: { path: '/e' } }, handlerTimeoutCode: 'AGENT_TIMEOUT', heartbeatIntervalMs: 0 });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toMatchObject({ code: 'WSGEN_CONFIG', where: 'handlerTimeoutCode' });
  });
});
