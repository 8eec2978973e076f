// CPU profile of a benchmark server under closed-loop load (8 connections x
// window 32 of the bench's user_message), for finding where the server's time
// goes. Usage:
//   node scripts/build.mjs && node bench/server/profile.mjs [wsgen|wsgen-plain|raw] [seconds] [outDir]
// Writes a .cpuprofile (V8 sampling profiler, 200 us) to outDir (default
// /tmp/wsgen-prof; open it in Chrome DevTools) and prints the top functions by
// self and inclusive time. The V8 profiler attributes the time of a native call
// (including the kernel's writev) to the JS function that made it; for a
// kernel/user split use `perf record -g -p <pid>` with PERF=1 (which starts
// the child with --perf-basic-prof instead and prints its pid).
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const mode = process.argv[2] ?? 'wsgen';
const secs = Number(process.argv[3] ?? 5);
const outDir = process.argv[4] ?? '/tmp/wsgen-prof';
const perf = !!process.env.PERF;
const childPath = fileURLToPath(new URL('./server-child.mjs', import.meta.url));
const execArgv = perf ? ['--expose-gc', '--perf-basic-prof'] : ['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${outDir}`, '--cpu-prof-interval=200'];
const child = fork(childPath, [mode], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const waiters = [];
child.on('message', (m) => waiters.shift()?.(m));
const ask = (msg) => new Promise((r) => { waiters.push(r); if (msg) child.send(msg); });
const { port } = await ask(null);
console.log('server pid', child.pid);
const { tokens } = await ask({ cmd: 'tokens', n: 8 });
const PAD = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut';
const FRAMES = Array.from({ length: 1024 }, (_, i) => JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: 'm' + i, message: PAD, metadata: { client: 'bench', n: i } }));
const conns = await Promise.all(
  tokens.map(
    (t) =>
      new Promise((res, rej) => {
        const ws = mode === 'raw' ? new WebSocket(`ws://127.0.0.1:${port}/`) : new WebSocket(`ws://127.0.0.1:${port}/api/ws/guide`, ['wsgen.v1', `wsgen.token.${t}`]);
        ws.once('open', () => res(ws));
        ws.once('error', rej);
      }),
  ),
);
let stop = false;
let i = 0;
let n = 0;
for (const ws of conns) {
  ws.on('message', () => {
    n++;
    if (!stop) ws.send(FRAMES[i++ & 1023]);
  });
  for (let k = 0; k < 32; k++) ws.send(FRAMES[i++ & 1023]);
}
await new Promise((r) => setTimeout(r, secs * 1000));
stop = true;
for (const ws of conns) ws.terminate();
child.send({ cmd: 'exit' });
await new Promise((r) => child.on('exit', r));
console.log(`${mode}: ${n} messages in ${secs} s`);
if (perf) process.exit(0);

const file = readdirSync(outDir).filter((f) => f.endsWith('.cpuprofile')).sort().at(-1);
const p = JSON.parse(readFileSync(`${outDir}/${file}`, 'utf8'));
const byId = new Map(p.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const key = (cf) => `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
const counts = new Map();
for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const self = new Map();
const incl = new Map();
let total = 0;
for (const [id, c] of counts) {
  total += c;
  const k = key(byId.get(id).callFrame);
  self.set(k, (self.get(k) ?? 0) + c);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const kk = key(byId.get(cur).callFrame);
    if (seen.has(kk)) continue;
    seen.add(kk);
    incl.set(kk, (incl.get(kk) ?? 0) + c);
  }
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${name}`).join('\n');
console.log(`${outDir}/${file}\nSELF\n${top(self, 30)}\n\nINCLUSIVE\n${top(incl, 30)}`);
process.exit(0);
