/** Loads the shared conformance vectors (test/conformance/vectors/*.json). */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One vector: a message (or raw JSON text) and whether the protocol accepts it. */
export interface Vector {
  file: string;
  name: string;
  valid: boolean;
  message?: unknown;
  raw?: string;
}

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'vectors');

/** Every vector, file by file, in file order. */
export function loadVectors(): Vector[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => (JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Omit<Vector, 'file'>[]).map((v) => ({ ...v, file: f.replace(/\.json$/, '') })));
}

/** The JSON text of a vector, as it would arrive on the wire. */
export function vectorText(v: Vector): string {
  return v.raw !== undefined ? v.raw : JSON.stringify(v.message);
}
