// Benchmark server process of bench/redis-scale.mjs:
// `node server-child.mjs memory|redis <redisUrl> [<dist dir>|-] [<redisSessionStore options, JSON>]`: the chat
// server with the echo agent, sessions in memory (the default) or in Redis (redisSessionStore). Reports over IPC
// {ready, port}; answers {cmd:'cpu'} with process.cpuUsage(), `calls` (append_many calls sent so far) and `sleeps`
// (the main thread's voluntary context switches so far: each time its event loop waited for I/O or a timer, read
// from /proc on Linux, NaN elsewhere), {cmd:'tokens', n} with n fresh tokens.
// The optional third argument is another build's dist/ folder (the --baseline of redis-scale.mjs; `-`: this one's).
import { readFileSync } from 'node:fs';

const [mode, redisUrl, distDir, storeJson] = process.argv.slice(2);
const dist = distDir === undefined || distDir === '-' ? new URL('../../dist/', import.meta.url) : new URL(`file://${distDir.replace(/\/?$/, '/')}`);
const { createChatServer, chatSessionValidator, echoAgent } = await import(new URL('runtime/server/index.js', dist).href);
const { redisSessionStore } = await import(new URL('runtime/server/redis/index.js', dist).href);
const { RedisLink } = await import(new URL('runtime/server/redis/link.js', dist).href);
// Counts the store's append_many calls (the calls per message of the round).
let calls = 0;
const runNow = RedisLink.prototype.runNow;
RedisLink.prototype.runNow = function (name, keys, args) {
  if (name === 'append_many') calls++;
  return runNow.call(this, name, keys, args);
};

/** The main thread's voluntary context switches so far (Linux /proc; NaN elsewhere). */
function sleeps() {
  try {
    return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8'))[1]);
  } catch {
    return Number.NaN;
  }
}

const validator = chatSessionValidator();
const server = await createChatServer({
  validator,
  host: '127.0.0.1',
  port: 0,
  agents: { guide_agent: echoAgent },
  rateLimit: false,
  maxConnectionsPerUser: 1e6,
  maxInFlight: 1e6,
  heartbeatIntervalMs: 0,
  validateOutbound: false, // production settings
  ...(mode === 'redis' ? { sessionStore: redisSessionStore({ url: redisUrl, nodeId: `bench-${process.pid}`, ...JSON.parse(storeJson ?? '{}') }) } : {}),
});
process.send({ ready: true, port: server.address().port });
process.on('message', (msg) => {
  if (msg.cmd === 'cpu') process.send({ cpu: process.cpuUsage(), calls, sleeps: sleeps() });
  else if (msg.cmd === 'tokens') process.send({ tokens: Array.from({ length: msg.n }, (_, i) => validator.issue({ userId: `u${i}` }).token) });
  else if (msg.cmd === 'exit') server.close().then(() => process.exit(0));
});
