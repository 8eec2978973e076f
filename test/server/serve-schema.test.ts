// `wsgen serve --schema` (README "wsgen serve --schema"): a user's protocol
// generated, its TS descriptor loaded, and served with echo handlers on the
// generic server. Served here: the `wsgen init` starter and the whiteboard
// fixture, reached with `ws` and the documented subprotocols.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scaffoldFiles } from '../../generator/cli/init.js';
import { generate } from '../../generator/index.js';
import { loadProtocol } from '../../generator/cli/load-protocol.js';
import type { ProtocolDescriptor } from '../../runtime/server/descriptor.js';
import { silentLogger } from '../../runtime/server/logger.js';
import type { Logger, LogFields } from '../../runtime/server/types.js';
import { replyCandidates, replyOf, serveProtocol } from '../../runtime/server/serve-schema.js';
import type { WsgenServer } from '../../runtime/server/ws.js';
import { ROOT, tempDir } from '../generator/helpers.js';
import { upgradeStatus } from './helpers.js';
import { SuiteClient } from './suite/client.js';

const WHITEBOARD = join(ROOT, 'test/fixtures/whiteboard/board.schema.json');
const REF = '6f1c3a52-3b8e-4c57-9f39-2f2b8d1e1a10';

/** The `wsgen init` scaffold written into a temp folder; returns its schema folder. */
function starterSchema(): string {
  const dir = tempDir('wsgen-starter-');
  for (const [rel, text] of scaffoldFiles()) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return join(dir, 'schema');
}

/**
 * The descriptor as a user's build sees it: the generated TS target written out, every `.ts` transpiled by the
 * `typescript` package, `protocol.js` imported (what `wsgen serve --schema` did before it assembled it itself).
 */
async function transpiledProtocol(schema: string): Promise<ProtocolDescriptor> {
  const ts = (await import('typescript')).default;
  const { files } = await generate({ schema, targets: ['ts'] });
  const dir = tempDir('wsgen-transpiled-');
  for (const [path, text] of files) {
    if (!path.startsWith('ts/') || path.endsWith('.d.ts')) continue;
    const isTs = path.endsWith('.ts');
    const target = join(dir, isTs ? path.slice(0, -3) + '.js' : path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, isTs ? ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText : text);
  }
  return ((await import(pathToFileURL(join(dir, 'ts/protocol.js')).href)) as { protocol: ProtocolDescriptor }).protocol;
}

/**
 * A Node `--import` module whose resolve hook refuses the `typescript` package, as in a project that does not
 * install it: `wsgen serve --schema` must not need it. Returns the module's file URL.
 */
function hideTypeScript(): string {
  const dir = tempDir('wsgen-no-ts-');
  writeFileSync(join(dir, 'hooks.mjs'), `export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' || specifier.startsWith('typescript/')) throw Object.assign(new Error('typescript is hidden'), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(specifier, context);
}
`);
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  return pathToFileURL(join(dir, 'register.mjs')).href;
}

const running: WsgenServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** Serves a schema as the CLI does and reads the endpoint URL and dev token from the printed banner. */
async function serveSchema(schema: string, logger: Logger = silentLogger): Promise<{ protocol: ProtocolDescriptor; url: string; token: string; banner: string[] }> {
  const protocol = (await loadProtocol(schema)) as ProtocolDescriptor;
  const banner: string[] = [];
  const { server } = await serveProtocol({ protocol, host: '127.0.0.1', port: 0, print: (l) => banner.push(l), handleSignals: false, logger });
  running.push(server);
  const url = /endpoint: (\S+)/.exec(banner.join('\n'))![1]!;
  const token = /dev token: (\S+)/.exec(banner.join('\n'))![1]!;
  return { protocol, url, token, banner };
}

/** Connects with the documented subprotocols `wsgen.v1` and `wsgen.token.<token>`. */
async function connect(url: string, token: string, protocol: ProtocolDescriptor): Promise<SuiteClient> {
  const ws = new WebSocket(url, ['wsgen.v1', `wsgen.token.${token}`]);
  const client = new SuiteClient(ws, protocol);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  expect(ws.protocol).toBe('wsgen.v1');
  return client;
}

