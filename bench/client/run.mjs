#!/usr/bin/env node
// Client runtime benchmark. Needs dist/ (node scripts/build.mjs).
//   node bench/client/run.mjs          ~60 s
//   node bench/client/run.mjs --quick  ~10 s
// 1. Overhead: CPU time of the client process per round trip (one message sent,
//    one received) for WebSocketService vs raw `ws` on the same echo server,
//    each candidate in its own process, alternating, median of the rounds.
// 2. Reconnect storm: N clients on loopback, the server is killed and restarted
//    on the same port; how spread out the reconnect attempts are (peak per 100 ms),
//    whether every client reconnects, and whether every message queued while the
//    server was down arrives exactly once. Full mode also runs a no-jitter control.
import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
if (!existsSync(join(repo, 'dist/runtime/client/index.js'))) {
  console.error('dist/runtime/client is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}
const { ChatService: WebSocketService } = await import('../../dist/runtime/chat/client.js');

const quick = process.argv.includes('--quick');
const CFG = quick
  ? { count: 10_000, rounds: 1, clients: 1000, downMs: 1000, control: false, deadlineMs: 20_000 }
  : { count: 40_000, rounds: 3, clients: 1000, downMs: 2000, control: true, deadlineMs: 30_000 };
const started = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startServer(port = 0) {
  const child = fork(join(here, 'server.mjs'), [String(port)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ids = [];
  child.on('message', (m) => {
    if (m.ids) ids.push(...m.ids);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m) => {
      if (m.port) resolve({ child, port: m.port, ids });
    });
  });
}

async function kill(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await done;
}

function runClient(mode, url, count) {
  const out = execFileSync(process.execPath, [join(here, 'overhead-client.mjs'), mode, url, String(count)], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- 1. overhead -------------------------------------------------------------
async function overhead() {
  const srv = await startServer();
  const url = `ws://127.0.0.1:${srv.port}`;
  const res = { raw: [], wsgen: [] };
  for (let r = 0; r < CFG.rounds; r++) {
    for (const mode of r % 2 === 0 ? ['raw', 'wsgen'] : ['wsgen', 'raw']) res[mode].push(runClient(mode, url, CFG.count));
  }
  await kill(srv.child);
  const raw = median(res.raw.map((x) => x.cpuUsPerMsg));
  const ws = median(res.wsgen.map((x) => x.cpuUsPerMsg));
  const rawUser = median(res.raw.map((x) => x.userUsPerMsg));
  const wsUser = median(res.wsgen.map((x) => x.userUsPerMsg));
  const rawRate = median(res.raw.map((x) => x.msgsPerSec));
  const wsRate = median(res.wsgen.map((x) => x.msgsPerSec));
  return { raw, ws, rawUser, wsUser, rawRate, wsRate };
}

// ---- 2. reconnect storm ------------------------------------------------------------
async function storm(jitter) {
  const first = await startServer();
  const port = first.port;
  const url = `ws://127.0.0.1:${port}`;
  const attempts = [];
  const replies = new Map();
  const services = [];
  for (let i = 0; i < CFG.clients; i++) {
    const svc = new WebSocketService({
      baseUrl: url,
      browserProbes: false,
      ...(jitter ? {} : { random: () => 0.999 }),
      defaults: { heartbeat: { intervalMs: 0 }, backoff: { minDelayMs: 500, maxDelayMs: 30_000 } },
    });
    svc.onStatus('guide', (ev) => {
      if (ev.status === 'connecting') attempts.push(Date.now());
    });
    svc.subscribe('guide', 'agent_message', (m) => replies.set(m.message_id, (replies.get(m.message_id) ?? 0) + 1));
    services.push(svc);
  }
  const t0 = Date.now();
  await Promise.all(services.map((s, i) => s.connectToGuide(`c${i}`)));
  const connectMs = Date.now() - t0;
  attempts.length = 0;

  const killedAt = Date.now();
  await kill(first.child);
  // Wait until every client noticed.
  while (services.some((s) => s.isConnected('guide')) && Date.now() - killedAt < 5000) await sleep(5);
  const queued = services.map((s, i) => s.sendMessage('guide', { type: 'user_message', message: `queued from ${i}` }));
  const queuedOk = queued.filter((r) => r.status === 'queued').length;
  await sleep(Math.max(0, CFG.downMs - (Date.now() - killedAt)));
  const second = await startServer(port);
  const restartedAt = Date.now();
  while (Date.now() - restartedAt < CFG.deadlineMs) {
    if (services.every((s) => s.isConnected('guide')) && replies.size >= queuedOk) break;
    await sleep(20);
  }
  const allBackMs = Date.now() - restartedAt;
  await sleep(300); // late duplicates would show up now
  second.child.send('stats');
  await sleep(100);
  const reconnected = services.filter((s) => s.isConnected('guide')).length;
  const want = new Set(queued.map((r) => r.messageId));
  const counts = new Map();
  for (const id of second.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const deliveredOnce = [...want].filter((id) => counts.get(id) === 1).length;
  const dupes = [...counts.values()].filter((n) => n > 1).length;
  const lost = [...want].filter((id) => !counts.has(id)).length;
  // Attempts per 100 ms bucket, from the kill on.
  const buckets = new Map();
  for (const t of attempts) {
    const b = Math.floor((t - killedAt) / 100);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  const peak = Math.max(0, ...buckets.values());
  const spanMs = attempts.length ? Math.max(...attempts) - Math.min(...attempts) : 0;
  for (const s of services) s.dispose();
  await kill(second.child);
  return { jitter, connectMs, attempts: attempts.length, peak, buckets: buckets.size, spanMs, reconnected, queuedOk, deliveredOnce, dupes, lost, allBackMs };
}

const o = await overhead();
const storms = [await storm(true)];
if (CFG.control) storms.push(await storm(false));

const N = CFG.clients;
const f = (x, d = 1) => x.toFixed(d);
console.log(`\nwsgen client bench (${quick ? 'quick' : 'full'}; node ${process.version}; ${(Date.now() - started) / 1000}s)\n`);
console.log('overhead: client CPU per round trip (1 user_message sent + 1 agent_message received, ~300 B), median of', CFG.rounds, 'round(s) of', CFG.count);
console.log('| client | user CPU µs / round trip | ratio | user+sys CPU µs / round trip | ratio | round trips / s |');
console.log('|---|---|---|---|---|---|');
console.log(`| raw ws (JSON.stringify/parse) | ${f(o.rawUser)} | 1.00× | ${f(o.raw)} | 1.00× | ${f(o.rawRate, 0)} |`);
console.log(`| WebSocketService | ${f(o.wsUser)} | ${f(o.wsUser / o.rawUser, 2)}× | ${f(o.ws)} | ${f(o.ws / o.raw, 2)}× | ${f(o.wsRate, 0)} |`);
console.log('(sys time is mostly loopback writev, which also pays for waking the server process: it grows when the client is slower, so user time is the cleaner measure of the client\'s own cost)');
console.log(`\nreconnect storm: ${N} clients, server SIGKILLed and restarted after ${CFG.downMs} ms, backoff 500 ms..30 s`);
console.log('| backoff | attempts | peak / 100 ms | peak / N | attempt span | reconnected | queued | delivered once | duplicates | lost | all back after |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const s of storms) {
  console.log(
    `| ${s.jitter ? 'full jitter' : 'no jitter (control)'} | ${s.attempts} | ${s.peak} | ${f(s.peak / N, 3)} | ${s.spanMs} ms | ${s.reconnected}/${N} | ${s.queuedOk} | ${s.deliveredOnce} | ${s.dupes} | ${s.lost} | ${s.allBackMs} ms |`,
  );
}
const ok = storms.every((s) => s.reconnected === N && s.deliveredOnce === N && s.dupes === 0 && s.lost === 0);
console.log(ok ? '\nOK: every client reconnected and every queued message arrived exactly once.' : '\nFAIL: see the table.');
process.exit(ok ? 0 : 1);
