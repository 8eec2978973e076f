// The Node server cell of the live matrix: the repo's Node server (dist/runtime/server createChatServer with the
// reference agents) on 127.0.0.1, a free port unless given. Usage:
//   node node_server.mjs <token> <session_id> <heartbeat_ms> [port]
// Prints `READY <port>` once listening; SIGTERM is the graceful shutdown (jitter 100 ms), then exit 0.
import { chatSessionValidator, createChatServer, referenceAgents } from '../../dist/runtime/server/index.js';

const [token, sessionId, heartbeatMs, port] = process.argv.slice(2);
const validator = chatSessionValidator();
validator.issue({ token, sessionId, userId: 'matrix-user' });
const server = await createChatServer({
  validator,
  host: '127.0.0.1',
  port: Number(port ?? 0),
  agents: referenceAgents(),
  heartbeatIntervalMs: Number(heartbeatMs),
  shutdown: { jitterMs: 100 },
  validateOutbound: true,
});
process.stdout.write(`READY ${server.address().port}\n`);
process.once('SIGTERM', () =>
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  ),
);
