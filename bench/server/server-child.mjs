// Benchmark server process: `node server-child.mjs wsgen|wsgen-plain|raw`
// (wsgen-plain: the wsgen server with coalesceWrites: false). Reports over IPC:
// {ready, port}; answers {cmd:'cpu'} with process.cpuUsage(), {cmd:'rss'} with
// the RSS after a GC (run with --expose-gc), {cmd:'tokens', n} with n tokens.
import { WebSocketServer } from 'ws';

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
    for (let i = 0; i < msg.n; i++) tokens.push(validator ? validator.issue({ userId: `u${i % 100}` }).token : 'raw');
    process.send({ tokens });
  } else if (msg.cmd === 'exit') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true, port });
