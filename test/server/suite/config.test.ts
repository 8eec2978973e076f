// createServer's options are checked against the protocol: at compile time
// (handlers typed by the descriptor) and at construction (ConfigError,
// WSGEN_CONFIG); the server runtime compiles under erasableSyntaxOnly and
// verbatimModuleSyntax (tsconfig.server.json), as a Vite react-ts app requires.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { protocol, type Protocol } from '../../../generated/ts/index.js';
import { InMemorySessionValidator } from '../../../runtime/server/auth.js';
import { makeServer, type ServerCore } from '../../../runtime/server/core.js';
import type { ProtocolDescriptor } from '../../../runtime/server/descriptor.js';
import { ConfigError } from '../../../runtime/server/errors.js';
import type { MessageHandlers } from '../../../runtime/server/options.js';
import { whiteboardProtocol } from './adapters.js';

const ROOT = join(import.meta.dirname, '../../..');
const cores: ServerCore<ProtocolDescriptor>[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

/** Builds a core, expecting a ConfigError at `where`. */
function refused(o: Parameters<typeof makeServer>[0], where: string): ConfigError {
  try {
    cores.push(makeServer(o) as ServerCore<ProtocolDescriptor>);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect({ code: e.code, where: e.where }).toEqual({ code: 'WSGEN_CONFIG', where });
    expect(e.hint.length).toBeGreaterThan(0);
    return e;
  }
  throw new Error('expected a ConfigError');
}

describe('handlers are typed by the descriptor', () => {
  it('a handler sees its own message type; a server-only or misspelt type does not compile', () => {
    const handlers: MessageHandlers<Protocol> = { user_message: (m) => void (m.message satisfies string), file_selected: (m) => void (m.file_name satisfies string) };
    // @ts-expect-error agent_message is sent by the server only
    const serverOnly: MessageHandlers<Protocol> = { agent_message: () => {} };
    // @ts-expect-error misspelt type
    const misspelt: MessageHandlers<Protocol> = { user_mesage: () => {} };
    expect([handlers, serverOnly, misspelt].map((h) => Object.keys(h).length)).toEqual([2, 1, 1]);
  });
});

describe('ConfigError (WSGEN_CONFIG) at construction', () => {
  const base = { protocol: protocol as ProtocolDescriptor, validator: new InMemorySessionValidator(), heartbeatIntervalMs: 0 };
  it.each([
    ['a parameter naming an enum the protocol lacks', { p: { path: '/x/{a}', params: { a: 'Nope' } } }, 'endpoints.p.params.a'],
    ['a parameter without a params entry', { p: { path: '/x/{a}' } }, 'endpoints.p'],
    ['a parameter with no value', { p: { path: '/x/{a}', params: { a: [] } } }, 'endpoints.p.params.a'],
    ['two endpoints on one path', { p: { path: '/x' }, q: { path: '/x' } }, 'endpoints.q'],
    ['a placeholder that is not a whole segment', { p: { path: '/x/room-{a}', params: { a: ['1'] } } }, 'endpoints.p.path'],
    ['a placeholder with a bad name', { p: { path: '/x/{a-b}', params: { 'a-b': ['1'] } } }, 'endpoints.p.path'],
    ['an unclosed placeholder', { p: { path: '/x/{a', params: { a: ['1'] } } }, 'endpoints.p.path'],
    ['a parameter named twice in a path', { p: { path: '/x/{a}/{a}', params: { a: ['1'] } } }, 'endpoints.p.path'],
    ['a params entry the path does not use', { p: { path: '/x/{a}', params: { a: ['1'], b: ['2'] } } }, 'endpoints.p.params.b'],
    ['params on a path without parameters', { p: { path: '/x', params: { a: 'PillarType' } } }, 'endpoints.p.params.a'],
    ['a value listed twice', { p: { path: '/x/{a}', params: { a: ['1', '2', '1'] } } }, 'endpoints.p.params.a'],
    ['the empty string as a value', { p: { path: '/x/{a}', params: { a: ['1', ''] } } }, 'endpoints.p.params.a'],
    ['an object without a path', { p: { params: {} } }, 'endpoints.p'],
    ['a path that is no string', { p: { path: 7 } }, 'endpoints.p'],
    ['null', { p: null }, 'endpoints.p'],
    ['a number', { p: 3 }, 'endpoints.p'],
  ])('refuses %s', (_n, endpoints, where) => {
    refused({ ...base, endpoints: endpoints as never }, where);
  });

  it('takes a path string as an endpoint without parameters (as the Python create_server does)', () => {
    const core = makeServer({ ...base, endpoints: { shop: '/shop', guide: { path: '/g' } } });
    cores.push(core as ServerCore<ProtocolDescriptor>);
    expect([...core.endpoints.values()].map((e) => [e.key, e.path, e.params])).toEqual([['shop', '/shop', {}], ['guide', '/g', {}]]);
  });

  it.each([
    ['an unknown type', 'teleport'],
    ['a server-only type', 'agent_message'],
    ['a role message the runtime answers (ping)', 'ping'],
    ['a role message the runtime answers (resume)', 'session_resume'],
  ])('refuses a handler for %s', (_n, type) => {
    const e = refused({ ...base, endpoints: { e: { path: '/e' } }, handlers: { [type]: () => {} } }, `handlers.${type}`);
    // The hint lists only the types a handler may be registered for: no server-only type, no role the runtime answers.
    const answered = ['ping', 'pong', 'session_resume'];
    const handled = Object.keys(protocol.messages).filter((t) => ['client', 'both'].includes(protocol.messages[t as keyof typeof protocol.messages].direction) && !answered.includes(t));
    expect(e.hint.split(': ')[1]!.split(', ')).toEqual(handled);
  });

  it('uses the role names of the protocol: the whiteboard refuses a handler for its heartbeat', async () => {
    const board = await whiteboardProtocol();
    refused({ protocol: board, validator: new InMemorySessionValidator(), endpoints: { e: { path: '/e' } }, handlers: { heartbeat: () => {} } }, 'handlers.heartbeat');
  });
});

describe('runtime/server compiles under erasableSyntaxOnly and verbatimModuleSyntax', () => {
  it('tsc -p tsconfig.server.json reports nothing', () => {
    const out = (() => {
      try {
        return execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.server.json')], { encoding: 'utf8', stdio: 'pipe' });
      } catch (err) {
        return String((err as { stdout?: string }).stdout ?? err);
      }
    })();
    expect(out).toBe('');
  }, 120_000);
});

describe('the core reads only the descriptor', () => {
  it('no module of runtime/server outside the chat app (chat/, chat.ts, serve.ts, index.ts) imports generated/', () => {
    const dir = join(ROOT, 'runtime/server');
    const app = new Set(['chat.ts', 'serve.ts', 'index.ts']);
    const core = readdirSync(dir).filter((f) => f.endsWith('.ts') && !app.has(f));
    expect(core.length).toBeGreaterThan(15);
    const offenders = core.filter((f) => /from '[^']*generated\//.test(readFileSync(join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
