// One overhead candidate (child process): N request/reply round trips, at most
// WINDOW in flight, against the bench echo server. Prints JSON with the CPU time
// of this process. mode: raw (ws + JSON.stringify/parse) or wsgen (WebSocketService).
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { ChatService as WebSocketService } from '../../dist/runtime/chat/client.js';

const [mode, url, countArg] = process.argv.slice(2);
const COUNT = Number(countArg);
const WARMUP = Math.min(2000, Math.floor(COUNT / 5));
const WINDOW = 32;
const TEXT = 'The quick brown fox jumps over the lazy dog. '.repeat(4); // ~180 chars: ~300 B frames

async function runRaw() {
  const ws = new WebSocket(`${url}/api/ws/guide`, ['wsgen.v1', 'wsgen.token.bench']);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let onReply = () => {};
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.type === 'agent_message') onReply(m);
  });
  const send = () => ws.send(JSON.stringify({ type: 'user_message', message: TEXT, message_id: randomUUID(), timestamp: new Date().toISOString() }));
  const run = (n) => pump(n, send, (f) => (onReply = f));
  return { run, close: () => ws.close() };
}

async function runWsgen() {
  const svc = new WebSocketService({ baseUrl: url, browserProbes: false, defaults: { heartbeat: { intervalMs: 0 }, queue: { maxCount: 1000 } } });
  let onReply = () => {};
  svc.subscribe('guide', 'agent_message', (m) => onReply(m));
  await svc.connectToGuide('bench');
  const send = () => {
    const r = svc.sendMessage('guide', { type: 'user_message', message: TEXT });
    if (r.status !== 'sent') throw new Error(`not sent: ${r.status}`);
  };
  const run = (n) => pump(n, send, (f) => (onReply = f));
  return { run, close: () => svc.dispose() };
}

function pump(n, send, setReply) {
  return new Promise((resolve) => {
    let sent = 0;
    let got = 0;
    setReply((m) => {
      if (m.message !== TEXT) throw new Error('wrong reply');
      got++;
      if (got === n) resolve();
      else if (sent < n) {
        sent++;
        send();
      }
    });
    for (; sent < Math.min(WINDOW, n); sent++) send();
  });
}

const c = mode === 'raw' ? await runRaw() : await runWsgen();
await c.run(WARMUP);
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await c.run(COUNT);
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
const cpu = process.cpuUsage(cpu0);
c.close();
const cpuUs = cpu.user + cpu.system;
process.stdout.write(JSON.stringify({ mode, count: COUNT, cpuUs, cpuUsPerMsg: cpuUs / COUNT, userUsPerMsg: cpu.user / COUNT, sysUsPerMsg: cpu.system / COUNT, wallMs, msgsPerSec: (COUNT / wallMs) * 1000 }) + '\n');
setTimeout(() => process.exit(0), 50).unref();
