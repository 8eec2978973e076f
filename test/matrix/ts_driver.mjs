// The TS client cell of the live matrix: runs the scenarios of scenarios.json against a server
// (node ts_driver.mjs <port> <token> <name>...) and prints one JSON line per scenario: {scenario, obs}.
// Raw steps use the `ws` library (the TS client validates what it sends, so it cannot send a bad frame);
// `client` steps use the repo's TS client (dist/runtime/client WebSocketService; run `node scripts/build.mjs`).
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { ChatService } from '../../dist/runtime/chat/client.js';
import { protocol } from '../../dist/generated/ts/index.js';
import { WebSocketService } from '../../dist/runtime/client/index.js';

const WAIT_MS = 10_000;
const [port, token, ...names] = process.argv.slice(2);
const table = new Map(JSON.parse(readFileSync(new URL('./scenarios.json', import.meta.url), 'utf8')).scenarios.map((s) => [s.name, s]));

/** The error codes of a handler's failure, whose text both servers word alike (runtime/server/chat/service.ts). */
const FAILURE_CODES = ['AGENT_ERROR', 'AGENT_TIMEOUT', 'INTERNAL_ERROR'];

/** A message as the table writes it: type, :error_code or :status, (text) of a handler failure, #stream_index, @ when it has a seq. */
function norm(m) {
  let s = String(m.type);
  if (m.error_code) s += ':' + m.error_code + (FAILURE_CODES.includes(m.error_code) ? `(${m.message})` : '');
  else if (m.type === 'session_updated') s += ':' + m.status;
  if (Number.isInteger(m.stream_index)) s += '#' + m.stream_index;
  return s + (Number.isInteger(m.seq) ? '@' : '');
}

class Raw {
  constructor() {
    this.ws = null;
    this.inbox = [];
    this.waiters = [];
    this.closeCode = null;
    this.seqs = [];
  }
  next() {
    if (this.inbox.length) return Promise.resolve(this.inbox.shift());
    if (this.closeCode !== null) return Promise.reject(new Error(`closed ${this.closeCode}`));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timed out waiting for a message')), WAIT_MS);
      this.waiters.push((m) => (clearTimeout(t), m instanceof Error ? reject(m) : resolve(m)));
    });
  }
  open(o) {
    const tok = o.token === 'bad' ? 'not-a-token' : o.token === 'none' ? null : token;
    const protos = ['wsgen.v1', ...(tok ? [`wsgen.token.${tok}`] : [])];
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}${o.path}`, protos, {
        perMessageDeflate: false,
        maxPayload: 4 << 20,
      });
      this.ws = ws;
      ws.on('unexpected-response', (_req, res) => (res.resume(), resolve(res.statusCode)));
      ws.on('error', reject);
      ws.on('message', (data, isBinary) => {
        const m = JSON.parse(String(data));
        if (m.type === 'session_created') [this.session, this.epoch] = [m.session_id, m.epoch];
        else if (Number.isInteger(m.seq)) this.seqs.push(m.seq);
        const w = this.waiters.shift();
        if (w) w(m);
        else this.inbox.push(m);
      });
      ws.on('close', (code) => {
        this.closeCode = code;
        for (const w of this.waiters.splice(0)) w(new Error(`closed ${code}`));
        if (this.closed) this.closed(code);
      });
      ws.on('open', () => this.next().then((m) => resolve([norm(m)]), reject));
    });
  }
  send(o) {
    this.ws.send(JSON.stringify({ timestamp: new Date().toISOString(), ...o }));
  }
  async step(st) {
    if (st.open) return this.open(st.open);
    if (st.send) this.send(st.send);
    else if (st.raw) this.ws.send(st.raw);
    else if (st.binary) this.ws.send(Buffer.from([0, 1, 2]), { binary: true });
    else if (st.bad_utf8)
      this.ws.send(Buffer.from('{"type":"ping","x":"\xff"}', 'latin1'), {
        binary: false,
      });
    else if (st.big) this.send({ type: 'user_message', message: 'x'.repeat(st.big) });
    else if (st.burst) for (let i = 0; i < st.burst.count; i++) this.send(st.burst.msg);
    else if (st.until) {
      const out = [];
      for (;;) {
        const m = await this.next();
        out.push(norm(m));
        if (m.type === st.until) return out;
      }
    } else if (st.closed) {
      if (this.closeCode !== null) return this.closeCode;
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('not closed in time')), WAIT_MS);
        this.closed = (code) => (clearTimeout(t), resolve(code));
      });
    } else if (st.resume) {
      const last = st.resume.last_seq === 'ahead' ? 1_000_000 : (this.seqs[0] ?? 0);
      const epoch = st.resume.epoch === 'same' ? this.epoch : 'AAAAAAAAAAAAAAAA';
      this.send({
        type: 'session_resume',
        session_id: this.session,
        last_seq: last,
        epoch,
      });
    } else if (st.idle) {
      const kinds = new Set();
      const end = Date.now() + st.idle;
      while (Date.now() < end && this.closeCode === null) {
        while (this.inbox.length) kinds.add(norm(this.inbox.shift()));
        await new Promise((res) => setTimeout(res, 10));
      }
      while (this.inbox.length) kinds.add(norm(this.inbox.shift()));
      return { types: [...kinds].sort(), close: this.closeCode };
    } else if (st.stop_server) {
      process.stdout.write(JSON.stringify({ await: 'stop' }) + '\n');
      await new Promise((resolve) => process.stdin.once('data', resolve));
    } else if (st.quit) {
      await new Promise((resolve) => (this.ws.once('close', resolve), this.ws.close(1000)));
      this.closeCode = null;
      this.inbox = [];
    }
    return null;
  }
}

/** A request through the TS client; observes every message with its message_id until the request settles. */
async function clientStep(c) {
  const svc = new ChatService({ baseUrl: `ws://127.0.0.1:${port}` });
  try {
    const id = c.pillar ? await svc.connectToLiaison(c.pillar, token) : await svc.connectToGuide(token);
    const seen = [];
    let mid = null;
    svc.onAny(id, (m) => {
      if (m.message_id === mid) seen.push(norm(m));
    });
    const r = svc.sendMessage(id, { type: 'user_message', message: c.message });
    mid = r.messageId;
    const end = Date.now() + WAIT_MS;
    while (!seen.some((s) => !s.startsWith('agent_streaming') && !s.startsWith('progress_update'))) {
      if (Date.now() > end) throw new Error('timed out waiting for the reply');
      await new Promise((res) => setTimeout(res, 5));
    }
    return seen;
  } finally {
    svc.dispose();
  }
}

