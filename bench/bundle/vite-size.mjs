// Bundle sizes as a browser app pays them: a real Vite production build
// (rolldown, full minification, no source maps) of an entry that uses the
// given imports, `ws` external as in a browser build. Used by bench/bundle/run.mjs
// and by test/packaging/bundle.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '../..');

/**
 * Builds an app whose only module imports `names` from `module` (a path under
 * the repository, or an absolute path) and keeps them alive. Returns the minified JavaScript of the
 * build (every chunk, concatenated in name order) and its size in bytes, raw
 * and gzipped.
 * @param {string} module e.g. 'generated/ts/guards.ts'
 * @param {string[]} names e.g. ['isPing']
 * @returns {Promise<{ code: string, bytes: number, gzip: number }>}
 */
export async function viteBundle(module, names) {
  const dir = mkdtempSync(join(tmpdir(), 'wsgen-bundle-'));
  try {
    const entry = join(dir, 'main.js');
    writeFileSync(entry, `import { ${names.join(', ')} } from ${JSON.stringify(resolve(ROOT, module))};\nglobalThis.wsgenKeep = [${names.join(', ')}];\n`);
    const out = await build({
      configFile: false,
      root: dir,
      logLevel: 'silent',
      build: { write: false, minify: true, sourcemap: false, modulePreload: false, target: 'es2022', rollupOptions: { input: entry, external: ['ws'] } },
    });
    const outputs = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output);
    const code = outputs.filter((o) => o.type === 'chunk').sort((a, b) => a.fileName.localeCompare(b.fileName)).map((o) => o.code).join('\n');
    return { code, bytes: Buffer.byteLength(code), gzip: gzipSync(code).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
