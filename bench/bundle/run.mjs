// Bundle sizes of the generated protocol code and the client runtime, each
// measured by a real Vite production build (see vite-size.mjs), side by side in
// one run with the goals of issue 10. "Client runtime alone" is the minimal
// client of a protocol: a WebSocketClient without capability plugins (typed,
// validated send and receive, request/reply, reconnect with backoff, a bounded
// queue); the WebSocketService row is the client with every plugin (heartbeat,
// resume, streams). The format rows generate a fixture's TypeScript target into
// a temp folder (with dist/, so run `node scripts/build.mjs` first) and bundle
// its parseMessage: a bundle holds the expressions of the formats its schema
// uses only (formats.js exports each checker by name).
// Usage: node bench/bundle/run.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../dist/generator/index.js';
import { writeOutput } from '../../dist/generator/write.js';
import { ROOT, viteBundle } from './vite-size.mjs';

const KB = 1024;
const rows = [
  ['bundled protocol: validators + parseMessage', 'generated/ts/parse.js', ['parseMessage'], 60 * KB],
  ['one type\'s guard alone (isPing)', 'generated/ts/guards.ts', ['isPing'], 8 * KB],
  ['client runtime alone, minimal (WebSocketClient)', 'runtime/client/index.ts', ['WebSocketClient'], 25 * KB],
  ['client runtime, every capability (WebSocketService)', 'runtime/client/index.ts', ['WebSocketService'], Infinity],
  ['email, uri, date-time, uuid (test/fixtures/few-formats): parseMessage', 'test/fixtures/few-formats', ['parseMessage'], Infinity],
  ['every asserted format (test/fixtures/formats): parseMessage', 'test/fixtures/formats', ['parseMessage'], Infinity],
];

const out = mkdtempSync(join(tmpdir(), 'wsgen-bench-formats-'));
process.on('exit', () => rmSync(out, { recursive: true, force: true }));

/** The module to bundle for a row: a fixture folder is generated (TypeScript target) and its parse.js bundled. */
async function moduleOf(path) {
  if (!path.startsWith('test/fixtures/')) return path;
  const dir = join(out, path.slice('test/fixtures/'.length));
  const { files } = await generate({ schema: join(ROOT, path), out: dir, targets: ['ts'] });
  writeOutput(dir, files);
  return join(dir, 'ts/parse.js');
}

console.log('measure | minified | gzip | goal');
for (const [name, module, names, goal] of rows) {
  const { bytes, gzip } = await viteBundle(await moduleOf(module), names);
  const target = goal === Infinity ? '(no goal)' : `<= ${goal / KB} KB${bytes > goal ? ' (missed)' : ''}`;
  console.log(`${name} | ${(bytes / KB).toFixed(1)} KB | ${(gzip / KB).toFixed(1)} KB | ${target}`);
}