describe('wsgen serve --schema: the init starter', () => {
  it('prints a 127.0.0.1 endpoint and a dev token; a client gets session_created, an echo as "said", and INVALID_MESSAGE for a bad frame', async () => {
    const { protocol, url, token, banner } = await serveSchema(starterSchema());
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(banner).toContain(`  metrics:  ${url.replace(/^ws/, 'http').replace(/\/ws$/, '/metrics')}`);
    expect(banner).toContain(`  health:   ${url.replace(/^ws/, 'http').replace(/\/ws$/, '/healthz')}`);
    expect(banner[0]).toMatch(/StarterMessage 0\.1\.0 .*capabilities: heartbeat, resume, error-replies/);
    const c = await connect(url, token, protocol);
    expect(c.typeOf(await c.next())).toBe('session_created');
    c.send({ type: 'say', id: REF, text: 'hello' });
    expect(await c.nextOfType('said')).toEqual({ type: 'said', id: REF, text: 'hello', seq: 1 });
    c.send({ type: 'say', id: REF, text: 5 });
    const refused = await c.nextOfType('failure');
    expect(refused).toMatchObject({ code: 'INVALID_MESSAGE', details: { errors: [{ path: '/text', keyword: 'type' }] } });
    expect(refused['seq']).toBeUndefined();
    c.send({ type: 'ping', id: REF });
    expect(await c.nextOfType('pong')).toEqual({ type: 'pong', id: REF });
    expect(c.invalid).toEqual([]);
    await c.close();
  });

  it('refuses an upgrade without the token (401) and other paths (404)', async () => {
    const { url, token } = await serveSchema(starterSchema());
    expect(await upgradeStatus(url, ['wsgen.v1'])).toBe(401);
    expect(await upgradeStatus(url.replace(/\/ws$/, '/other'), ['wsgen.v1', `wsgen.token.${token}`])).toBe(404);
  });
});

describe('wsgen serve --schema: the whiteboard fixture (tag op)', () => {
  it('welcomes, answers heartbeat, answers each message under the server type that carries it (user filled in), logs what it got, refuses an invalid frame', async () => {
    const received: LogFields[] = [];
    const logger: Logger = { log: (_level, event, fields) => void (event === 'serve_received' && received.push(fields ?? {})) };
    const { protocol, url, token } = await serveSchema(WHITEBOARD, logger);
    const c = await connect(url, token, protocol);
    expect(c.typeOf(await c.next())).toBe('welcome');
    c.send({ op: 'chat_send', ref: REF, text: 'hi' });
    expect(await c.nextOfType('chat')).toEqual({ op: 'chat', ref: REF, text: 'hi', user: 'dev-user', seq: 1 });
    c.send({ op: 'cursor_move', x: 3, y: 4 });
    // No ref sent: the message stays as sent (a server id only for a stream reply, runtime/server/README.md), so the echo has none.
    expect(await c.nextOfType('cursor_moved')).toEqual({ op: 'cursor_moved', x: 3, y: 4, user: 'dev-user', seq: 2 });
    const shape = { id: 's1', kind: 'rect', x: 0, y: 0, w: 10, h: 10 };
    c.send({ op: 'shape_add', shape });
    expect(await c.nextOfType('shape_added')).toMatchObject({ op: 'shape_added', shape, by: 'dev-user' });
    c.send({ op: 'shape_delete', id: 's1' });
    expect(await c.nextOfType('shape_deleted')).toMatchObject({ op: 'shape_deleted', id: 's1', by: 'dev-user' });
    c.send({ op: 'heartbeat', ref: REF });
    expect(await c.nextOfType('heartbeat_ack')).toEqual({ op: 'heartbeat_ack', ref: REF });
    // join_board's board and name fit no server type: the documented fallback.
    c.send({ op: 'join_board', ref: REF, board: 'b', name: 'n' });
    expect(await c.nextOfType('failure')).toMatchObject({ op: 'failure', ref: REF, code: 'UNSUPPORTED_TYPE', reason: expect.stringContaining('"join_board"') });
    c.send({ op: 'cursor_move', x: 'left', y: 1 });
    expect(await c.nextOfType('failure')).toMatchObject({ code: 'INVALID_MESSAGE', details: { errors: [{ path: '/x', keyword: 'type' }] } });
    c.send({ op: 'chat', user: 'mallory', text: 'forged' });
    expect(await c.nextOfType('failure')).toMatchObject({ code: 'UNSUPPORTED_TYPE' });
    expect(c.invalid).toEqual([]);
    expect(received.map((f) => [f['type'], f['reply']])).toEqual([
      ['chat_send', 'chat'],
      ['cursor_move', 'cursor_moved'],
      ['shape_add', 'shape_added'],
      ['shape_delete', 'shape_deleted'],
      ['join_board', null],
    ]);
    await c.close();
  });
});

