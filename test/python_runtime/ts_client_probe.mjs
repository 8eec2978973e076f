// Drives the repo's TS client (dist/runtime/client, built by `node scripts/build.mjs`) against a server
// given by argv: node ts_client_probe.mjs <port> <token>. Prints one JSON line per step; the Python test
// (test_ts_client.py) restarts the server between "reconnecting" and "after-restart".
import { ChatService } from '../../dist/runtime/chat/client.js';

const [port, token] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const until = async (cond, ms, what) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const svc = new ChatService({ baseUrl: `ws://127.0.0.1:${port}`, defaults: { backoff: { minDelayMs: 50, maxDelayMs: 300 } } });
const replies = new Map();
svc.onAny('guide', (m) => {
  if (m.type === 'agent_message' && m.message_id) replies.set(m.message_id, (replies.get(m.message_id) ?? 0) + 1);
});
try {
  await svc.connectToGuide(token);
  const done = await svc.request('guide', { type: 'user_message', message: 'hello python' }, { timeout: 10000 });
  const stream = svc.getStream('guide', done.message_id);
  say({ step: 'streamed', type: done.type, text: stream?.text, complete: stream?.complete, contiguous: stream?.contiguous, health: svc.getConnectionHealth('guide') });
  await until(() => svc.getConnectionStatus('guide') === 'reconnecting', 20000, 'reconnecting');
  const sent = Array.from({ length: 3 }, (_, i) => svc.sendMessage('guide', { type: 'user_message', message: `/echo queued ${i}` }));
  say({ step: 'reconnecting', statuses: sent.map((s) => s.status) });
  await until(() => sent.every((s) => replies.get(s.messageId) === 1), 20000, 'replies after the restart');
  await new Promise((r) => setTimeout(r, 200));
  say({ step: 'after-restart', replies: sent.map((s) => replies.get(s.messageId)), health: svc.getConnectionHealth('guide') });
  svc.dispose();
  process.exit(0);
} catch (err) {
  say({ step: 'error', error: String(err && err.stack ? err.stack : err) });
  svc.dispose();
  process.exit(1);
}
