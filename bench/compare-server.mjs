// The server side of bench/compare.mjs: the wsgen chat server of two trees (each
// tree's own bench/server/server-child.mjs and dist/, NODE_ENV=production), side by
// side on 127.0.0.1, in closed-loop rounds that alternate the two: server CPU
// microseconds per message (user + system of the server process) for a ~340 B
// user_message answered with a sequenced agent_message. Every 16th reply is checked
// to be an agent_message, so a broken server cannot post a good figure.
// Each round is cut into SLICES short slices that alternate the trees in ABBA order
// (A B, B A, A B, B A: each tree as often first as second, so a drift of the
// machine's load within the round cancels out to first order), and a tree's figure
// for the round is its CPU over its messages summed across the slices. On a loaded
// machine the CPU per message of a closed loop moves with the server's share of the
// CPU (how many frames a read brings) from one second to the next; one long slice
// per tree and round put seconds between the two sides of a ratio (an A/A run of
// the former 2 s rounds moved by up to 15%). Both trees get the same slices, places
// and durations.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { frame, open, tokensFor } from './server/children.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `<root>/bench/server/server-child.mjs wsgen`; resolves with {port, ask, stop} once it listens. */
function startServer(root) {
  const child = fork(join(root, 'bench/server/server-child.mjs'), ['wsgen'], { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = [];
  child.on('message', (m) => waiters.shift()?.(m));
  const ask = (msg) => new Promise((resolve) => { waiters.push(resolve); if (msg) child.send(msg); });
  return ask(null).then((ready) => ({ port: ready.port, ask, stop: () => child.kill() }));
}

/** A server with `conns` connections and `window` messages in flight on each, pumped during rounds. */
async function rig(root, conns, window) {
  const srv = await startServer(root);
  const sockets = await Promise.all((await tokensFor(srv, conns)).map((t) => open(srv.port, t, 'wsgen')));
  const st = { pumping: false, counting: false, received: 0, outstanding: 0, i: 0, replies: 0, bad: 0 };
  for (const ws of sockets) {
    ws.on('message', (data) => {
      st.outstanding--;
      if (st.counting) st.received++;
      if ((++st.replies & 15) === 1 && JSON.parse(data.toString()).type !== 'agent_message') st.bad++;
      if (st.pumping) {
        st.outstanding++;
        ws.send(frame(st.i++));
      }
    });
  }
  return {
    /** One closed-loop slice: `warm` s unmeasured, then `seconds` s measured; returns the server CPU (us) and the messages counted. */
    async slice(warm, seconds) {
      st.received = 0;
      st.pumping = true;
      for (const ws of sockets) for (let k = 0; k < window; k++) {
        st.outstanding++;
        ws.send(frame(st.i++));
      }
      await sleep(warm * 1000);
      const c0 = (await srv.ask({ cmd: 'cpu' })).cpu;
      st.counting = true;
      await sleep(seconds * 1000);
      st.counting = false;
      const c1 = (await srv.ask({ cmd: 'cpu' })).cpu;
      st.pumping = false;
      for (let k = 0; k < 300 && st.outstanding > 0; k++) await sleep(10); // drain, bounded (3 s)
      if (st.bad) throw new Error(`${root}: ${st.bad} replies were no agent_message`);
      return { cpu: c1.user - c0.user + c1.system - c0.system, n: st.received };
    },
    close() {
      for (const ws of sockets) ws.terminate();
      srv.stop();
    },
  };
}

/** Slices per round (ABBA order over the trees). */
const SLICES = 4;

/**
 * Server CPU us per message of the trees at `roots` (this tree first): one uncounted slice each,
 * then `rounds` rounds, each of {@link SLICES} slices of `warm / 2` + `seconds / SLICES` s that alternate the
 * trees (ABBA). Resolves to one array of per-round figures per root.
 */
export async function compareServers(roots, { rounds, warm, seconds, conns = 8, window = 32 }) {
  const rigs = [];
  try {
    for (const root of roots) rigs.push(await rig(root, conns, window));
    // One uncounted slice each first: a server's first slice runs its code before the JIT has compiled it.
    for (const g of rigs) await g.slice(warm, seconds / SLICES);
    const out = roots.map(() => []);
    for (let r = 0; r < rounds; r++) {
      const cpu = roots.map(() => 0);
      const n = roots.map(() => 0);
      for (let k = 0; k < SLICES; k++) {
        // ABBA: the order flips every slice.
        const order = (r * SLICES + k) % 2 ? [...rigs.keys()].reverse() : [...rigs.keys()];
        for (const i of order) {
          const got = await rigs[i].slice(warm / 2, seconds / SLICES);
          cpu[i] += got.cpu;
          n[i] += got.n;
        }
      }
      for (let i = 0; i < roots.length; i++) out[i].push(cpu[i] / n[i]);
    }
    return out;
  } finally {
    for (const g of rigs) g.close();
  }
}
