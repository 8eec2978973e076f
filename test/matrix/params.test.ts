// The endpoint-parameter rule on both servers (TRIAL9 finding 2): a message whose field is named like a path
// parameter of its endpoint and holds another value is refused with FORBIDDEN, by the Node `createServer` (params.ts)
// and the FastAPI `create_app` (pipeline.py `_forbidden`) alike, with the same reply. The fixture
// (test/fixtures/params) has fields whose wire names are no Python attribute names (`class` → `class_`, `from`),
// a correlation id `ref-id` (attribute `f_ref_2d_id_`: every reply must carry it), an integer parameter (`level`:
// the field 2 against the path text "2") and a type without a handler (`ping`:
// FORBIDDEN comes before "no handler serves"). Both servers get every frame; their replies must be equal and as
// the table says.
import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { InMemorySessionValidator, tokenProtocols } from '../../runtime/server/auth.js';
import { silentLogger } from '../../runtime/server/logger.js';
import { createServer, type WsgenServer } from '../../runtime/server/ws.js';
import { tempDir } from '../generator/helpers.js';
import { fixtureProtocol } from '../server/suite/fixture-protocol.js';

const REPO = join(import.meta.dirname, '../..');
const ENDPOINTS = {
  x: { path: '/ws/x/{lobby}', params: { lobby: ['l1', 'l2'] } },
  c: { path: '/ws/c/{class}', params: { class: 'PlayerClass' } },
  l: { path: '/ws/l/{level}', params: { level: ['1', '2'] } },
  f: { path: '/ws/f/{from}', params: { from: ['a', 'b'] } },
} as const;

/** [path, frame, the reply every server sends]. */
const CASES: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['/ws/x/l1', { type: 'join', 'ref-id': 'q1', lobby: 'l2' }, { type: 'failure', 'ref-id': 'q1', code: 'FORBIDDEN', reason: 'lobby l2 is not served on x:l1' }],
  ['/ws/x/l1', { type: 'join', 'ref-id': 'q2', lobby: 'l1' }, { type: 'joined', 'ref-id': 'q2', text: 'ok' }],
  ['/ws/x/l1', { type: 'join', 'ref-id': 'q3' }, { type: 'joined', 'ref-id': 'q3', text: 'ok' }],
  ['/ws/c/mage', { type: 'join', 'ref-id': 'q4', class: 'rogue', lobby: 'l2' }, { type: 'failure', 'ref-id': 'q4', code: 'FORBIDDEN', reason: 'class rogue is not served on c:mage' }],
  ['/ws/c/mage', { type: 'join', 'ref-id': 'q5', class: 'mage' }, { type: 'joined', 'ref-id': 'q5', text: 'ok' }],
  ['/ws/l/1', { type: 'join', 'ref-id': 'q6', level: 2 }, { type: 'failure', 'ref-id': 'q6', code: 'FORBIDDEN', reason: 'level 2 is not served on l:1' }],
  ['/ws/l/1', { type: 'join', 'ref-id': 'q7', level: 1 }, { type: 'joined', 'ref-id': 'q7', text: 'ok' }],
  ['/ws/f/a', { type: 'join', 'ref-id': 'q8', from: 'b' }, { type: 'failure', 'ref-id': 'q8', code: 'FORBIDDEN', reason: 'from b is not served on f:a' }],
  ['/ws/f/a', { type: 'ping', 'ref-id': 'q9', from: 'b' }, { type: 'failure', 'ref-id': 'q9', code: 'FORBIDDEN', reason: 'from b is not served on f:a' }],
  ['/ws/f/a', { type: 'ping', 'ref-id': 'q10', from: 'a' }, { type: 'failure', 'ref-id': 'q10', code: 'UNSUPPORTED_TYPE', reason: 'no handler serves ping on f:a' }],
];

let node: WsgenServer;
let nodeToken: string;
let py: ChildProcess | undefined;
let pyPort = 0;
let pyToken = '';

/** Starts params_server.py on the generated Python package; resolves once it printed READY. */
async function startPython(generated: string): Promise<void> {
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: [generated, join(REPO, 'runtime/python/src')].join(delimiter) };
  const proc = spawn(join(REPO, '.venv/bin/python'), [join(REPO, 'test/matrix/params_server.py')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  py = proc;
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`params_server.py did not start:\n${out}`)), 30_000);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+) (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        pyPort = Number(m[1]);
        pyToken = m[2]!;
        resolve();
      }
    });
    proc.stderr?.on('data', (d: Buffer) => void (out += d.toString()));
    proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`params_server.py exited (${code}):\n${out}`))));
  });
}

/** The first message a server sends after `frame` on a new connection to `url`. */
async function firstReply(url: string, token: string, frame: Record<string, unknown>): Promise<unknown> {
  const ws = new WebSocket(url, tokenProtocols(token));
  try {
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply from ${url}`)), 10_000);
      ws.once('message', (d) => (clearTimeout(timer), resolve(JSON.parse(d.toString()))));
    });
    ws.send(JSON.stringify(frame));
    return await reply;
  } finally {
    ws.close();
  }
}

beforeAll(async () => {
  const protocol = await fixtureProtocol('params');
  const validator = new InMemorySessionValidator();
  nodeToken = validator.issue().token;
  node = await createServer({
    logger: silentLogger,
    protocol,
    endpoints: ENDPOINTS,
    handlers: { join: (m, c) => c.reply({ type: 'joined', 'ref-id': m['ref-id'], text: 'ok' }) },
    validator,
    validateOutbound: true,
    heartbeatIntervalMs: 0,
    host: '127.0.0.1',
    port: 0,
  });
  const dir = tempDir('wsgen-params-py-');
  const { files } = await generate({ schema: join(REPO, 'test/fixtures/params/protocol.schema.json'), out: join(dir, 'gen'), targets: ['python'] });
  writeOutput(join(dir, 'gen'), files);
  await startPython(join(dir, 'gen/python'));
}, 60_000);

afterAll(async () => {
  await node?.close();
  if (py !== undefined && py.exitCode === null) {
    const exited = new Promise((resolve) => py!.once('exit', resolve));
    py.kill('SIGTERM');
    await exited;
  }
});

describe('the endpoint-parameter rule (FORBIDDEN), Node and FastAPI servers', () => {
  it.each(CASES)('%s %j', async (path, frame, want) => {
    const fromNode = await firstReply(node.url(path), nodeToken, frame);
    const fromPython = await firstReply(`ws://127.0.0.1:${pyPort}${path}`, pyToken, frame);
    expect({ node: fromNode, python: fromPython }).toEqual({ node: want, python: want });
  });
});