describe('replyOf', () => {
  it('tries server types without a role, longest shared name prefix first, filling missing required fields with the user id', async () => {
    const protocol = (await loadProtocol(starterSchema())) as ProtocolDescriptor;
    expect(replyOf(protocol, { type: 'say', text: 'x' }, 'u1')).toEqual({ type: 'said', text: 'x' });
    // A field `said` does not have: no server type accepts it, filled or not.
    expect(replyOf(protocol, { type: 'say', text: 'x', extra: 1 }, 'u1')).toBeUndefined();
    const board = (await loadProtocol(WHITEBOARD)) as ProtocolDescriptor;
    expect(replyCandidates(board, 'shape_update').slice(0, 1)).toEqual(['shape_updated']);
    expect(replyCandidates(board, 'chat_send')).not.toContain('failure');
    expect(replyOf(board, { op: 'chat_send', ref: REF, text: 'hi' }, 'u1')).toEqual({ op: 'chat', ref: REF, text: 'hi', user: 'u1' });
    expect(replyOf(board, { op: 'shape_update', id: 's', patch: { x: 1 } }, 'u1')).toEqual({ op: 'shape_updated', id: 's', patch: { x: 1 }, by: 'u1' });
    // A required field the user id cannot fill (presence's participants array), and none other: no reply.
    expect(replyOf(board, { op: 'join_board', board: 'b', name: 'n' }, 'u1')).toBeUndefined();
    expect(replyOf(board, { op: 'export_board', ref: REF, format: 'svg' }, 'u1')).toBeUndefined();
    // Nothing of the message's own beside its tag and role fields: no user id fills another type's content.
    expect(replyOf(board, { op: 'chat_send', ref: REF }, 'u1')).toBeUndefined();
    expect(replyOf(board, { op: 'heartbeat' }, 'u1')).toBeUndefined();
    expect(replyOf(protocol, { type: 'say' }, 'u1')).toBeUndefined();
  });
});

describe('loadProtocol', () => {
  // The descriptor is assembled without transpiling TypeScript: it must be the one the generated protocol.ts exports.
  it.each([['the whiteboard', WHITEBOARD], ['the bundled protocol', join(ROOT, 'schema')], ['the init starter', '']])('equals the generated protocol.ts descriptor, key for key (%s)', async (_name, path) => {
    const schema = path || starterSchema();
    const loaded = (await loadProtocol(schema)) as ProtocolDescriptor;
    const transpiled = await transpiledProtocol(schema);
    const data = (p: ProtocolDescriptor) => JSON.parse(JSON.stringify(p)) as unknown;
    expect(data(loaded)).toEqual(data(transpiled));
    expect(Object.keys(loaded)).toEqual(Object.keys(transpiled));
    expect(typeof loaded.parse).toBe('function');
    // Each `is` gives the generated guard's verdict: on a valid message of every type, and on the same message under another tag.
    const samples = Object.keys(transpiled.messages);
    for (const type of samples) {
      for (const probe of [{ [transpiled.tag!]: type }, { [transpiled.tag!]: type, ref: REF, id: REF, message_id: REF, text: 'x' }]) {
        for (const other of samples) expect([type, other, loaded.messages[other]!.is(probe)]).toEqual([type, other, transpiled.messages[other]!.is(probe)]);
      }
    }
  });

  it('removes its temp folder once the descriptor is imported', async () => {
    const root = tempDir();
    const protocol = (await loadProtocol(WHITEBOARD, root)) as ProtocolDescriptor;
    expect(protocol.tag).toBe('op');
    expect(readdirSync(root)).toEqual([]);
  });

  it('passes schema errors through (WSGEN_IO for a missing schema)', async () => {
    await expect(loadProtocol(join(tempDir(), 'missing'))).rejects.toMatchObject({ code: 'WSGEN_IO' });
  });
});

