// Property: whatever valid message a client sends, every frame the runtime
// (chat.ts) and the reference agents (agents/reference.ts) build is valid per
// parseMessage, with outbound validation OFF, so that nothing but construction
// keeps them valid. Inputs sit at every limit: message text of exactly 32,768
// code points (ASCII without spaces, astral, spaces), empty-ish, every command
// form, file names of 255 code points, guide and liaison endpoints.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage, type WebSocketMessage } from '../../generated/ts/index.js';
import { referenceAgents } from '../../runtime/server/chat/reference.js';
import { tokenProtocols } from '../../runtime/server/auth.js';
import { silentLogger } from '../../runtime/server/logger.js';
import type { Protocol } from '../../generated/ts/index.js';
import type { AcceptedHandshake, ServerCore } from '../../runtime/server/core.js';
import { chatSessionValidator, makeChatServer, type ChatServerOptions } from '../../runtime/server/chat/server.js';
import { codePoints, MAX_TEXT, splitText, truncateText } from '../../runtime/server/text.js';
import type { TransportSocket } from '../../runtime/server/types.js';

/** The chat app's core (no sockets). */
const makeServer = (o: ChatServerOptions): ServerCore<Protocol> => makeChatServer(o).core;

/** An in-memory socket that keeps every frame's text. */
class Capture implements TransportSocket {
  readonly frames: string[] = [];
  bufferedAmount = 0;
  send(text: string): void {
    this.frames.push(text);
  }
  close(): void {}
  terminate(): void {}
  ping(): void {}
}

const MAX = MAX_TEXT;
/** A text of exactly `n` code points made of `unit` repeated (and cut). */
const repeat = (unit: string, n: number): string => {
  const units = [...unit];
  let s = '';
  for (let i = 0; i < n; i++) s += units[i % units.length];
  return s;
};

const unit = fc.constantFrom('x', '\u{1F600}', 'é', 'a b', ' ', 'x\u{1F600}', '"\\', '\u0000\u001f', '\u2028');
const atLimit = fc.record({ unit, n: fc.constantFrom(1, 2, MAX - 40, MAX - 6, MAX - 1, MAX) }).map(({ unit: u, n }) => repeat(u, n));
const small = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
const text = fc.oneof(atLimit, small);
const number = fc.oneof(fc.integer({ min: -5, max: 1005 }).map(String), fc.constantFrom('', 'abc', '1e3', 'NaN', 'Infinity', '-0', '0x10', ' 3', '3 ', '999999999999'));
const command = fc.oneof(
  text,
  text.map((t) => '/echo ' + t),
  fc.constantFrom('/echo', '/echo ', '/fail', '/hang', '/progress', '/stream', '/stream ', ' /fail', '/FAIL'),
  number.map((n) => '/stream ' + n),
);
const endpoint = fc.constantFrom('/api/ws/guide', '/api/ws/liaison/content', '/api/ws/liaison/business_outcomes');
const fileName = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), fc.constantFrom(repeat('\u{1F600}', 255), repeat('n', 255), repeat('a b', 255)));
const request = fc.oneof(
  fc.record({ kind: fc.constant('user_message' as const), message: command }),
  fc.record({ kind: fc.constant('file_selected' as const), fileName, message: fc.option(command, { nil: undefined }) }),
);

const TERMINAL = new Set(['agent_message', 'agent_complete', 'error_message']);

async function coreFor(): Promise<{ core: ServerCore<Protocol>; token: string }> {
  const validator = chatSessionValidator();
  const core = makeServer({
    logger: silentLogger,
    validator,
    agents: referenceAgents({ chunkDelayMs: 0 }),
    validateOutbound: false, // construction alone must keep every frame valid
    exposeErrors: true,
    handlerTimeoutMs: 100,
    heartbeatIntervalMs: 0,
    rateLimit: false,
    replay: { maxMessages: 8 },
    shutdown: { jitterMs: 0, deadlineMs: 100 },
  });
  return { core, token: validator.issue().token };
}

