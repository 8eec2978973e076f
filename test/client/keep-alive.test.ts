// A Node process whose only work is a client must not exit while that client waits to
// reconnect (no socket is open then, only the backoff timer), and must exit by itself once
// the client is disposed. Run in a child process: the exit is what is asserted.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { chatSessionValidator } from '../../runtime/server/chat/server.js';
import { startServer, type TestServer } from '../server/helpers.js';

const CHAT_CLIENT = fileURLToPath(new URL('../../dist/runtime/chat/client.js', import.meta.url));

/** The child: a ChatService that connects to the guide, prints its statuses, and disposes itself once open. */
const CHILD = `
const [clientModule, baseUrl, token] = process.argv.slice(1);
const { ChatService } = await import(clientModule);
const svc = new ChatService({ baseUrl, defaults: { backoff: { minDelayMs: 100, maxDelayMs: 150 } } });
svc.onStatus('guide', (e) => console.log('status ' + e.status));
await svc.connectToGuide(token);
console.log('connected');
svc.dispose();
`;

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as { port: number }).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

describe('a Node process with a client', () => {
  it('stays alive through the reconnect backoff while the server is down, connects when it comes up, and exits once the client is disposed', async () => {
    expect(existsSync(CHAT_CLIENT), 'run `node scripts/build.mjs` before this test').toBe(true);
    const port = await freePort();
    const validator = chatSessionValidator();
    const token = validator.issue().token;
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, CHAT_CLIENT, `ws://127.0.0.1:${port}`, token], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.push(() => (child.exitCode === null && child.signalCode === null ? child.kill('SIGKILL') : undefined));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));

    // Three failed attempts: the process lived through at least two backoff waits with no socket open.
    const waited = await Promise.race([
      new Promise<boolean>((ok) => {
        const scan = () => (out.split('status reconnecting').length > 3 ? ok(true) : undefined);
        child.stdout.on('data', scan);
      }),
      exited.then(() => false),
      new Promise<boolean>((ok) => setTimeout(() => ok(false), 10_000)),
    ]);
    expect(waited, `the child exited or stalled while reconnecting (exit ${child.exitCode}):\n${out}`).toBe(true);
    expect(child.exitCode).toBeNull();

    let server: TestServer | undefined = await startServer({ validator, port });
    cleanup.push(() => server?.close());
    const code = await Promise.race([exited, new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 10_000))]);
    expect(code, out).toBe(0);
    expect(out).toContain('status open');
    expect(out).toContain('connected');
    await server.close();
    server = undefined;
  }, 30_000);
});
