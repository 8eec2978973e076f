/**
 * `wsgen init [dir]`: scaffolds a project (README "From zero"): a starter
 * schema that uses the standard session roles through the role library
 * (copied to `schema/wsgen/roles.schema.json`), `wsgen.config.json`, a CI
 * workflow that runs `wsgen check` then `wsgen generate`; then generates.
 * Never overwrites: any file it would write that exists stops it (WSGEN_EXISTS,
 * exit 2) before it writes anything.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CONFIG_FILE } from '../config.js';
import { GeneratorErrorCode as E, WsgenError } from '../errors.js';
import { writeOutput } from '../write.js';
import { jsonOpt } from './common.js';
import { generateFor, writtenPaths } from './generate.js';
import { printJson } from './json-output.js';
import { resolveProject } from './project.js';
import { makeDirs } from '../mkdirs.js';
import { ioError } from '../io-errors.js';

/** The role library, as the starter schema `$ref`s it (relative to the project). */
export const ROLE_LIBRARY = 'schema/wsgen/roles.schema.json';
/** The output folders of the starter config: init refuses when they exist too. */
const OUTPUT_FOLDERS = ['generated/ts', 'generated/python'];

/** The wsgen package root (the folder holding generator/init-template), from source or from dist/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'generator', 'init-template'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('internal: generator/init-template not found');
}

/** Every file of a folder, as `/`-separated paths relative to it, sorted. */
function listFiles(root: string, sub = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** The scaffold: project-relative path → text (the template folder plus the role library). */
export function scaffoldFiles(): Map<string, string> {
  const root = packageRoot();
  const template = join(root, 'generator', 'init-template');
  const files = new Map<string, string>();
  for (const rel of listFiles(template)) files.set(rel, readFileSync(join(template, rel), 'utf8'));
  files.set(ROLE_LIBRARY, readFileSync(join(root, 'schema', 'wsgen', 'roles.schema.json'), 'utf8'));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Throws WSGEN_EXISTS listing every scaffold file and output folder that already exists under `dir`. */
function refuseExisting(dir: string, paths: readonly string[]): void {
  const taken = [...paths, ...OUTPUT_FOLDERS].filter((p) => existsSync(join(dir, p)));
  if (taken.length === 0) return;
  throw new WsgenError(E.EXISTS, `wsgen init would overwrite ${taken.length} existing path${taken.length === 1 ? '' : 's'} in ${dir}: nothing was written`, { file: join(dir, taken[0]!), pointer: '' },
    'run wsgen init in an empty folder (wsgen init <dir>), or move these away first', taken.map((p) => join(dir, p)));
}

/** Writes one scaffold file (never over an existing one); a file-system failure is WSGEN_IO naming the path. */
function writeScaffoldFile(path: string, text: string): void {
  try {
    makeDirs(dirname(path));
    writeFileSync(path, text, { flag: 'wx' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code !== 'string') throw err;
    throw ioError('write', 'the scaffold file', path, e,
      'wsgen init needs a folder it can create files in: pass another directory (wsgen init <dir>)');
  }
}

/** Options of `wsgen init`. */
interface InitFlags {
  json?: boolean;
}

/** Scaffolds `dir`, generates its code, prints the outcome. Throws WsgenError. */
export async function init(dirArg: string, o: InitFlags): Promise<void> {
  const dir = resolve(dirArg);
  const scaffold = scaffoldFiles();
  refuseExisting(dirArg, [...scaffold.keys()]);
  for (const [rel, text] of scaffold) writeScaffoldFile(join(dir, rel), text);
  const project = resolveProject({ config: join(dir, CONFIG_FILE) }, dir);
  const { files } = await generateFor(project);
  writeOutput(project.folders, files);
  const created = [...scaffold.keys()].map((p) => join(dirArg, p));
  const generated = writtenPaths(project.folders, files).map((p) => join(dirArg, relative(dir, p))); // named as `files` are: under DIR as given
  if (o.json) {
    printJson({ ok: true, command: 'init', files: created, generated, errors: [] });
    return;
  }
  process.stdout.write(`wsgen: created ${created.length} files in ${dirArg}:\n${created.map((p) => `  ${p}\n`).join('')}` +
    `wsgen: generated ${generated.length} files into ${OUTPUT_FOLDERS.map((f) => join(dirArg, f)).join(', ')}\n` +
    `next: edit ${join(dirArg, 'schema/protocol.schema.json')}, then (in ${dirArg}) npx wsgen generate --watch, npx wsgen check, npx wsgen serve --schema schema\n`);
}

/** Adds `init` to the program. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('scaffold a starter schema (standard session roles), wsgen.config.json and a CI workflow in DIR, then generate; never overwrites')
    .argument('[dir]', 'project folder (created when missing)', '.')
    .addOption(jsonOpt())
    .action((dir: string, o: InitFlags) => init(dir, o));
}