describe('reference agents and the chat runtime build only valid frames', () => {
  it('for every request at every limit (property)', async () => {
    const { core, token } = await coreFor();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(endpoint, request, async (path, req) => {
        const id = `p${++n}`;
        const msg: Record<string, unknown> =
          req.kind === 'user_message'
            ? { type: 'user_message', timestamp: new Date().toISOString(), message_id: id, message: req.message }
            : { type: 'file_selected', timestamp: new Date().toISOString(), message_id: id, file_uuid: '123e4567-e89b-12d3-a456-426614174000', file_name: req.fileName, ...(req.message !== undefined ? { message: req.message } : {}) };
        const frame = JSON.stringify(msg);
        fc.pre(parseMessage(frame).ok); // the input is a valid client message
        const hs = await core.handshake({ url: path, protocols: tokenProtocols(token) });
        if (!hs.ok) throw new Error(hs.reason);
        const sock = new Capture();
        const handle = core.open(sock, hs as AcceptedHandshake);
        handle.onMessage(frame, false);
        const deadline = Date.now() + 10_000;
        const done = () => sock.frames.some((f) => f.includes(`"message_id":"${id}"`) && TERMINAL.has((JSON.parse(f) as WebSocketMessage).type));
        while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
        handle.onClose(1000, '');
        expect(done()).toBe(true);
        for (const f of sock.frames) {
          const r = parseMessage(f);
          if (!r.ok) expect({ frame: f.slice(0, 200), length: f.length, errors: r.errors }).toBe('a valid frame');
        }
        const replies = sock.frames.map((f) => JSON.parse(f) as WebSocketMessage).filter((m) => 'message_id' in m && m.message_id === id);
        // Only /fail (and /hang's timeout) end in an error.
        const err = replies.find((m) => m.type === 'error_message');
        if (err !== undefined) expect(['/fail', '/hang']).toContain(req.message);
        // A streamed answer counts its chunks 0, 1, 2, ... without a hole.
        const idx = replies.flatMap((m) => (m.type === 'agent_streaming' ? [m.stream_index] : []));
        expect(idx).toEqual(idx.map((_, i) => i));
      }),
      { numRuns: 120, seed: 8_2026, endOnFailure: true },
    );
    await core.close();
  }, 120_000);

  it('the exact input of the issue: 32,768 characters without spaces to the guide agent', async () => {
    const { core, token } = await coreFor();
    const hs = (await core.handshake({ url: '/api/ws/guide', protocols: tokenProtocols(token) })) as AcceptedHandshake;
    const sock = new Capture();
    const handle = core.open(sock, hs);
    handle.onMessage(JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: 'big', message: 'x'.repeat(MAX) }), false);
    while (!sock.frames.some((f) => f.includes('"agent_complete"'))) await new Promise((r) => setTimeout(r, 2));
    const chunks = sock.frames.map((f) => JSON.parse(f) as WebSocketMessage).filter((m) => m.type === 'agent_streaming');
    for (const c of chunks) expect(codePoints(c.message)).toBeLessThanOrEqual(MAX);
    expect(chunks.map((c) => c.message).join('')).toBe(`Guide agent here. You said: ${'x'.repeat(MAX)}. This is a mock streamed answer.`);
    for (const f of sock.frames) expect(parseMessage(f).ok).toBe(true);
    await core.close();
  });

  it('a handler reply longer than one message becomes a stream; error texts with lone surrogates are repaired', async () => {
    const validator = chatSessionValidator();
    const long = repeat('\u{1F600}', MAX + 5);
    const core = makeServer({
      logger: silentLogger,
      validator,
      validateOutbound: false,
      exposeErrors: true,
      heartbeatIntervalMs: 0,
      shutdown: { jitterMs: 0, deadlineMs: 50 },
      agents: {
        guide_agent: (r) => {
          if (r.message.message === 'long') return { message: long, data: { n: 1 }, metadata: { m: 2 } };
          throw new Error(`bad \ud800 ${'\u{1F600}'.repeat(MAX)}`);
        },
      },
    });
    const hs = (await core.handshake({ url: '/api/ws/guide', protocols: tokenProtocols(validator.issue().token) })) as AcceptedHandshake;
    const sock = new Capture();
    const handle = core.open(sock, hs);
    handle.onMessage(JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: 'l', message: 'long' }), false);
    handle.onMessage(JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: 'e', message: 'throw' }), false);
    for (const f of sock.frames) expect(parseMessage(f).ok, f.slice(0, 100)).toBe(true);
    const ms = sock.frames.map((f) => JSON.parse(f) as WebSocketMessage);
    const chunks = ms.filter((m) => m.type === 'agent_streaming');
    expect(chunks.map((c) => codePoints(c.message))).toEqual([MAX, 5]);
    expect(chunks.map((c) => c.message).join('')).toBe(long);
    expect(ms.find((m) => m.type === 'agent_complete')).toMatchObject({ message_id: 'l', stream_index: 2, data: { n: 1 }, metadata: { m: 2 } });
    const err = ms.find((m) => m.type === 'error_message');
    expect(err?.type === 'error_message' && err.message.startsWith('agent failed: bad \uFFFD ')).toBe(true);
    await core.close();
  });
});

