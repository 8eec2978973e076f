// `wsgen serve --schema` (README "wsgen serve --schema"): a user's protocol
// generated, its TS descriptor loaded, and served with echo handlers on the
// generic server. Served here: the `wsgen init` starter and the whiteboard
// fixture, reached with `ws` and the documented subprotocols.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scaffoldFiles } from '../../generator/cli/init.js';
import { loadProtocol } from '../../generator/cli/load-protocol.js';
import type { ProtocolDescriptor } from '../../runtime/server/descriptor.js';
import { silentLogger } from '../../runtime/server/logger.js';
import { echoOf, serveProtocol } from '../../runtime/server/serve-schema.js';
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

const running: WsgenServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** Serves a schema as the CLI does and reads the endpoint URL and dev token from the printed banner. */
async function serveSchema(schema: string): Promise<{ protocol: ProtocolDescriptor; url: string; token: string; banner: string[] }> {
  const protocol = (await loadProtocol(schema)) as ProtocolDescriptor;
  const banner: string[] = [];
  const { server } = await serveProtocol({ protocol, host: '127.0.0.1', port: 0, print: (l) => banner.push(l), handleSignals: false, logger: silentLogger });
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
  it('welcomes, answers heartbeat, answers a message no server type accepts with UNSUPPORTED_TYPE under its ref, refuses an invalid frame', async () => {
    const { protocol, url, token } = await serveSchema(WHITEBOARD);
    const c = await connect(url, token, protocol);
    expect(c.typeOf(await c.next())).toBe('welcome');
    c.send({ op: 'chat_send', ref: REF, text: 'hi' });
    expect(await c.nextOfType('failure')).toMatchObject({ op: 'failure', ref: REF, code: 'UNSUPPORTED_TYPE', reason: expect.stringContaining('"chat_send"') });
    c.send({ op: 'heartbeat', ref: REF });
    expect(await c.nextOfType('heartbeat_ack')).toEqual({ op: 'heartbeat_ack', ref: REF });
    c.send({ op: 'cursor_move', x: 'left', y: 1 });
    expect(await c.nextOfType('failure')).toMatchObject({ code: 'INVALID_MESSAGE', details: { errors: [{ path: '/x', keyword: 'type' }] } });
    c.send({ op: 'chat', user: 'mallory', text: 'forged' });
    expect(await c.nextOfType('failure')).toMatchObject({ code: 'UNSUPPORTED_TYPE' });
    expect(c.invalid).toEqual([]);
    await c.close();
  });
});

describe('echoOf', () => {
  it('picks the first server type (schema order, no role types) whose validator accepts the fields, else nothing', async () => {
    const protocol = (await loadProtocol(starterSchema())) as ProtocolDescriptor;
    expect(echoOf(protocol, { type: 'say', text: 'x' })).toEqual({ type: 'said', text: 'x' });
    // A field `said` does not have: no server type accepts it.
    expect(echoOf(protocol, { type: 'say', text: 'x', extra: 1 })).toBeUndefined();
    const board = (await loadProtocol(WHITEBOARD)) as ProtocolDescriptor;
    // chat_send {ref, text} lacks chat's required `user`; cursor_move {x, y} lacks cursor_moved's `user`.
    expect(echoOf(board, { op: 'chat_send', ref: REF, text: 'hi' })).toBeUndefined();
    expect(echoOf(board, { op: 'cursor_move', x: 1, y: 2, user: 'u' })).toEqual({ op: 'cursor_moved', x: 1, y: 2, user: 'u' });
  });
});

describe('loadProtocol', () => {
  it('is WSGEN_DEPENDENCY with a hint when the typescript package cannot be loaded', async () => {
    await expect(loadProtocol(WHITEBOARD, () => Promise.reject(new Error("Cannot find package 'typescript'")))).rejects.toMatchObject({
      code: 'WSGEN_DEPENDENCY',
      hint: expect.stringContaining('npm install --save-dev typescript'),
    });
  });

  it('removes its temp folder once the descriptor is imported', async () => {
    const root = tempDir();
    const protocol = (await loadProtocol(WHITEBOARD, undefined, root)) as ProtocolDescriptor;
    expect(protocol.tag).toBe('op');
    expect(readdirSync(root)).toEqual([]);
  });

  it('passes schema errors through (WSGEN_IO for a missing schema)', async () => {
    await expect(loadProtocol(join(tempDir(), 'missing'))).rejects.toMatchObject({ code: 'WSGEN_IO' });
  });
});

describe('wsgen serve --schema (the built CLI)', () => {
  it('serves the whiteboard, then shuts down on SIGTERM with exit 0', async () => {
    const p = spawn(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'serve', '--schema', WHITEBOARD, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
