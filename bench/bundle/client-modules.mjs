// Where the client runtime's bytes go: the bundle of an app that uses
// WebSocketClient (the minimal client; pass WebSocketService for the client with
// every capability plugin), built by rolldown (Vite 8's bundler) without minification,
// cut at its per-module markers, and each module's part minified alone. The
// parts sum to a little more than the whole bundle (names are not shared).
// Usage: node bench/bundle/client-modules.mjs [WebSocketClient|WebSocketService]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { ROOT } from './vite-size.mjs';

const entryName = process.argv[2] ?? 'WebSocketClient';
if (!/^[A-Za-z]\w*$/.test(entryName)) throw new Error(`not an export name: ${entryName}`);
const dir = mkdtempSync(join(tmpdir(), 'wsgen-client-modules-'));
try {
  const entry = join(dir, 'main.ts');
  writeFileSync(entry, `import { ${entryName} } from ${JSON.stringify(join(ROOT, 'runtime/client/index.ts'))};\nglobalThis.wsgenKeep = ${entryName};\n`);
  const out = await build({ input: entry, external: ['ws'], write: false, output: { format: 'es', minify: false }, logLevel: 'silent' });
  const rows = [];
  for (const part of out.output[0].code.split(/^\/\/ (?=runtime\/)/m).slice(1)) {
    const name = part.slice(0, part.indexOf('\n'));
    const body = part.slice(part.indexOf('\n') + 1).replace(/^export .*$/gm, '');
    // Keep every top-level declaration alive so that minifying the part alone drops nothing.
    const declared = [...body.matchAll(/^(?:const|let|var|function|class) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
    const file = join(dir, 'part.js');
    writeFileSync(file, `${body}\nglobalThis.wsgenKeep = [${declared.join(', ')}];\n`);
    const min = await build({ input: file, write: false, output: { format: 'es', minify: true }, logLevel: 'silent', treeshake: false });
    rows.push([min.output[0].code.length, name]);
  }
  rows.sort((a, b) => b[0] - a[0]);
  const total = rows.reduce((a, [n]) => a + n, 0);
  console.log(`client runtime (${entryName}) by module (minified bytes, share)`);
  for (const [n, name] of rows) console.log(`${String(n).padStart(7)} ${((100 * n) / total).toFixed(1).padStart(5)}% ${name}`);
  console.log(`${String(total).padStart(7)} total`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
