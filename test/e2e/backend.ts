// The server the browser test talks to: the reference server (default,
// `node bin/wsgen.js serve`), or the small test server when WSGEN_E2E_SERVER=test.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TestServer } from '../client/helpers/test-server.js';
import { REPO } from './helpers.js';

export interface Backend {
  name: string;
  wsUrl: string;
  token: string;
  /** Stops the server and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function testServerBackend(): Promise<Backend> {
  let s = await TestServer.start();
  return {
    name: 'test server',
    wsUrl: s.url,
    token: 'e2e-token',
    async restart() {
      s = await s.restart();
    },
    async stop() {
      await s.kill();
    },
  };
}

interface Started {
  proc: ChildProcess;
  wsUrl: string;
  token: string;
}

async function startReference(port: number): Promise<Started> {
  const proc = spawn(process.execPath, [join(REPO, 'bin/wsgen.js'), 'serve', '--port', String(port)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let out = '';
  const found = await new Promise<{ wsUrl: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reference server did not print a URL and token:\n${out}`)), 15_000);
    const scan = (d: Buffer) => {
      out += d.toString();
      const url = /(ws:\/\/127\.0\.0\.1:\d+)/.exec(out);
      const tok = /token[^A-Za-z0-9]*[:=]\s*([A-Za-z0-9._~+/-]{8,})/i.exec(out);
      if (url?.[1] && tok?.[1]) {
        clearTimeout(timer);
        resolve({ wsUrl: url[1], token: tok[1] });
      }
    };
    proc.stdout?.on('data', scan);
    proc.stderr?.on('data', scan);
    proc.once('exit', (code) => reject(new Error(`reference server exited (${code}):\n${out}`)));
  });
  return { proc, ...found };
}

export async function referenceBackend(): Promise<Backend> {
  let cur = await startReference(0);
  const port = Number(new URL(cur.wsUrl).port);
  const b: Backend = {
    name: 'reference server',
    wsUrl: cur.wsUrl,
    token: cur.token,
    async restart() {
      await b.stop();
      cur = await startReference(port);
      b.token = cur.token;
    },
    async stop() {
      const p = cur.proc;
      if (p.exitCode !== null) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await exited;
    },
  };
  return b;
}
