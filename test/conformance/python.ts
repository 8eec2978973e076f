/** Runs a Python helper of the conformance suite over many messages in one process. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../generator/helpers.js';

const PYTHON = join(ROOT, '.venv/bin/python');

/** Feeds `texts` (one message text each) to `script` (with `args`) as NDJSON string literals and returns its output lines. */
export function runPython(script: string, texts: readonly string[], args: readonly string[] = []): string[] {
  if (!existsSync(PYTHON)) throw new Error('no .venv: run `bash scripts/setup-python.sh` (npm test does it)');
  const r = spawnSync(PYTHON, [join(ROOT, 'test/conformance', script), ...args], {
    input: texts.map((t) => JSON.stringify(t)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== texts.length) throw new Error(`${script} answered ${lines.length} lines for ${texts.length} inputs`);
  return lines;
}
