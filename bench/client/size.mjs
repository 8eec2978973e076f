// Size of the client runtime alone, minified: the bundle of an entry that imports
// the WebSocketService (no protocol, no React), built by rolldown (Vite 8's bundler)
// with full minification (whitespace, syntax, identifiers), `ws` external as in a
// browser build. The bytes a browser app pays for runtime/client.
// Usage: node bench/client/size.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wsgen-client-size-'));
try {
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `export { WebSocketService } from ${JSON.stringify(join(root, 'runtime/client/index.ts'))};\n`);
  const out = await build({ input: entry, external: ['ws'], write: false, output: { format: 'es', minify: true } });
  const code = Buffer.from(out.output[0].code);
  console.log(`client runtime alone, minified: ${(code.length / 1024).toFixed(1)} KB (${(gzipSync(code).length / 1024).toFixed(1)} KB gzip); goal <= 25 KB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
