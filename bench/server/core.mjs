// In-process benchmark of the server's per-message work without sockets or the
// kernel: the wsgen core (the chat app with the echo agent, as in run.mjs) fed
// frames through a connection handle whose socket only encodes the reply, vs
// the floor of the same exchange (parseMessage, a built agent_message with the
// next seq, agentMessageJson, Buffer.from). CPU time (process.cpuUsage, user)
// per message, rounds alternating the two, medians; the ratio floor / wsgen is
// the share of the runtime's own work, without the noise of the socket path.
// Also the minimum per candidate (least disturbed round), steadier than the
// median on a loaded machine.
// Usage: node scripts/build.mjs && node bench/server/core.mjs [--quick]
import { parseMessage } from '../../dist/generated/ts/index.js';
import { chatSessionValidator, echoAgent, makeChatServer, tokenProtocols } from '../../dist/runtime/server/index.js';
import { agentMessageJson } from '../../dist/runtime/server/chat/serialize.js';
import { timestamp } from '../../dist/runtime/server/wire.js';
import { median } from '../lib.mjs';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 21;
const N = quick ? 20_000 : 40_000;
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
const candidates = {
  floor(text) {
    const r = parseMessage(text);
    if (!r.ok) throw new Error('invalid');
    const m = r.value;
    socket.send(agentMessageJson({ type: 'agent_message', message_id: m.message_id, timestamp: timestamp(), session_id: 's', agent: 'guide_agent', realm: 'experience', message: m.message, seq: ++seq }));
  },
  wsgen(text) {
    handle.onMessage(text, false);
  },
};

function run(fn, n) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(FRAMES[i & 1023]);
  return (process.cpuUsage(c0).user * 1000) / n;
}
for (const fn of Object.values(candidates)) run(fn, 20_000); // warm-up
const res = { floor: [], wsgen: [] };
for (let r = 0; r < ROUNDS; r++) for (const k of r % 2 ? ['wsgen', 'floor'] : ['floor', 'wsgen']) res[k].push(run(candidates[k], N));
const f = median(res.floor);
const w = median(res.wsgen);
const paired = median(res.floor.map((x, i) => x / res.wsgen[i]));
console.log(`bench/server/core: CPU ns per message (user), ${ROUNDS} alternating rounds of ${N}, medians`);
const fMin = Math.min(...res.floor);
const wMin = Math.min(...res.wsgen);
console.log(`median: floor ${f.toFixed(0)} ns, wsgen ${w.toFixed(0)} ns: wsgen does ${(w - f).toFixed(0)} ns more; floor / wsgen ${(f / w).toFixed(2)} (paired ${paired.toFixed(2)})`);
console.log(`minimum: floor ${fMin.toFixed(0)} ns, wsgen ${wMin.toFixed(0)} ns: wsgen does ${(wMin - fMin).toFixed(0)} ns more; floor / wsgen ${(fMin / wMin).toFixed(2)}`);
await core.close();
process.exit(bytes > 0 ? 0 : 1);