describe('text helpers count code points and never split a surrogate pair', () => {
  it('validation issues in an INVALID_MESSAGE reply are cut to 512 code points, whole characters only', async () => {
    const { invalidMessageReply } = await import('../../runtime/server/wire.js');
    const { core } = makeChatServer({ validator: chatSessionValidator(), heartbeatIntervalMs: 0 });
    const path = '/' + '\u{1F600}'.repeat(600);
    const reply = invalidMessageReply(core.protocol, [{ path, keyword: 'required', message: 'é'.repeat(600), params: {} }], undefined, undefined)!;
    await core.close();
    const issue = (reply['error_details'] as { errors: { path: string; message: string }[] }).errors[0]!;
    expect(codePoints(issue.path)).toBe(512);
    expect(path.startsWith(issue.path)).toBe(true);
    expect(codePoints(issue.message)).toBe(512);
    expect(parseMessage(JSON.stringify(reply)).ok).toBe(true);
  });

  it('truncateCloseReason keeps the longest prefix of whole characters within 123 UTF-8 bytes (RFC 6455 §5.5.1) (property)', async () => {
    const { truncateCloseReason } = await import('../../runtime/server/limits.js');
    const wellFormedString = fc.string({ unit: fc.constantFrom('a', 'é', '\u20ac', '\u{1F600}', ' '), maxLength: 200 });
    fc.assert(
      fc.property(wellFormedString, (s) => {
        const t = truncateCloseReason(s);
        expect(s.startsWith(t)).toBe(true);
        expect(Buffer.byteLength(t)).toBeLessThanOrEqual(123);
        const next = [...s.slice(t.length)][0];
        if (next !== undefined) expect(Buffer.byteLength(t + next)).toBeGreaterThan(123); // the longest such prefix
      }),
      { numRuns: 500 },
    );
  });

  it('truncateText and splitText (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 50 }), (s, max) => {
        const t = truncateText(s, max);
        expect(codePoints(t)).toBe(Math.min(max, codePoints(s)));
        expect(s.startsWith(t)).toBe(true);
        const parts = splitText(s, max);
        expect(parts.join('')).toBe(s);
        for (const p of parts) {
          expect(codePoints(p)).toBeLessThanOrEqual(max);
          expect(/\p{Cs}/u.test(p)).toBe(/\p{Cs}/u.test(s) && /\p{Cs}/u.test(p)); // no new lone surrogate
        }
        expect(codePoints(s)).toBe([...s].length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('outbound validation', () => {
  it('is on by default unless NODE_ENV is production; the option overrides; serve always turns it on', async () => {
    const { resolveOptions } = await import('../../runtime/server/options.js');
    const { serve } = await import('../../runtime/server/serve.js');
    const validator = chatSessionValidator();
    const before = process.env['NODE_ENV'];
    try {
      process.env['NODE_ENV'] = 'development';
      expect(resolveOptions({ validator }).validateOutbound).toBe(true);
      delete process.env['NODE_ENV'];
      expect(resolveOptions({ validator }).validateOutbound).toBe(true);
      process.env['NODE_ENV'] = 'production';
      expect(resolveOptions({ validator }).validateOutbound).toBe(false);
      expect(resolveOptions({ validator, validateOutbound: true }).validateOutbound).toBe(true);
      const { server } = await serve({ host: '127.0.0.1', port: 0, print: () => {}, handleSignals: false });
      expect(server.core.options.validateOutbound).toBe(true);
      await server.close();
      process.env['NODE_ENV'] = 'test';
      expect(resolveOptions({ validator, validateOutbound: false }).validateOutbound).toBe(false);
    } finally {
      if (before === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = before;
    }
  });

  it('a reply that fails validation or serialization is not sent and takes no seq: AGENT_ERROR instead, the process goes on', async () => {
    const validator = chatSessionValidator();
    const core = makeServer({
      logger: silentLogger,
      validator,
      heartbeatIntervalMs: 0,
      shutdown: { jitterMs: 0, deadlineMs: 50 },
      agents: {
        guide_agent: (r) =>
          r.message.message === 'invalid'
            ? { message: 'ok', metadata: 'not an object' as unknown as Record<string, unknown> } // metadata must be an object
            : { message: 'ok', data: 1n as unknown }, // JSON.stringify throws on a BigInt
      },
    });
    expect(core.options.validateOutbound).toBe(true); // vitest runs with NODE_ENV=test
    const hs = (await core.handshake({ url: '/api/ws/guide', protocols: tokenProtocols(validator.issue().token) })) as AcceptedHandshake;
    const sock = new Capture();
    const handle = core.open(sock, hs);
    const say = (message: string, id: string) => handle.onMessage(JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: id, message }), false);
    say('invalid', 'v');
    say('unserializable', 'b');
    const ms = sock.frames.map((f) => JSON.parse(f) as WebSocketMessage);
    expect(ms.map((m) => m.type)).toEqual(['session_created', 'error_message', 'error_message']);
    expect(ms[1]).toMatchObject({ error_code: 'AGENT_ERROR', message_id: 'v', seq: 1 });
    expect(ms[2]).toMatchObject({ error_code: 'AGENT_ERROR', message_id: 'b', seq: 2 });
    await core.close();
  });
});
