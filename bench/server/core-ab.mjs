// In-process A/B of the wsgen chat core of two built trees (no sockets, no kernel): the same frames fed through a
// connection handle of each tree's dist/ (as bench/server/core.mjs feeds one), rounds alternating A and B (ABAB /
// BABA), CPU ns per message (process.cpuUsage, user + system), medians, first quartiles, minima and the median of
// per-round B/A ratios. K (default 1) emulates the ws adapter under pipelined load: frames come in reads of K, the
// 2nd..Kth of a read passed as `continued` (a tree whose handle ignores the flag is unaffected).
// Usage: node scripts/build.mjs && [K=8] [ROUNDS=61] [N=10000] node bench/server/core-ab.mjs <distA> <distB>
//   (a baseline's dist: `git worktree add /tmp/base <ref>` there `npm run build`, or a copy of dist/ before a change)
const K = Number(process.env.K ?? 1);
const [distA, distB] = process.argv.slice(2, 4);
if (!distA || !distB) {
  console.error('usage: node bench/server/core-ab.mjs <distA> <distB>');
  process.exit(3);
}
const ROUNDS = Number(process.env.ROUNDS ?? 61);
const N = Number(process.env.N ?? 10000);
const PAD = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut';
const FRAMES = Array.from({ length: 1024 }, (_, i) => JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: `m${100000 + i}`, message: PAD, metadata: { client: 'bench', n: i } }));
let bytes = 0;
/** A socket that only encodes what it is given (as the ws adapter does) and counts the bytes. */
const socket = { send: (text) => void (bytes += Buffer.from(text).length), close() {}, terminate() {}, ping() {}, bufferedAmount: 0 };
const handles = [];
for (const dist of [distA, distB]) {
  const m = await import(new URL(`file://${dist.startsWith('/') ? dist : `${process.cwd()}/${dist}`}/runtime/server/index.js`).href);
  const validator = m.chatSessionValidator();
  const { core } = m.makeChatServer({ validator, agents: { guide_agent: m.echoAgent }, rateLimit: { capacity: 1e9, refillPerSecond: 1e9 }, maxInFlight: 1e6, validateOutbound: false, heartbeatIntervalMs: 0 });
  const hs = await core.handshake({ url: '/api/ws/guide', protocols: m.tokenProtocols(validator.issue().token) });
  if (!hs.ok) throw new Error(`${dist}: handshake refused`);
  handles.push(core.open(socket, hs));
}
function run(h, n) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) h.onMessage(FRAMES[i & 1023], false, K > 1 && i % K !== 0);
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / n;
}
for (const h of handles) run(h, 50_000); // warm-up
const res = [[], []];
for (let r = 0; r < ROUNDS; r++) for (const k of r % 2 ? [1, 0] : [0, 1]) res[k].push(run(handles[k], N));
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const med = (xs) => sorted(xs)[xs.length >> 1];
const q1 = (xs) => sorted(xs)[xs.length >> 2];
const f = (x) => x.toFixed(0);
console.log(`core-ab (K=${K}, ${ROUNDS} rounds of ${N}): CPU ns/msg median A ${f(med(res[0]))} B ${f(med(res[1]))}; q1 A ${f(q1(res[0]))} B ${f(q1(res[1]))}; min A ${f(Math.min(...res[0]))} B ${f(Math.min(...res[1]))}; paired B/A ${med(res[1].map((x, i) => x / res[0][i])).toFixed(3)}`);
process.exit(bytes > 0 ? 0 : 1);
