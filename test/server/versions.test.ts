// The schema-version handshake (PROTOCOL.md "Versions"): the rule table of
// judgeSchemaOffer, then the Node server against the TS client runtime, live on
// 127.0.0.1: a documentation-only change and an older minor version connect; a
// different major (or a newer minor) is closed with 4504 naming both versions,
// logged on the server, and ends the client in `failed` without a reconnect.
// The live part serves the whiteboard fixture (tag `op`, its own role names),
// so nothing depends on the bundled protocol's field names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { protocol as bundled } from '../../generated/ts/index.js';
import { protocol as whiteboard } from '../../examples/whiteboard/generated/ts/index.js';
import { ProtocolMismatchError, WebSocketService, type ProtocolDescriptor, type StatusEvent, type WsClientError } from '../../runtime/client/index.js';
import { InMemorySessionValidator, tokenProtocols } from '../../runtime/server/auth.js';
import type { ProtocolDescriptor as ServerDescriptor } from '../../runtime/server/descriptor.js';
import { judgeSchemaOffer, readSchemaOffer, versionCloseReason } from '../../runtime/server/versions.js';
import { createServer, type WsgenServer } from '../../runtime/server/ws.js';
import { waitFor } from '../client/helpers/wait.js';
import { ROOT } from '../generator/helpers.js';
import { captureLogger } from './helpers.js';

const H = bundled.schemaHash;
const OTHER = 'ab'.repeat(32);

describe('judgeSchemaOffer: which client versions a server on 2.3.1 serves', () => {
  const server = { version: '2.3.1', hash: H };
  it.each([
    ['no offer (an older client: it compares hashes itself)', undefined, undefined, true],
    ['the same semantic hash, another version (a documentation-only release)', '2.3.2', H, true],
    ['the same semantic hash, another major (only x-wsgen-version bumped: nothing validation reads changed)', '3.0.0', H, true],
    ['an older minor', '2.1.0', OTHER, true],
    ['an older patch of the same minor', '2.3.0', OTHER, true],
    ['a newer patch of the same minor', '2.3.4', OTHER, true],
    ['a version without a hash', '2.0.0', undefined, true],
    ['an older major', '1.9.0', OTHER, 'major'],
    ['a newer major', '3.0.0', OTHER, 'major'],
    ['a newer minor', '2.4.0', OTHER, 'newer'],
    ['the same version with another hash (no version bump)', '2.3.1', OTHER, 'unversioned-change'],
    ['not a semantic version', '2.3', OTHER, 'malformed'],
    ['a leading zero', '02.3.1', OTHER, 'malformed'],
    ['a version longer than 64 characters', '2.3.1-' + 'a'.repeat(60), OTHER, 'malformed'],
  ] as const)('%s', (_name, version, hash, expected) => {
    const v = judgeSchemaOffer(server, { version, hash });
    expect(v.ok ? true : v.refusal).toBe(expected);
  });

  it('with major 0 the minor is the major (npm caret ranges), and a pre-release counts by its numbers', () => {
    const zero = { version: '0.4.0', hash: H };
    expect(judgeSchemaOffer(zero, { version: '0.4.7', hash: OTHER }).ok).toBe(true);
    expect(judgeSchemaOffer(zero, { version: '0.3.0', hash: OTHER })).toMatchObject({ ok: false, refusal: 'major' });
    expect(judgeSchemaOffer({ version: '2.3.0-rc.1', hash: H }, { version: '2.1.0+build.5', hash: OTHER }).ok).toBe(true);
  });

  it('reads the offer from the subprotocol entries, and writes a close reason within 123 bytes', () => {
    expect(readSchemaOffer(['wsgen.v1', 'wsgen.token.t', 'wsgen.version.1.2.3', `wsgen.hash.${H}`])).toEqual({ version: '1.2.3', hash: H });
    expect(readSchemaOffer(['wsgen.v1'])).toEqual({ version: undefined, hash: undefined });
    expect(versionCloseReason('2.0.0', '1.4.0', 'major versions differ')).toBe('server=2.0.0 client=1.4.0: major versions differ');
    const long = versionCloseReason('2.0.0-' + 'x'.repeat(80), '1.0.0-' + 'y'.repeat(80), 'major versions differ');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123);
    expect(long).toMatch(/^server=2\.0\.0-x+~ client=1\.0\.0-y+~: major/);
  });
});

