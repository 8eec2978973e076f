// The benchmark's servers and client connections, shared by run.mjs and latency.mjs: a server child process
// per mode (server-child.mjs: raw | floor | floor-replay | wsgen | wsgen-plain) on 127.0.0.1, its tokens, a connection to it,
// and the prebuilt user_message frames the client sends (so that the client is not the bottleneck).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const childPath = fileURLToPath(new URL('./server-child.mjs', import.meta.url));

const PAD = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut';
const makeFrame = (i) => JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: `m${i}`, message: PAD, metadata: { client: 'bench', n: i } });
/** 1024 prebuilt frames with distinct message_ids (a ~340 B user_message each). */
const FRAMES = Array.from({ length: 1024 }, (_, i) => makeFrame(100000 + i));
/** The `i`-th frame (cycling through the 1024). */
export const frame = (i) => FRAMES[i & 1023];

/**
 * Starts a server child of `mode`; resolves once it listens, with its port, `ask(msg)` (an IPC request, resolved
 * with the child's next message) and `stop()`.
 */
export function startChild(mode) {
  const child = fork(childPath, [mode], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = [];
  child.on('message', (m) => waiters.shift()?.(m));
  const ask = (msg) => new Promise((r) => { waiters.push(r); if (msg) child.send(msg); });
  return ask(null).then((ready) => ({ mode, child, port: ready.port, ask, stop: () => child.send({ cmd: 'exit' }) }));
}

/** `n` session tokens the wsgen server of `srv` accepts (raw and floor ignore them). */
export async function tokensFor(srv, n) {
  return (await srv.ask({ cmd: 'tokens', n })).tokens;
}

/** Opens a connection; for wsgen and floor, resolves once session_created arrived (ws.created holds it). */
export function open(port, token, mode) {
  return new Promise((resolve, reject) => {
    const ws = mode === 'raw' || mode.startsWith('floor') ? new WebSocket(`ws://127.0.0.1:${port}/`) : new WebSocket(`ws://127.0.0.1:${port}/api/ws/guide`, ['wsgen.v1', `wsgen.token.${token}`]);
    if (mode === 'raw') ws.once('open', () => resolve(ws));
    else
      ws.once('message', (data) => {
        ws.created = JSON.parse(data.toString());
        resolve(ws);
      });
    ws.once('error', reject);
  });
}
