/**
 * The protocol descriptor of a user's schema, for `wsgen serve --schema`:
 * generates the TypeScript target in memory, writes it to a fresh temp folder
 * with each `.ts` file transpiled to `.js` by the `typescript` package (Node
 * cannot import TypeScript), imports `protocol.js`, and removes the folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GeneratorErrorCode as E, WsgenError } from '../errors.js';
import { generate } from '../index.js';
import { makeDirs } from '../mkdirs.js';

/** What the loader uses of the `typescript` package. */
export interface Transpiler {
  transpileModule(input: string, options: { compilerOptions: Record<string, unknown> }): { outputText: string };
}

/** Imports the `typescript` package (resolved from wsgen's own location, as its peers are). */
async function importTypeScript(): Promise<Transpiler> {
  const mod = (await import('typescript')) as unknown as Transpiler & { default?: Transpiler };
  return mod.default ?? mod;
}

/**
 * Generates `schema` (folder or root file) and returns its `protocol`
 * descriptor, as a generated `protocol.ts` exports it. Throws WsgenError: any
 * error of the schema (WSGEN_REF, WSGEN_ROLE…), and WSGEN_DEPENDENCY when the
 * `typescript` package cannot be loaded. `loadTypeScript` and `tmpRoot` (where
 * the temp folder goes, default the OS temp folder) are seams for tests.
 */
export async function loadProtocol(schema: string, loadTypeScript: () => Promise<Transpiler> = importTypeScript, tmpRoot = tmpdir()): Promise<unknown> {
  const { files } = await generate({ schema, targets: ['ts'] });
  let ts: Transpiler;
  try {
    ts = await loadTypeScript();
  } catch (err) {
    throw new WsgenError(E.DEPENDENCY, `wsgen serve --schema needs the "typescript" package to load the generated descriptor: ${(err as Error).message}`, { file: schema, pointer: '' }, 'install it next to wsgen: npm install --save-dev typescript');
  }
  const dir = mkdtempSync(join(tmpRoot, 'wsgen-serve-'));
  try {
    for (const [path, text] of files) {
      if (!path.startsWith('ts/') || path.endsWith('.d.ts')) continue;
      const isTs = path.endsWith('.ts');
      const target = join(dir, isTs ? path.slice(0, -'.ts'.length) + '.js' : path);
      makeDirs(dirname(target));
      writeFileSync(target, isTs ? ts.transpileModule(text, { compilerOptions: { module: 99 /* ESNext */, target: 9 /* ES2022 */ } }).outputText : text);
    }
    const mod = (await import(pathToFileURL(join(dir, 'ts/protocol.js')).href)) as { protocol: unknown };
    return mod.protocol;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
