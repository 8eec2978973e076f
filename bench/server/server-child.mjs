// Benchmark server process: `node server-child.mjs wsgen|wsgen-plain|raw|floor|floor-replay`
// (wsgen-plain: the wsgen server with coalesceWrites: false; floor: the least
// any server doing what the wsgen one does per message can do, see below).
// Reports over IPC:
// {ready, port}; answers {cmd:'cpu'} with process.cpuUsage(), {cmd:'rss'} with
// the RSS after a GC (run with --expose-gc), {cmd:'tokens', n} with n tokens.
import { WebSocketServer } from 'ws';
import { ReplayBuffer } from './replay-buffer.mjs';

const mode = process.argv[2] ?? 'wsgen';
let port;
let validator;

if (mode === 'raw') {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024, perMessageDeflate: false, clientTracking: false });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => {});
  });
  await new Promise((r) => wss.on('listening', r));
  port = wss.address().port;
} else if (mode === 'floor' || mode === 'floor-replay') {
  // The floor of a validating server: raw `ws` plus only what every exact implementation of the benchmark's
  // exchange must do per message: decode the frame's text, parse and validate it (bench/ts/floor.mjs's floorRead:
  // JSON.parse and a hand-written exact validator of the protocol, no wsgen code), build the agent_message reply
  // with the next seq of the connection, serialize it (agentMessageJson, the fastest exact serializer measured),
  // encode and send it (the whole frame in one buffer, one socket write, as wsgen's adapter does: ws-frame.ts), with
  // the same write coalescing as wsgen (cork on a frame that more bytes of its read follow, uncork on the next
  // tick). No sessions, replay buffer, metrics, rate limit or routing: those are what the wsgen figure adds over
  // this one.
  // floor-replay: the floor plus what a server that offers resume cannot skip: each reply kept in a replay buffer of
  // the connection with wsgen's default bounds (256 messages, 256 KiB, 60 s), as parallel arrays of text, UTF-8 size
  // and time used as a queue (sessions.ts's layout). What wsgen adds over this one is its own bookkeeping.
  const replay = mode === 'floor-replay';
  const { floorRead } = await import('../ts/floor.mjs');
  const { agentMessageJson } = await import('../../dist/runtime/server/chat/serialize.js');
  const { timestamp, serializedBytes } = await import('../../dist/runtime/server/wire.js');
  const { textFrame } = await import('../../dist/runtime/server/ws-frame.js');
  const uncork = (socket) => socket.uncork();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024, perMessageDeflate: false, clientTracking: false });
  let conns = 0;
  wss.on('connection', (ws) => {
    const sessionId = `floor-${++conns}`;
    let seq = 0;
    const kept = replay ? new ReplayBuffer() : undefined;
    ws.send(JSON.stringify({ type: 'session_created', timestamp: timestamp(), session_id: sessionId, realm: 'experience', agent: 'guide_agent', schema_hash: '0'.repeat(64), epoch: 'floorfloorfloor0', seq: 0 }));
    ws.on('message', (data, isBinary) => {
      const socket = ws._socket;
      if (socket && socket.writableCorked === 0 && ws._receiver._bufferedBytes > 0) {
        socket.cork();
        process.nextTick(uncork, socket);
      }
      if (isBinary) return ws.close(1003);
      const m = floorRead(data.toString());
      if (m === undefined) return ws.close(1008);
      const now = Date.now();
      const reply = { type: 'agent_message', message_id: m.message_id, timestamp: timestamp(now), session_id: sessionId, agent: 'guide_agent', realm: 'experience', message: m.message, seq: ++seq };
      const text = agentMessageJson(reply);
      const bytes = serializedBytes(text);
      kept?.keep(text, bytes, now);
      socket.write(textFrame(text, bytes));
    });
    ws.on('error', () => {});
  });
  await new Promise((r) => wss.on('listening', r));
  port = wss.address().port;
} else {
  const { createChatServer, chatSessionValidator, echoAgent } = await import('../../dist/runtime/server/index.js');
  validator = chatSessionValidator();
  const server = await createChatServer({
    validator,
    host: '127.0.0.1',
    port: 0,
    agents: { guide_agent: echoAgent },
    rateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
    maxConnectionsPerUser: 1e6,
    maxInFlight: 1e6,
    coalesceWrites: mode !== 'wsgen-plain',
    // Production settings: outbound validation is on by default only outside NODE_ENV=production.
    validateOutbound: false,
  });
  port = server.address().port;
}

process.on('message', (msg) => {
  if (msg.cmd === 'cpu') process.send({ cpu: process.cpuUsage() });
  else if (msg.cmd === 'rss') {
    if (global.gc) {
      global.gc();
      global.gc();
    }
    setTimeout(() => { const m = process.memoryUsage(); process.send({ rss: m.rss, heap: m.heapUsed, heapTotal: m.heapTotal, external: m.external }); }, 200);
  } else if (msg.cmd === 'tokens') {
    const tokens = [];
    for (let i = 0; i < msg.n; i++) tokens.push(validator ? validator.issue({ userId: `u${i % 100}` }).token : mode);
    process.send({ tokens });
  } else if (msg.cmd === 'parsecost') parseCost().then((cost) => process.send(cost));
  else if (msg.cmd === 'exit') process.exit(0);
});
process.on('disconnect', () => process.exit(0));

/**
 * CPU microseconds per message, in this process, of the work no server that answers the benchmark's message
 * from its content can skip: JSON.parse of the frame's text (`parse`), and that plus JSON.stringify of a reply
 * built from it (`parseReply`). Alternating rounds, medians. The bound of run.mjs divides the raw echo's CPU per
 * message by itself plus these.
 */
async function parseCost() {
  const { frame } = await import('./children.mjs');
  const texts = Array.from({ length: 1024 }, (_, i) => frame(i));
  const reply = (m) => JSON.stringify({ type: 'agent_message', message_id: m.message_id, timestamp: m.timestamp, session_id: 'bench-1', agent: 'guide_agent', realm: 'experience', message: m.message, seq: 1 });
  const work = { parse: (t) => JSON.parse(t).type.length, parseReply: (t) => reply(JSON.parse(t)).length };
  const out = { parse: [], parseReply: [] };
  let sink = 0;
  for (const k of Object.keys(work)) for (let i = 0; i < 100_000; i++) sink += work[k](texts[i & 1023]);
  for (let r = 0; r < 15; r++) {
    for (const k of r % 2 ? ['parseReply', 'parse'] : ['parse', 'parseReply']) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < 20_000; i++) sink += work[k](texts[i & 1023]);
      const c = process.cpuUsage(c0);
      out[k].push((c.user + c.system) / 20_000);
    }
  }
  const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return { parseUs: med(out.parse), parseReplyUs: med(out.parseReply), sink };
}
process.send({ ready: true, port });