describe('PROTOCOL.md "Versions"', () => {
  it('names exactly the refusals the server writes in its close reasons', () => {
    const md = readFileSync(join(ROOT, 'schema/PROTOCOL.md'), 'utf8');
    const section = md.split('### Versions')[1]!.split('\n## ')[0]!;
    const documented = [...section.matchAll(/refuses it: `([^`]+)`/g)].map((m) => m[1]).sort();
    const server = { version: '2.3.1', hash: H };
    const written = [['1.0.0', OTHER], ['2.4.0', OTHER], ['2.3.1', OTHER], ['x', OTHER]].map(([version, hash]) => {
      const v = judgeSchemaOffer(server, { version, hash });
      return v.ok ? 'served' : v.message;
    });
    expect(documented).toEqual([...written].sort());
  });
});

const running: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
});

const WH = whiteboard.schemaHash;
/** The whiteboard protocol as a schema of another version and semantic hash would generate it. */
const variant = (version: string, schemaHash: string = OTHER) => ({ ...whiteboard, version, schemaHash });

/** A Node server on 127.0.0.1 serving `protocol` (export_board answered by export_done) with a captured logger. */
async function serve(protocol: ServerDescriptor): Promise<{ server: WsgenServer; url: string; token: string; logs: string[] }> {
  const validator = new InMemorySessionValidator();
  const logger = captureLogger();
  const handlers = { export_board: (m: Record<string, unknown>, c: { reply(m: Record<string, unknown>): void }) => c.reply({ op: 'export_done', ref: m['ref'] }) };
  const server = await createServer({ protocol, endpoints: { board: { path: '/ws' } }, handlers: handlers as never, validator, logger, validateOutbound: true });
  running.push(server);
  return { server, url: server.url('/ws'), token: validator.issue().token, logs: logger.lines };
}

/** A TS client runtime on `protocol`, recording statuses and errors. */
function client(protocol: ProtocolDescriptor): { svc: WebSocketService<ProtocolDescriptor, string>; statuses: StatusEvent[]; errors: WsClientError[] } {
  const svc = new WebSocketService<ProtocolDescriptor, string>(protocol, { browserProbes: false, defaults: { backoff: { minDelayMs: 10, maxDelayMs: 20 } } });
  running.push({ close: () => svc.dispose() });
  const statuses: StatusEvent[] = [];
  const errors: WsClientError[] = [];
  svc.onStatus('*', (e) => statuses.push(e));
  svc.onError('*', (e) => errors.push(e));
  return { svc, statuses, errors };
}

describe('Node server x TS client: the version handshake, live', () => {
  it.each([
    ['a documentation-only change (same semantic hash, another patch version)', '2.3.1', '2.3.2', true],
    ['a client on an older minor version of the same major', '2.3.1', '2.1.0', false],
  ])('%s connects and exchanges messages', async (_name, serverVersion, clientVersion, sameHash) => {
    const srv = await serve(variant(serverVersion, sameHash ? WH : OTHER));
    const c = client(variant(clientVersion, WH));
    await c.svc.connect('c', srv.url, { token: srv.token });
    const reply = await c.svc.request('c', { op: 'export_board', format: 'svg' } as never, { timeout: 5000 });
    expect(reply).toMatchObject({ op: 'export_done' });
    expect(c.errors).toEqual([]);
    expect(srv.logs.filter((l) => l.includes('protocol_mismatch'))).toEqual([]);
  });

  it.each([
    ['an older major', '1.4.0', 'major versions differ'],
    ['a newer major', '3.0.0', 'major versions differ'],
    ['a newer minor', '2.5.0', 'the client is on a newer minor version'],
  ])('%s is closed with 4504 naming both versions: logged by the server, terminal for the client', async (_name, clientVersion, why) => {
    const srv = await serve(variant('2.3.1'));
    const c = client(variant(clientVersion, WH));
    await expect(c.svc.connect('c', srv.url, { token: srv.token })).rejects.toBeInstanceOf(ProtocolMismatchError);
    const err = c.errors[0] as ProtocolMismatchError;
    expect(err).toBeInstanceOf(ProtocolMismatchError);
    expect(err.message).toBe(`protocol mismatch: server version 2.3.1, client version ${clientVersion} (${why}); not retrying`);
    expect([err.serverVersion, err.clientVersion]).toEqual(['2.3.1', clientVersion]);
    expect(c.svc.getConnectionStatus('c')).toBe('failed');
    expect(c.statuses.at(-1)).toMatchObject({ status: 'failed', closeCode: 4504 });
    const log = srv.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['event'] === 'protocol_mismatch');
    expect(log).toMatchObject({ level: 'warn', code: 4504, server_version: '2.3.1', client_version: clientVersion });
    expect(String(log?.['hint'])).toMatch(/regenerate|deploy/);
    // No reconnect loop: the close settled the connection as failed instead of scheduling a reconnect
    // (which counts reconnectAttempts and emits `reconnecting` synchronously).
    expect(c.svc.getConnectionHealth('c')).toMatchObject({ connectAttempts: 1, reconnectAttempts: 0 });
    expect(c.statuses.some((s) => s.status === 'reconnecting')).toBe(false);
    expect(srv.logs.filter((l) => l.includes('protocol_mismatch'))).toHaveLength(1);
    expect(await srv.server.core.metrics.text()).toMatch(/closes_total\{code="4504"\} 1/);
  });

  /** Opens a raw `ws` socket offering `protocols`: the first message, or the close (code, reason) when none came first. */
  async function firstEvent(url: string, protocols: string[]): Promise<{ protocol: string; message?: Record<string, unknown>; close?: [number, string] }> {
    const ws = new WebSocket(url, protocols);
    return new Promise((resolve, reject) => {
      ws.once('message', (d) => {
        resolve({ protocol: ws.protocol, message: JSON.parse(String(d)) as Record<string, unknown> });
        ws.close();
      });
      ws.once('close', (code, reason) => resolve({ protocol: ws.protocol, close: [code, String(reason)] }));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  it('an older client that offers no version is served (it compares the schema hash itself)', async () => {
    const srv = await serve(variant('3.0.0'));
    const first = await firstEvent(srv.url, tokenProtocols(srv.token));
    expect(first).toMatchObject({ protocol: 'wsgen.v1', message: { op: 'welcome', schema_sha: OTHER } });
  });

  it('the refusal comes after the upgrade (wsgen.v1 selected), before any message, and only once token and endpoint are accepted', async () => {
    const srv = await serve(variant('2.3.1'));
    const offer = (token: string): string[] => [...tokenProtocols(token), 'wsgen.version.1.0.0', `wsgen.hash.${WH}`];
    expect(await firstEvent(srv.url, offer(srv.token))).toEqual({ protocol: 'wsgen.v1', close: [4504, 'server=2.3.1 client=1.0.0: major versions differ'] });
    await expect(firstEvent(srv.url, offer('not-a-token'))).rejects.toThrow('HTTP 401');
    await expect(firstEvent(srv.url.replace(/\/ws$/, '/other'), offer(srv.token))).rejects.toThrow('HTTP 404');
    const served = await firstEvent(srv.url, [...tokenProtocols(srv.token), 'wsgen.version.2.0.3', `wsgen.hash.${WH}`]);
    expect(served).toMatchObject({ protocol: 'wsgen.v1', message: { op: 'welcome', schema_sha: OTHER } });
    const log = srv.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['event'] === 'protocol_mismatch');
    expect(log).toEqual([
      expect.objectContaining({ refusal: 'major', server_version: '2.3.1', client_version: '1.0.0', server_hash: OTHER, client_hash: WH }),
    ]);
  });

  it('the client offers its version and hash after the token entries', async () => {
    const srv = await serve(variant('2.3.1', WH));
    const offered: string[][] = [];
    srv.server.httpServer.prependListener('upgrade', (req) => offered.push(String(req.headers['sec-websocket-protocol']).split(/,\s*/)));
    const c = client(variant('2.3.1', WH));
    await c.svc.connect('c', srv.url, { token: srv.token });
    expect(offered[0]).toEqual(['wsgen.v1', `wsgen.token.${srv.token}`, 'wsgen.version.2.3.1', `wsgen.hash.${WH}`]);
  });
});
