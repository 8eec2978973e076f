// The repo's TS client (dist/runtime/client, built by `node scripts/build.mjs`) on the bundled protocol as
// schema version <version> with another semantic hash would generate it, against a server given by argv:
// node versions_probe.mjs <url> <token> <version>. Prints one JSON line: the status once connected, or the
// error that stopped the client (test_versions.py).
import { protocol } from '../../dist/generated/ts/index.js';
import { WebSocketService } from '../../dist/runtime/client/index.js';

const [url, token, version] = process.argv.slice(2);
const svc = new WebSocketService({ ...protocol, version, schemaHash: 'cd'.repeat(32) }, { browserProbes: false, defaults: { backoff: { minDelayMs: 10, maxDelayMs: 20 } } });
try {
  await svc.connect('c', url, { token });
  process.stdout.write(JSON.stringify({ status: svc.getConnectionStatus('c') }) + '\n');
} catch (e) {
  const h = svc.getConnectionHealth('c');
  process.stdout.write(JSON.stringify({ status: h.status, code: e.code, message: e.message, server: e.serverVersion, client: e.clientVersion, reconnects: h.reconnectAttempts }) + '\n');
}
svc.dispose();
