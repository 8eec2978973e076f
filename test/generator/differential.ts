/**
 * Test helper: generates both targets for a schema folder, type-checks them
 * (tsc strict, mypy --strict, ruff), and judges messages three ways: the
 * generated TS parser, the generated Python package (test/fixtures/probe.py),
 * and ajv's own draft 2020-12 validator on the raw schema (the oracle).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from './helpers.js';

const Ajv2020 = Ajv2020Module.default;
const PYTHON = join(ROOT, '.venv/bin/python');

/** The generated output of one schema, written to a temp folder. */
export interface Generated {
  dir: string;
  files: Map<string, string>;
}

/** Generates both targets of `schema` into a fresh folder. */
export async function generateBoth(schema: string): Promise<Generated> {
  const dir = tempDir();
  const { files } = await generate({ schema, out: join(dir, 'generated') });
  writeOutput(join(dir, 'generated'), files);
  return { dir, files };
}

/** Runs tsc (strict), mypy --strict and ruff over the output; throws with their output on a finding. */
export function typeCheck(g: Generated): void {
  writeFileSync(
    join(g.dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noUncheckedIndexedAccess: true, noUnusedLocals: true, noUnusedParameters: true, exactOptionalPropertyTypes: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023'], types: [], skipLibCheck: false }, include: ['generated/ts/**/*.ts'] }),
  );
  const run = (cmd: string, args: string[], cwd: string) => {
    try {
      execFileSync(cmd, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  };
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(g.dir, 'tsconfig.json')], g.dir);
  const cwd = join(g.dir, 'generated/python');
  run(PYTHON, ['-m', 'mypy', '--strict', '--cache-dir', join(g.dir, 'mypy-cache'), 'wsgen_protocol'], cwd);
  run(PYTHON, ['-m', 'ruff', 'check', '--no-cache', '--preview', '--select', 'E,W,F,I,UP', '--ignore', 'E501', '--target-version', 'py311', 'wsgen_protocol'], cwd);
}

/** Verdicts of the three judges on each message text, in order. */
export interface Verdicts {
  ts: boolean[];
  py: boolean[];
  oracle: boolean[];
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? jsonFiles(join(dir, n)) : n.endsWith('.json') ? [join(dir, n)] : []));
}

/**
 * ajv 2020-12 on the raw schema folder: every file added by its `$id` (or a
 * file URL), the root compiled. `format` is an annotation there, so callers
 * keep formats out of what they compare.
 */
export function oracle(schemaDir: string, rootFile: string): (text: string) => boolean {
  // ownProperties: without it ajv reads an absent "constructor" as the inherited function (present, and not a string).
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false, ownProperties: true });
  let root: unknown;
  for (const f of jsonFiles(schemaDir)) {
    const json = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
    const id = typeof json.$id === 'string' ? json.$id : pathToFileURL(f).href;
    ajv.addSchema({ ...json, $id: id });
    if (f === join(schemaDir, rootFile)) root = id;
  }
  const validate = ajv.getSchema(root as string)!;
  return (text) => validate(JSON.parse(text)) as boolean;
}

/** Judges each message text with the generated TS parser, the Python package and the oracle. */
export async function judge(g: Generated, schemaDir: string, rootFile: string, texts: string[]): Promise<Verdicts> {
  const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
  const probe = JSON.parse(
    execFileSync(PYTHON, [join(ROOT, 'test/fixtures/probe.py'), join(g.dir, 'generated/python')], { input: texts.join('\n'), encoding: 'utf8', maxBuffer: 64 << 20 }),
  ) as { verdicts: boolean[] };
  const ajv = oracle(schemaDir, rootFile);
  return { ts: texts.map((t) => parse.parseMessage(t).ok), py: probe.verdicts, oracle: texts.map(ajv) };
}

/** The issues the generated Python package gives each message text (`null` for a valid one), as `to_dict()` writes them. */
export function pythonIssues(g: Generated, texts: string[]): Array<unknown[] | null> {
  const script = 'import json, sys\nfrom wsgen_protocol import parse_message\nfor line in sys.stdin.read().splitlines():\n    r = parse_message(line)\n    print(json.dumps([e.to_dict() for e in r.errors] if not r.ok else None))\n';
  const out = execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), input: texts.join('\n'), encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l) as unknown[] | null);
}
