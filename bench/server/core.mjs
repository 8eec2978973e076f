// In-process benchmark of the server's per-message work without sockets or the
// kernel: the wsgen core (the chat app with the echo agent, as in run.mjs) fed
// frames through a connection handle whose socket only encodes the reply, vs
// the floor of the same exchange (parseMessage, a built agent_message with the
// next seq, agentMessageJson, Buffer.from). CPU time (process.cpuUsage, user)
// per message, rounds alternating the two, medians; the ratio floor / wsgen is
// the share of the runtime's own work, without the noise of the socket path.
// A third candidate, floor-replay, is the floor plus a replay buffer with wsgen's
// default bounds (replay-buffer.mjs, as the socket bench's floor-replay server):
// wsgen / floor-replay is then what wsgen's own bookkeeping costs (sessions,
// routing, limits, metrics, the handler-duration clock), the parse being the same
// generated parseMessage on both sides. Many short rounds in rotating order, the
// median of per-round (paired) ratios; also the minimum per candidate (least
// disturbed round), steadier than the median on a loaded machine.
// Usage: node scripts/build.mjs && node bench/server/core.mjs [--quick]
import { parseMessage } from '../../dist/generated/ts/index.js';
import { chatSessionValidator, echoAgent, makeChatServer, tokenProtocols } from '../../dist/runtime/server/index.js';
import { agentMessageJson } from '../../dist/runtime/server/chat/serialize.js';
import { serializedBytes, timestamp } from '../../dist/runtime/server/wire.js';
import { ReplayBuffer } from './replay-buffer.mjs';
import { median } from '../lib.mjs';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 9 : 41;
const N = quick ? 10_000 : 15_000;
const PAD = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut';
const FRAMES = Array.from({ length: 1024 }, (_, i) => JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: `m${100000 + i}`, message: PAD, metadata: { client: 'bench', n: i } }));

let bytes = 0;
/** A socket that only encodes what it is given (as the ws adapter does) and counts the bytes. */
const socket = { send: (text) => void (bytes += Buffer.from(text).length), close() {}, terminate() {}, ping() {}, bufferedAmount: 0 };

const validator = chatSessionValidator();
const { core } = makeChatServer({ validator, agents: { guide_agent: echoAgent }, rateLimit: { capacity: 1e9, refillPerSecond: 1e9 }, maxInFlight: 1e6, validateOutbound: false, heartbeatIntervalMs: 0 });
const hs = await core.handshake({ url: '/api/ws/guide', protocols: tokenProtocols(validator.issue().token) });
if (!hs.ok) throw new Error('handshake refused');
const handle = core.open(socket, hs);

let seq = 0;
let replaySeq = 0;
const kept = new ReplayBuffer();
const candidates = {
  floor(text) {
    const r = parseMessage(text);
    if (!r.ok) throw new Error('invalid');
    const m = r.value;
    socket.send(agentMessageJson({ type: 'agent_message', message_id: m.message_id, timestamp: timestamp(), session_id: 's', agent: 'guide_agent', realm: 'experience', message: m.message, seq: ++seq }));
  },
  'floor-replay'(text) {
    const r = parseMessage(text);
    if (!r.ok) throw new Error('invalid');
    const m = r.value;
    const now = Date.now();
    const reply = agentMessageJson({ type: 'agent_message', message_id: m.message_id, timestamp: timestamp(now), session_id: 's', agent: 'guide_agent', realm: 'experience', message: m.message, seq: ++replaySeq });
    kept.keep(reply, serializedBytes(reply), now);
    socket.send(reply);
  },
  wsgen(text) {
    handle.onMessage(text, false);
  },
};
const NAMES = Object.keys(candidates);

function run(fn, n) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(FRAMES[i & 1023]);
  return (process.cpuUsage(c0).user * 1000) / n;
}
for (const fn of Object.values(candidates)) run(fn, 20_000); // warm-up
const res = Object.fromEntries(NAMES.map((k) => [k, []]));
// Rotating order (each candidate first, middle and last in turn), so that no candidate always follows the same one.
for (let r = 0; r < ROUNDS; r++) for (let j = 0; j < NAMES.length; j++) res[NAMES[(r + j) % NAMES.length]].push(run(candidates[NAMES[(r + j) % NAMES.length]], N));
const med = (k) => median(res[k]);
const paired = (a, b) => median(res[a].map((x, i) => x / res[b][i]));
const min = (k) => Math.min(...res[k]);
console.log(`bench/server/core: CPU ns per message (user), ${ROUNDS} rounds of ${N} in rotating order, medians`);
for (const base of ['floor', 'floor-replay']) {
  console.log(`median: ${base} ${med(base).toFixed(0)} ns, wsgen ${med('wsgen').toFixed(0)} ns: wsgen does ${(med('wsgen') - med(base)).toFixed(0)} ns more; ${base} / wsgen ${(med(base) / med('wsgen')).toFixed(2)} (paired ${paired(base, 'wsgen').toFixed(2)})`);
  console.log(`minimum: ${base} ${min(base).toFixed(0)} ns, wsgen ${min('wsgen').toFixed(0)} ns: wsgen does ${(min('wsgen') - min(base)).toFixed(0)} ns more; ${base} / wsgen ${(min(base) / min('wsgen')).toFixed(2)}`);
}
await core.close();
process.exit(bytes > 0 ? 0 : 1);