/** A client runtime connection idles idle_ms, then makes a request; observes the reply. */
async function clientIdle(c) {
  const svc = new ChatService({ baseUrl: `ws://127.0.0.1:${port}` });
  try {
    const id = c.pillar ? await svc.connectToLiaison(c.pillar, token) : await svc.connectToGuide(token);
    await new Promise((res) => setTimeout(res, c.idle_ms));
    return [norm(await svc.request(id, { type: 'user_message', message: c.message }, { timeout: WAIT_MS }))];
  } finally {
    svc.dispose();
  }
}

/** A request, a server restart (the runner's, on the same port), a request: both replies and the session and
 * error messages the client got after the restart. */
async function clientRestart(c) {
  const svc = new ChatService({
    baseUrl: `ws://127.0.0.1:${port}`,
    defaults: { backoff: { minDelayMs: 50, maxDelayMs: 300 } },
  });
  try {
    const id = c.pillar ? await svc.connectToLiaison(c.pillar, token) : await svc.connectToGuide(token);
    const after = [];
    let restarted = false;
    svc.onAny(id, (m) => {
      if (restarted && (m.type === 'session_updated' || m.type === 'error_message')) after.push(norm(m));
    });
    const before = [norm(await svc.request(id, { type: 'user_message', message: '/echo before' }, { timeout: WAIT_MS }))];
    // From here on: the client reconnects and resumes by itself as soon as the restarted server listens, which
    // may be before the runner's go line arrives (test/matrix/test_restart_order.py).
    restarted = true;
    process.stdout.write(JSON.stringify({ await: 'restart' }) + '\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    const reply = [norm(await svc.request(id, { type: 'user_message', message: '/echo after' }, { timeout: WAIT_MS }))];
    return [before, after, reply];
  } finally {
    svc.dispose();
  }
}

/** A client runtime built from the bundled schema as version c.version with another semantic hash would be:
 * the reply to a request, or how the client stopped (close code, both versions, reconnects). */
async function clientVersion(c) {
  const variant = { ...protocol, version: c.version, schemaHash: 'cd'.repeat(32) };
  const svc = new WebSocketService(variant, { browserProbes: false, fill: { timestamp: () => new Date().toISOString() } });
  const path = c.pillar ? `/api/ws/liaison/${c.pillar}` : '/api/ws/guide';
  try {
    try {
      await svc.connect('c', `ws://127.0.0.1:${port}${path}`, { token });
    } catch (e) {
      const h = svc.getConnectionHealth('c');
      return { refused: h.lastCloseCode, server: e.serverVersion ?? null, client: e.clientVersion ?? null, reconnects: h.reconnectAttempts };
    }
    return [norm(await svc.request('c', { type: 'user_message', message: c.message }, { timeout: WAIT_MS }))];
  } finally {
    svc.dispose();
  }
}

for (const name of names) {
  const raw = new Raw();
  const obs = [];
  try {
    for (const st of table.get(name).steps) {
      const r = st.client
        ? await clientStep(st.client)
        : st.client_restart
          ? await clientRestart(st.client_restart)
          : st.client_idle
            ? await clientIdle(st.client_idle)
            : st.client_version
              ? await clientVersion(st.client_version)
              : await raw.step(st);
      if (r !== null && r !== undefined) obs.push(r);
    }
  } catch (err) {
    obs.push(`error: ${err && err.message ? err.message : err}`);
  } finally {
    if (raw.ws && raw.ws.readyState === WebSocket.OPEN) raw.ws.close(1000);
  }
  process.stdout.write(JSON.stringify({ scenario: name, obs }) + '\n');
}
process.exit(0);
