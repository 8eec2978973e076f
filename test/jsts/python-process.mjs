// A long-lived Python helper spoken to in NDJSON: one request line in, one answer line out, in order.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './suite.mjs';

/** The project's Python (the .venv that scripts/setup-python.sh makes). */
export const PYTHON = join(ROOT, '.venv', 'bin', 'python');

/**
 * Starts `script` (a path below the repo root) under the project's Python.
 * @param {string} script
 * @returns {{ ask: (request: unknown) => Promise<any>, close: () => Promise<void> }}
 *   `ask` sends one request and resolves with its parsed answer; `close` ends stdin and waits for the exit.
 *   A helper that dies rejects every pending and later request with its stderr.
 */
export function startPython(script) {
  if (!existsSync(PYTHON)) throw new Error(`no ${PYTHON}: run \`bash scripts/setup-python.sh\``);
  const child = spawn(PYTHON, [join(ROOT, script)], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const pending = [];
  let stderr = '';
  let dead;
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  createInterface({ input: child.stdout }).on('line', (line) => pending.shift()?.resolve(JSON.parse(line)));
  const exited = new Promise((done) =>
    child.on('close', (code) => {
      dead = new Error(`${script} exited (${code}): ${stderr.trim()}`);
      for (const p of pending.splice(0)) p.reject(dead);
      done();
    }),
  );
  return {
    ask(request) {
      if (dead) return Promise.reject(dead);
      return new Promise((resolve, reject) => {
        pending.push({ resolve, reject });
        child.stdin.write(JSON.stringify(request) + '\n');
      });
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
