/**
 * wsgen.config.json: the project's schema path, targets and output folders.
 * Found upward from the working directory; checked against
 * schema-config/wsgen.config.schema.json (JSON Schema 2020-12, ajv); paths in
 * it are relative to its folder, the project root. Command-line flags override it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import configSchema from '../schema-config/wsgen.config.schema.json' with { type: 'json' };
import { GeneratorErrorCode as E, ErrorList, WsgenError } from './errors.js';
import { PYTHON_DEPENDENCY_MODULES, PYTHON_STDLIB_MODULES } from './python-modules.js';
import type { TargetName, TargetSettings } from './layout.js';
import { parseJsonFile } from './load.js';
import { ioError } from './io-errors.js';

/** The file name wsgen looks for. */
export const CONFIG_FILE = 'wsgen.config.json';

/** A loaded config, with every path resolved against the config file's folder. */
export interface Config {
  /** Absolute path of the config file. */
  file: string;
  /** Its folder: the project root banners name the schema from. */
  root: string;
  /** Schema folder or root file, absolute, when the config names one. */
  schema?: string;
  /** Targets listed, in the config's order, with absolute output folders; undefined when the config lists none. */
  targets?: Partial<Record<TargetName, TargetSettings>>;
}

/** The JSON Schema of the config file (for editors: point "$schema" at schema-config/wsgen.config.schema.json). */
export const CONFIG_SCHEMA = configSchema;

let compiled: ((v: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;

/** The nearest wsgen.config.json at or above `from`, or undefined. */
export function findConfig(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dir === parse(dir).root) return undefined;
    dir = dirname(dir);
  }
}

const PACKAGE_POINTER = '/targets/python/package';

/** A readable rendering of one ajv error, with a hint. */
function describe(err: ErrorObject, json: unknown): { message: string; hint: string } {
  if (err.keyword === 'additionalProperties') {
    const name = (err.params as { additionalProperty: string }).additionalProperty;
    return { message: `unknown setting "${name}"`, hint: 'see schema-config/wsgen.config.schema.json for the settings (schema, targets.ts.out, targets.python.out, targets.python.package)' };
  }
  if (err.instancePath === PACKAGE_POINTER && err.keyword === 'not') {
    const name = (json as { targets: { python: { package: string } } }).targets.python.package;
    return { message: `${PACKAGE_POINTER} "${name}" is a Python keyword, which cannot be a package name (Python Language Reference §2.3.1)`, hint: `choose another name, such as "${name}_protocol"` };
  }
  return { message: `${err.instancePath || '(root)'} ${err.message ?? 'is invalid'}`, hint: 'fix the value at that pointer; schema-config/wsgen.config.schema.json describes every setting' };
}

/** WSGEN_CONFIG when the Python package name is a module the process imports elsewhere (python-modules.ts says why). */
function checkPackageName(json: unknown, file: string): void {
  const name = (json as { targets?: { python?: { package?: unknown } } } | null)?.targets?.python?.package;
  if (typeof name !== 'string') return;
  const what = PYTHON_STDLIB_MODULES.has(name) ? 'the standard-library module' : PYTHON_DEPENDENCY_MODULES.has(name) ? 'the module, which the generated code imports,' : undefined;
  if (what === undefined) return;
  throw new WsgenError(E.CONFIG, `invalid ${file}: ${PACKAGE_POINTER} "${name}" would shadow ${what} "${name}" for every import in the process`, { file, pointer: PACKAGE_POINTER },
    `choose a name no module has, such as "${name}_protocol"`);
}

/**
 * Reads and checks a config file. Throws WSGEN_IO when it cannot be read and
 * WSGEN_CONFIG (file + JSON pointer + hint) when it is not valid JSON, breaks
 * the config schema, or names a Python package after a keyword or a module the
 * process imports (python-modules.ts): every such error of the file, the first
 * thrown with the others as its `more`.
 */
export function loadConfig(file: string): Config {
  const abs = resolve(file);
  let text: Buffer;
  try {
    text = readFileSync(abs);
  } catch (err) {
    throw ioError('read', 'the config file', file, err, 'check the path of the config file');
  }
  let json: unknown;
  try {
    json = parseJsonFile(text, file);
  } catch (err) {
    if (err instanceof WsgenError) throw new WsgenError(E.CONFIG, err.message, err.location, err.hint);
    throw err;
  }
  compiled ??= new Ajv2020({ strict: true, allErrors: true }).compile(CONFIG_SCHEMA);
  // Every error of the file in one run (issue 9 "All errors in one run").
  const errors = new ErrorList();
  for (const err of compiled(json) ? [] : compiled.errors!) {
    const { message, hint } = describe(err, json);
    errors.add(new WsgenError(E.CONFIG, `invalid ${file}: ${message}`, { file, pointer: err.instancePath }, hint));
  }
  errors.attempt(() => checkPackageName(json, file));
  errors.throwIfAny();
  const c = json as { schema?: string; targets?: Partial<Record<TargetName, { out?: string; package?: string }>> };
  const root = dirname(abs);
  const out: Config = { file: abs, root };
  if (c.schema !== undefined) out.schema = resolve(root, c.schema);
  if (c.targets !== undefined) {
    const defaults: Record<TargetName, string> = { ts: 'generated/ts', python: 'generated/python' };
    const targets: Partial<Record<TargetName, TargetSettings>> = {};
    for (const [name, t] of Object.entries(c.targets) as Array<[TargetName, { out?: string; package?: string }]>) {
      targets[name] = { out: resolve(root, t.out ?? defaults[name]), ...(t.package !== undefined ? { package: t.package } : {}) };
    }
    out.targets = targets;
  }
  return out;
}
