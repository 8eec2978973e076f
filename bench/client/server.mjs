// Bench server (child process): a minimal wsgen-protocol echo on 127.0.0.1.
// session_created on connect; user_message -> agent_message (same message_id);
// ping -> pong; session_resume -> session_updated. Sessions are per token and
// in memory (a restart starts fresh sessions). Reports received user_message ids
// to the parent over IPC, batched.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { SCHEMA_HASH } from '../../dist/generated/ts/index.js';

const port = Number(process.argv[2] ?? 0);
const http = createServer((_q, r) => r.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: (set) => (set.has('wsgen.v1') ? 'wsgen.v1' : false) });
const sessions = new Map();
let batch = [];
let upgrades = 0;

http.on('upgrade', (req, socket, head) => {
  upgrades++;
  const proto = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
  const token = proto.find((p) => p.startsWith('wsgen.token.'))?.slice(12) ?? 'anon';
  wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, token));
});

function onConnection(ws, token) {
  let s = sessions.get(token);
  if (!s) sessions.set(token, (s = { id: `s-${token}-${process.pid}`, epoch: `e${process.pid}`, seq: 0 }));
  ws.send(JSON.stringify({ type: 'session_created', timestamp: new Date().toISOString(), session_id: s.id, realm: 'experience', schema_hash: SCHEMA_HASH, epoch: s.epoch, seq: s.seq }));
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    const ts = new Date().toISOString();
    if (m.type === 'user_message') {
      batch.push(m.message_id);
      ws.send(JSON.stringify({ type: 'agent_message', timestamp: ts, message_id: m.message_id, agent: 'guide_agent', message: m.message, seq: ++s.seq }));
    } else if (m.type === 'ping') ws.send(JSON.stringify({ type: 'pong', timestamp: ts, message_id: m.message_id }));
    else if (m.type === 'session_resume') ws.send(JSON.stringify({ type: 'session_updated', timestamp: ts, session_id: s.id, status: 'resumed', message_id: m.message_id, seq: ++s.seq }));
  });
  ws.on('error', () => {});
}

setInterval(() => {
  if (batch.length && process.send) {
    process.send({ ids: batch });
    batch = [];
  }
}, 20).unref();

http.listen(port, '127.0.0.1', () => {
  process.send?.({ port: http.address().port });
});
process.on('message', (m) => {
  if (m === 'stats') process.send?.({ upgrades, ids: batch.splice(0) });
});
process.on('disconnect', () => process.exit(0));