describe('wsgen serve --schema (the built CLI)', () => {
  it('serves the whiteboard with the typescript package unresolvable, answers chat_send with chat, then shuts down on SIGTERM with exit 0', async () => {
    const p = spawn(process.execPath, ['--import', hideTypeScript(), join(ROOT, 'bin/wsgen.js'), 'serve', '--schema', WHITEBOARD, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = setTimeout(() => p.kill('SIGKILL'), 20_000);
    try {
      let out = '';
      const banner = await new Promise<string>((resolve, reject) => {
        p.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/dev token: \S+\n/.test(out)) resolve(out);
        });
        p.on('close', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const url = /endpoint: (\S+)/.exec(banner)![1]!;
      const token = /dev token: (\S+)/.exec(banner)![1]!;
      expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
      const protocol = (await loadProtocol(WHITEBOARD)) as ProtocolDescriptor;
      const c = await connect(url, token, protocol);
      expect(c.typeOf(await c.next())).toBe('welcome');
      c.send({ op: 'heartbeat', ref: REF });
      expect(await c.nextOfType('heartbeat_ack')).toEqual({ op: 'heartbeat_ack', ref: REF });
      c.send({ op: 'chat_send', ref: REF, text: 'hi' });
      expect(await c.nextOfType('chat')).toMatchObject({ op: 'chat', ref: REF, text: 'hi', user: 'dev-user' });
      const closed = new Promise<number | null>((resolve) => p.on('close', resolve));
      p.kill('SIGTERM');
      expect(await closed).toBe(0);
    } finally {
      clearTimeout(kill);
    }
  });

  // The signal handlers exist before the first banner line: a supervisor that signals as soon as it reads the
  // announcement gets a graceful close (exit 0), never the default action of SIGTERM (killed, code null).
  it.each([[[] as string[]], [['--schema', join(ROOT, 'test/fixtures/whiteboard')]]])('closes gracefully on a SIGTERM sent at its first line (%j)', async (extra) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'serve', '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = setTimeout(() => p.kill('SIGKILL'), 20_000);
    const closed = new Promise<number | null>((resolve) => p.on('close', resolve));
    await new Promise<void>((resolve) => p.stdout.once('data', () => resolve()));
    p.kill('SIGTERM');
    expect(await closed).toBe(0);
    clearTimeout(kill);
  });

  it('without --schema still serves the bundled chat app', async () => {
    const p = spawn(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = setTimeout(() => p.kill('SIGKILL'), 20_000);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/dev token: \S+\n/.test(out)) resolve();
      });
      p.on('close', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(out).toMatch(/guide: +ws:\/\/127\.0\.0\.1:\d+\/api\/ws\/guide/);
    expect(out).not.toMatch(/endpoint: /);
    const closed = new Promise<number | null>((resolve) => p.on('close', resolve));
    p.kill('SIGTERM');
    expect(await closed).toBe(0);
    clearTimeout(kill);
  });

  it('exits 2 with the schema error for a schema that does not exist', async () => {
    const p = spawn(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'serve', '--schema', join(tempDir(), 'missing'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/error WSGEN_IO/);
  });
});
