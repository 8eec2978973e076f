// A small whiteboard server for the example page: speaks the whiteboard protocol
// (test/fixtures/whiteboard) with `ws`, validating every frame with the generated
// parser. It greets with `welcome`, answers `resume` with `resumed` and `heartbeat`
// with `heartbeat_ack`, broadcasts `shape_added` (numbered with `seq`) to everyone,
// and streams `export_board` back as `export_chunk` parts ended by `export_done`.
// Not a production server (no auth, one board, no replay buffer): the example's
// counterpart. Usage: node examples/whiteboard/server.mjs [port]
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WebSocketServer } from 'ws';
import { parseMessage } from './generated/ts/parse.js';

// The schema hash the client checks (schema_sha of welcome), read from the generated descriptor.
const SCHEMA_SHA = /schemaHash: '([0-9a-f]{64})'/.exec(readFileSync(new URL('./generated/ts/protocol.ts', import.meta.url), 'utf8'))?.[1];

/**
 * Starts the server on 127.0.0.1:`port` (0: a free port).
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startBoardServer(port = 0) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise((r) => wss.once('listening', r));
  const epoch = randomBytes(12).toString('base64url');
  const shapes = [];
  let seq = 0;
  const broadcast = (msg) => {
    const text = JSON.stringify({ ...msg, seq: ++seq });
    for (const c of wss.clients) if (c.readyState === 1) c.send(text);
  };
  wss.on('connection', (sock) => {
    const send = (msg) => sock.send(JSON.stringify(msg));
    const session = randomUUID();
    send({ op: 'welcome', session, epoch, schema_sha: SCHEMA_SHA, seq });
    for (const shape of shapes) send({ op: 'shape_added', by: 'history', shape });
    sock.on('message', (data) => {
      const r = parseMessage(String(data));
      if (!r.ok) return send({ op: 'failure', code: 'INVALID_MESSAGE', reason: r.errors[0]?.message ?? 'invalid' });
      const m = r.value;
      if (m.op === 'resume') send({ op: 'resumed', session, state: 'resumed', ...(m.ref ? { ref: m.ref } : {}) });
      else if (m.op === 'heartbeat') send({ op: 'heartbeat_ack', ref: m.ref ?? randomUUID() });
      else if (m.op === 'shape_add') {
        shapes.push(m.shape);
        broadcast({ op: 'shape_added', by: session.slice(0, 8), shape: m.shape });
      } else if (m.op === 'export_board') {
        const svg = `<svg>${shapes.map((s) => `<rect x="${s.x}" y="${s.y}"/>`).join('')}</svg>`;
        const parts = svg.match(/.{1,16}/g) ?? [''];
        parts.forEach((data, part) => send({ op: 'export_chunk', ref: m.ref, part, data }));
        send({ op: 'export_done', ref: m.ref, part: parts.length });
      } else send({ op: 'failure', code: 'UNSUPPORTED_TYPE', reason: `this example does not handle ${m.op}`, ...(m.ref ? { ref: m.ref } : {}) });
    });
  });
  const { port: bound } = wss.address();
  return {
    url: `ws://127.0.0.1:${bound}`,
    close: () =>
      new Promise((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startBoardServer(Number(process.argv[2] ?? 8790));
  console.log(`whiteboard server on ${s.url}`);
}
