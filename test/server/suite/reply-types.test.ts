// A handler's `reply` and `replyStream` are typed by the protocol descriptor (runtime/server/reply-types.ts): only
// types a server may send, their fields as the schema says; chunks of the stream-chunk message's stream-content
// type; the stream end's own fields. The compile-time half is checked by `tsc -p tsconfig.json` (every expected
// error below must be one), on the bundled protocol and the whiteboard (tag `op`). The run-time half: the
// end fields reach the client in the stream end, and the runtime's own fields (tag, correlation id, index) win.
import { afterAll, describe, expect, it } from 'vitest';
import { type Protocol as Board } from '../../../examples/whiteboard/generated/ts/index.js';
import { protocol as bundled, type Protocol } from '../../../generated/ts/index.js';
import { InMemorySessionValidator } from '../../../runtime/server/auth.js';
import type { MessageHandlers } from '../../../runtime/server/options.js';
import { createServer, type WsgenServer } from '../../../runtime/server/ws.js';
import { connectTo, type SuiteClient } from './client.js';

const ts = (): string => new Date().toISOString();

describe('reply and replyStream are typed by the descriptor (compile time)', () => {
  it('a client-only type, an unknown type, a wrong field type, a wrong chunk or end field does not compile', () => {
    const chat: MessageHandlers<Protocol> = {
      user_message: (m, c) => {
        c.reply({ type: 'system_message', timestamp: ts(), message: 'ok', message_id: m.message_id }); // seq left to the stream
        // @ts-expect-error user_message is sent by clients only
        c.reply({ type: 'user_message', timestamp: ts(), message: 'echo' });
        // @ts-expect-error no such message type
        c.reply({ type: 'system_mesage', timestamp: ts(), message: 'x' });
        // @ts-expect-error message must be a string
        c.reply({ type: 'system_message', timestamp: ts(), message: 42 });
        // @ts-expect-error timestamp is required
        c.reply({ type: 'system_message', message: 'x' });
        void c.replyStream(String(m.message_id), ['a', 'b'], { message: 'done', agent: 'guide_agent', timestamp: ts() });
        // @ts-expect-error a chunk is the stream-content (message: string) of agent_streaming
        void c.replyStream('r', [{ kind: 'x' }]);
        // @ts-expect-error agent_complete has no field `kind`
        void c.replyStream('r', ['a'], { kind: 'x' });
        // @ts-expect-error the correlation id of the end is the runtime's
        void c.replyStream('r', ['a'], { message_id: 'other' });
      },
    };
    const boards: MessageHandlers<Board> = {
      export_board: (m, c) => {
        void c.replyStream(m.ref, ['<svg/>']);
        // @ts-expect-error a whiteboard chunk is export_chunk's `data`: a string
        void c.replyStream(m.ref, [1, 2]);
        // @ts-expect-error join_board is sent by clients only
        c.reply({ op: 'join_board', board: 'b' });
      },
    };
    expect([chat, boards].map((h) => Object.keys(h))).toEqual([['user_message'], ['export_board']]);
  });
});

describe('replyStream end fields (run time, bundled protocol)', () => {
  let server: WsgenServer<Protocol> | undefined;
  let client: SuiteClient | undefined;
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('the stream end carries the end fields; its tag, correlation id and index stay the runtime’s', async () => {
    const validator = new InMemorySessionValidator({ defaultRealm: 'experience' });
    const handlers: MessageHandlers<Protocol> = {
      user_message: (m, c) => {
        const wrong = { message_id: 'not-mine', stream_index: 99, type: 'system_message' } as unknown as Record<string, never>; // what the types refuse, forced
        void c.replyStream(String(m.message_id), ['a', 'b'], { message: 'done', agent: 'guide_agent', timestamp: ts(), data: { n: 2 }, ...wrong });
      },
    };
    server = await createServer({
      protocol: bundled,
      validator,
      host: '127.0.0.1',
      port: 0,
      endpoints: { guide: { path: '/api/ws/guide' } },
      handlers,
      decorate: (m, scope) => {
        m['timestamp'] = ts();
        if (m['type'] === 'session_created' && scope !== undefined) Object.assign(m, { realm: scope.session.realm, agent: 'guide_agent' });
        if (m['type'] === 'agent_streaming') Object.assign(m, { agent: 'guide_agent', is_streaming: true });
      },
      validateOutbound: true,
      heartbeatIntervalMs: 0,
      shutdown: { jitterMs: 10, deadlineMs: 300 },
    });
    client = await connectTo(server.url('/api/ws/guide'), validator.issue().token, bundled);
    client.send({ type: 'user_message', timestamp: ts(), message_id: 'r1', message: 'go' });
    const end = await client.next((m) => m['type'] === 'agent_complete');
    expect(end).toMatchObject({ type: 'agent_complete', message_id: 'r1', stream_index: 2, message: 'done', agent: 'guide_agent', data: { n: 2 } });
    expect(client.invalid).toEqual([]);
  });
});
