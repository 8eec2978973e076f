// Benchmark server process of bench/redis-scale.mjs: `node server-child.mjs memory|redis <redisUrl> [<dist dir>]`: the chat
// server with the echo agent, sessions in memory (the default) or in Redis (redisSessionStore). Reports over IPC
// {ready, port}; answers {cmd:'cpu'} with process.cpuUsage(), {cmd:'tokens', n} with n fresh tokens.
// An optional third argument is another build's dist/ folder (the --baseline of redis-scale.mjs).
const [mode, redisUrl, distDir] = process.argv.slice(2);
const dist = distDir === undefined ? new URL('../../dist/', import.meta.url) : new URL(`file://${distDir.replace(/\/?$/, '/')}`);
const { createChatServer, chatSessionValidator, echoAgent } = await import(new URL('runtime/server/index.js', dist).href);
const { redisSessionStore } = await import(new URL('runtime/server/redis/index.js', dist).href);

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
  ...(mode === 'redis' ? { sessionStore: redisSessionStore({ url: redisUrl, nodeId: `bench-${process.pid}` }) } : {}),
});
process.send({ ready: true, port: server.address().port });
process.on('message', (msg) => {
  if (msg.cmd === 'cpu') process.send({ cpu: process.cpuUsage() });
  else if (msg.cmd === 'tokens') process.send({ tokens: Array.from({ length: msg.n }, (_, i) => validator.issue({ userId: `u${i}` }).token) });
  else if (msg.cmd === 'exit') server.close().then(() => process.exit(0));
});
