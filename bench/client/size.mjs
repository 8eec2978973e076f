// Size of the client runtime alone, minified, as a Vite production build of an
// entry that imports the WebSocketService (no protocol, no React): the bytes a
// browser app pays for runtime/client. Usage: node bench/client/size.mjs
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wsgen-client-size-'));
try {
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `export { WebSocketService } from ${JSON.stringify(join(root, 'runtime/client/index.ts'))};\n`);
  await build({
    logLevel: 'silent',
    configFile: false,
    build: { outDir: join(dir, 'out'), minify: true, lib: { entry, formats: ['es'], fileName: 'client' }, rollupOptions: { external: ['ws'] } },
  });
  const file = readdirSync(join(dir, 'out')).find((f) => f.endsWith('.js'));
  const code = readFileSync(join(dir, 'out', file));
  console.log(`client runtime alone, minified: ${(code.length / 1024).toFixed(1)} KB (${(gzipSync(code).length / 1024).toFixed(1)} KB gzip); goal <= 25 KB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
