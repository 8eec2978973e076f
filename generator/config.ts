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
import { GeneratorErrorCode as E, WsgenError } from './errors.js';
import type { TargetName, TargetSettings } from './layout.js';
import { parseJsonFile } from './load.js';

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

/** A readable rendering of one ajv error, with a hint. */
function describe(err: ErrorObject): { message: string; hint: string } {
  if (err.keyword === 'additionalProperties') {
    const name = (err.params as { additionalProperty: string }).additionalProperty;
    return { message: `unknown setting "${name}"`, hint: 'see schema-config/wsgen.config.schema.json for the settings (schema, targets.ts.out, targets.python.out, targets.python.package)' };
  }
  return { message: `${err.instancePath || '(root)'} ${err.message ?? 'is invalid'}`, hint: 'fix the value at that pointer; schema-config/wsgen.config.schema.json describes every setting' };
}

/**
 * Reads and checks a config file. Throws WSGEN_IO when it cannot be read and
 * WSGEN_CONFIG (file + JSON pointer + hint) when it is not valid JSON or breaks
 * the config schema.
 */
export function loadConfig(file: string): Config {
  const abs = resolve(file);
  let text: Buffer;
  try {
    text = readFileSync(abs);
  } catch (err) {
    throw new WsgenError(E.IO, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file, pointer: '' }, 'check the path of the config file');
  }
  let json: unknown;
  try {
    json = parseJsonFile(text, file);
  } catch (err) {
    if (err instanceof WsgenError) throw new WsgenError(E.CONFIG, err.message, err.location, err.hint);
    throw err;
  }
  compiled ??= new Ajv2020({ strict: true, allErrors: true }).compile(CONFIG_SCHEMA);
  if (!compiled(json)) {
    const first = compiled.errors![0]!;
    const { message, hint } = describe(first);
    const more = compiled.errors!.length > 1 ? ` (and ${compiled.errors!.length - 1} more)` : '';
    throw new WsgenError(E.CONFIG, `invalid ${file}: ${message}${more}`, { file, pointer: first.instancePath }, hint);
  }
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
