import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentType, ErrorCode, PILLAR_TYPE_VALUES, type WebSocketMessage } from '../../generated/ts/index.js';
import type { AgentHandler } from '../../runtime/server/chat.js';
import { referenceAgents } from '../../runtime/server/chat/reference.js';
import { connect, invalidInbound, startServer, ts, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  const agents = referenceAgents({ chunkDelayMs: 1 });
  const data: AgentHandler = () => ({ message: 'with data', data: { rows: [1, 2] }, metadata: { source: 'test' } });
  t = await startServer({ agents, pillars: { business_outcomes: data }, handlerTimeoutMs: 200 });
});
afterAll(() => t.close());
afterEach(() => expect(invalidInbound).toEqual([]));

const chunksOf = (msgs: WebSocketMessage[], id: string) => msgs.filter((m) => (m.type === 'agent_streaming' || m.type === 'agent_complete') && m.message_id === id);

describe('routing to agents', () => {
  it('streams agent_streaming chunks in order, then agent_complete, with the request message_id and increasing seq', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.say('/stream 25', 'req-1');
    await c.next((m) => m.type === 'agent_complete' && m.message_id === 'req-1');
    const got = chunksOf(c.messages, 'req-1');
    expect(got).toHaveLength(26);
    got.slice(0, 25).forEach((m, i) => expect(m).toMatchObject({ type: 'agent_streaming', stream_index: i, is_streaming: true, message: `chunk ${i} `, agent: 'guide_agent' }));
    // The generic stream reply (streams.ts) ends the stream: agent_complete carries the number of chunks.
    expect(got[25]).toMatchObject({ type: 'agent_complete', is_streaming: false, stream_index: 25, agent: 'guide_agent', realm: 'experience' });
    expect(new Set(got.map((m) => m.session_id)).size).toBe(1);
    const seqs = got.map((m) => ('seq' in m ? m.seq : -1));
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    await c.close();
  });

  it('keeps two concurrent streams each in order', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.say('/stream 10', 'a');
    c.say('/stream 10', 'b');
    await c.next((m) => m.type === 'agent_complete' && m.message_id === 'a');
    await c.next((m) => m.type === 'agent_complete' && m.message_id === 'b', 5000).catch(() => undefined);
    for (const id of ['a', 'b']) {
      const idx = chunksOf(c.messages, id).filter((m) => m.type === 'agent_streaming').map((m) => (m.type === 'agent_streaming' ? m.stream_index : -1));
      expect(idx).toEqual([...Array(10).keys()]);
    }
    await c.close();
  });

  it('gives a request without a message_id none, but a server id s<n> to a stream reply (its chunks and end)', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.say('/echo hi');
    const m = await c.nextOfType('agent_message');
    expect(m.message).toBe('hi');
    expect(Object.keys(m)).not.toContain('message_id');
    c.say('/fail');
    const err = await c.nextOfType('error_message');
    expect(Object.keys(err)).not.toContain('message_id');
    c.say('/stream 2');
    const end = await c.nextOfType('agent_complete');
    expect(end.message_id).toMatch(/^s[0-9a-f]+$/);
    const chunks = c.messages.filter((x) => x.type === 'agent_streaming');
    expect(chunks.map((x) => x.message_id)).toEqual([end.message_id, end.message_id]);
    await c.close();
  });

  it.each(PILLAR_TYPE_VALUES.filter((p) => p !== 'business_outcomes'))('routes /api/ws/liaison/%s to its liaison agent', async (pillar) => {
    const c = await connect(t.url(`/api/ws/liaison/${pillar}`), t.issue());
    c.say('/echo ok', 'e1');
    expect(await c.nextOfType('agent_message')).toMatchObject({ message: 'ok', pillar, agent: `${pillar}_liaison`, message_id: 'e1' });
    await c.close();
  });

  it('prefers a per-pillar handler, passing data and metadata through', async () => {
    const c = await connect(t.url('/api/ws/liaison/business_outcomes'), t.issue());
    c.say('anything', 'd1');
    expect(await c.nextOfType('agent_message')).toMatchObject({ message: 'with data', data: { rows: [1, 2] }, metadata: { source: 'test' }, agent: AgentType.BUSINESS_OUTCOMES_LIAISON });
    await c.close();
  });

  it('refuses a user_message naming another pillar with FORBIDDEN', async () => {
    const c = await connect(t.url('/api/ws/liaison/content'), t.issue());
    c.send({ type: 'user_message', timestamp: ts(), message: 'x', pillar: 'insights', message_id: 'f1' });
    expect(await c.nextOfType('error_message')).toMatchObject({ error_code: ErrorCode.FORBIDDEN, message_id: 'f1' });
    await c.close();
  });

  it.each([
    ['/fail', ErrorCode.AGENT_ERROR],
    ['/hang', ErrorCode.AGENT_TIMEOUT],
  ])('turns %s into %s without closing the connection', async (cmd, code) => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.say(cmd, 'h1');
    expect(await c.nextOfType('error_message', 3000)).toMatchObject({ error_code: code, message_id: 'h1' });
    c.say('/echo still here', 'h2');
    expect(await c.nextOfType('agent_message')).toMatchObject({ message: 'still here', message_id: 'h2' });
    await c.close();
  });

  it('emits progress_update events from a handler, then the reply', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.say('/progress', 'p1');
    await c.nextOfType('agent_message');
    expect(c.messages.filter((m) => m.type === 'progress_update').map((m) => (m.type === 'progress_update' ? m.progress : 0))).toEqual([0.25, 0.5, 0.75, 1]);
    await c.close();
  });

  it('answers AGENT_UNAVAILABLE when no agent serves the endpoint', async () => {
    const bare = await startServer({ agents: {} });
    const c = await connect(bare.url('/api/ws/guide'), bare.issue());
    c.say('hello', 'u1');
    expect(await c.nextOfType('error_message')).toMatchObject({ error_code: ErrorCode.AGENT_UNAVAILABLE, message_id: 'u1' });
    await c.close();
    await bare.close();
  });

  it('times out a stream that stops producing chunks', async () => {
    const stall: AgentHandler = () =>
      (async function* () {
        yield 'first';
        await new Promise(() => {});
      })();
    const s = await startServer({ agents: { guide_agent: stall }, handlerTimeoutMs: 150 });
    const c = await connect(s.url('/api/ws/guide'), s.issue());
    c.say('go', 's1');
    expect(await c.nextOfType('agent_streaming')).toMatchObject({ message: 'first', stream_index: 0 });
    expect(await c.nextOfType('error_message')).toMatchObject({ error_code: ErrorCode.AGENT_TIMEOUT, message_id: 's1' });
    await c.close();
    await s.close();
  });
  it('routes each message by its endpoint and the handlers registered at that moment (registration after traffic, alternating endpoints)', async () => {
    // The service remembers the routing of the last endpoint it dispatched on: a registration must replace it, and a
    // message on another endpoint must not reuse it.
    const s = await startServer({ agents: { guide_agent: () => 'first' } });
    const guide = await connect(s.url('/api/ws/guide'), s.issue());
    const content = await connect(s.url('/api/ws/liaison/content'), s.issue());
    guide.say('a', 'g1');
    expect(await guide.nextOfType('agent_message')).toMatchObject({ message: 'first', message_id: 'g1', agent: 'guide_agent' });
    s.server.chat.service.registerAgent(AgentType.GUIDE_AGENT, () => 'second');
    guide.say('c', 'g2');
    expect(await guide.nextOfType('agent_message')).toMatchObject({ message: 'second', message_id: 'g2' });
    content.say('b', 'c1');
    expect(await content.nextOfType('error_message')).toMatchObject({ error_code: ErrorCode.AGENT_UNAVAILABLE, message_id: 'c1' });
    s.server.chat.service.registerPillar('content', () => 'content pillar');
    content.say('d', 'c2');
    expect(await content.nextOfType('agent_message')).toMatchObject({ message: 'content pillar', message_id: 'c2', agent: 'content_liaison', pillar: 'content' });
    guide.say('e', 'g3');
    expect(await guide.nextOfType('agent_message')).toMatchObject({ message: 'second', message_id: 'g3', agent: 'guide_agent' });
    // The latency histogram counts each reply under its own agent.
    const text = await s.server.core.metrics.text();
    expect(text).toMatch(/wsgen_handler_duration_seconds_count\{agent="guide_agent",outcome="ok"\} 3\n/);
    expect(text).toMatch(/wsgen_handler_duration_seconds_count\{agent="content_liaison",outcome="ok"\} 1\n/);
    await guide.close();
    await content.close();
    await s.close();
  });
});
