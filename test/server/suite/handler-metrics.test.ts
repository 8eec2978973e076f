// handler_duration_seconds on the generic server (createServer, TRIAL9 finding 4): every handler is observed once,
// labelled by its message type and outcome, read from /metrics: a synchronous handler (reply, no reply, a value
// that is not a promise), a promise, a synchronous throw, a reply the schema refuses, a rejection, a deadline.
// The chat app times its agents itself (by agent): its core does not observe the same message again by type.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { protocol as board } from '../../../examples/whiteboard/generated/ts/index.js';
import { InMemorySessionValidator } from '../../../runtime/server/auth.js';
import type { ConnectionContext } from '../../../runtime/server/connection.js';
import { silentLogger } from '../../../runtime/server/logger.js';
import type { MessageHandler } from '../../../runtime/server/options.js';
import { createServer, type WsgenServer } from '../../../runtime/server/ws.js';
import { connect, startServer, ts } from '../helpers.js';
import { connectTo, type SuiteClient } from './client.js';

const TIMEOUT_MS = 300;

/** What a test makes the handler of request `ref` do. */
type Script = (c: ConnectionContext) => unknown;

/** The count and sum of `handler_duration_seconds{agent, outcome}` on the server's /metrics (0 when absent). */
async function scrape(url: string, agent: string, outcome: string): Promise<{ count: number; sum: number }> {
  const text = await (await fetch(url)).text();
  const read = (suffix: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`wsgen_handler_duration_seconds_${suffix}{agent="${agent}",outcome="${outcome}"}`));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { count: read('count'), sum: read('sum') };
}

describe('handler_duration_seconds observes every handler of createServer (by message type and outcome)', () => {
  const validator = new InMemorySessionValidator();
  const scripts = new Map<string, Script>();
  let server: WsgenServer;
  let c: SuiteClient;
  let metricsUrl: string;
  beforeAll(async () => {
    const handler: MessageHandler<{ ref?: string }> = (m, cc) => scripts.get(String(m.ref))?.(cc) as void;
    server = (await createServer({
      logger: silentLogger,
      protocol: board,
      validator,
      host: '127.0.0.1',
      port: 0,
      endpoints: { board: { path: '/boards/{format}', params: { format: 'ExportFormat' } } },
      handlers: { chat_send: handler as MessageHandler<unknown> },
      handlerTimeoutMs: TIMEOUT_MS,
      validateOutbound: true,
      heartbeatIntervalMs: 0,
      shutdown: { jitterMs: 10, deadlineMs: 300 },
    })) as unknown as WsgenServer;
    metricsUrl = server.url('/metrics').replace(/^ws:/, 'http:');
    c = await connectTo(server.url('/boards/svg'), validator.issue().token, board);
  });
  afterAll(async () => {
    await c.close();
    await server.close();
  });
  afterEach(() => {
    expect(c.invalid).toEqual([]);
    scripts.clear();
  });
  const reply = (ref: string) => ({ op: 'chat', ref, user: 'server', text: 'answer' });
  const failureOf = (ref: string) => c.next((m) => m['op'] === 'failure' && m['ref'] === ref);

  /** Sends request `ref` handled by `script`, waits for `done`, and returns the change of the (chat_send, outcome) series. */
  async function observed(ref: string, outcome: string, script: Script, done: () => Promise<unknown>): Promise<{ count: number; sum: number }> {
    const before = await scrape(metricsUrl, 'chat_send', outcome);
    scripts.set(ref, script);
    c.send({ op: 'chat_send', ref, text: 'hello' });
    await done();
    const after = await scrape(metricsUrl, 'chat_send', outcome);
    return { count: after.count - before.count, sum: after.sum - before.sum };
  }

  it('a synchronous handler that replies: ok, timed from the frame to its return', async () => {
    const d = await observed('sync-1', 'ok', (cc) => {
      const until = performance.now() + 30;
      while (performance.now() < until); // 30 ms of work inside the handler
      cc.reply(reply('sync-1'));
    }, () => c.next((m) => m['ref'] === 'sync-1'));
    expect(d.count).toBe(1);
    expect(d.sum).toBeGreaterThanOrEqual(0.03);
    expect(d.sum).toBeLessThan(5);
  });

  it('a synchronous handler that sends nothing, or returns a value that is not a promise: ok', async () => {
    expect((await observed('sync-2', 'ok', () => undefined, () => new Promise((r) => setTimeout(r, 50)))).count).toBe(1);
    expect((await observed('sync-3', 'ok', (cc) => (cc.reply(reply('sync-3')), 42), () => c.next((m) => m['ref'] === 'sync-3'))).count).toBe(1);
  });

  it('a promise that fulfils: ok, once', async () => {
    const d = await observed('async-1', 'ok', async (cc) => {
      await new Promise((r) => setTimeout(r, 20));
      cc.reply(reply('async-1'));
    }, () => c.next((m) => m['ref'] === 'async-1'));
    expect(d.count).toBe(1);
    expect(d.sum).toBeGreaterThanOrEqual(0.015);
  });

  it('a synchronous throw: error (with the INTERNAL_ERROR reply)', async () => {
    const d = await observed('throw-1', 'error', () => {
      throw new Error('boom');
    }, () => failureOf('throw-1'));
    expect(d.count).toBe(1);
  });

  it('a synchronous reply the schema refuses (outbound validation throws in the handler): error', async () => {
    const d = await observed('bad-1', 'error', (cc) => cc.reply({ op: 'chat', ref: 'bad-1' }), () => failureOf('bad-1'));
    expect(d.count).toBe(1);
  });

  it('a promise that rejects: error, once', async () => {
    const d = await observed('reject-1', 'error', async () => {
      await new Promise((r) => setImmediate(r));
      throw new Error('boom');
    }, () => failureOf('reject-1'));
    expect(d.count).toBe(1);
  });

  it('a promise past the deadline: timeout, once (not ok or error when it settles later)', async () => {
    let settle!: () => void;
    const d = await observed('hang-1', 'timeout', () => new Promise<void>((r) => (settle = r)), () => failureOf('hang-1'));
    expect(d.count).toBe(1);
    expect(d.sum).toBeGreaterThanOrEqual(TIMEOUT_MS / 1000);
    const ok = await scrape(metricsUrl, 'chat_send', 'ok');
    settle();
    await new Promise((r) => setTimeout(r, 20));
    expect(await scrape(metricsUrl, 'chat_send', 'ok')).toEqual(ok);
  });
});

describe('the chat app observes each agent request once, by agent (its core does not time the handler by type)', () => {
  it('one synchronous echo: agent="guide_agent" ok 1, no user_message series', async () => {
    const { echoAgent } = await import('../../../runtime/server/chat/reference.js');
    const s = await startServer({ agents: { guide_agent: echoAgent } });
    try {
      const cl = await connect(s.url('/api/ws/guide'), s.issue());
      await cl.nextOfType('session_created');
      cl.send({ type: 'user_message', timestamp: ts(), message_id: 'm-1', message: 'hi' });
      await cl.nextOfType('agent_message');
      const url = s.url('/metrics').replace(/^ws:/, 'http:');
      expect((await scrape(url, 'guide_agent', 'ok')).count).toBe(1);
      expect(await (await fetch(url)).text()).not.toContain('agent="user_message"');
      await cl.close();
    } finally {
      await s.close();
    }
  });
});
