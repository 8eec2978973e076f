// The server side of bench/compare.mjs: the wsgen chat server of two trees (each
// tree's own bench/server/server-child.mjs and dist/, NODE_ENV=production), side by
// side on 127.0.0.1, in closed-loop rounds that alternate the two: server CPU
// microseconds per message (user + system of the server process) for a ~340 B
// user_message answered with a sequenced agent_message. Every 16th reply is checked
// to be an agent_message, so a broken server cannot post a good figure.
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
    /** One closed-loop round: `warm` s unmeasured, then `seconds` s measured; returns server CPU us per message. */
    async round(warm, seconds) {
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
      return (c1.user - c0.user + c1.system - c0.system) / st.received;
    },
    close() {
      for (const ws of sockets) ws.terminate();
      srv.stop();
    },
  };
}

/**
 * Server CPU us per message of the trees at `roots` (this tree first): one uncounted round each,
 * then `rounds` rounds alternating them (the order flips every round). Resolves to one array of per-round
 * figures per root.
 */
export async function compareServers(roots, { rounds, warm, seconds, conns = 8, window = 32 }) {
  const rigs = [];
  try {
    for (const root of roots) rigs.push(await rig(root, conns, window));
    // One uncounted round each first: a server's first round runs its code before the JIT has compiled it.
    for (const g of rigs) await g.round(warm, seconds);
    const out = roots.map(() => []);
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [...rigs.keys()].reverse() : [...rigs.keys()];
      for (const k of order) out[k].push(await rigs[k].round(warm, seconds));
    }
    return out;
  } finally {
    for (const g of rigs) g.close();
  }
}
