// Writes a synthetic protocol with N message types, built like the bundled one
// (envelope + per-type narrowing), for the generator benchmarks.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCHEMA = fileURLToPath(new URL('../../schema', import.meta.url));

/** Letters-only suffix (type names must not end in a digit): 0 → aaa, 1 → aab, … */
function suffix(i) {
  let s = '';
  for (let k = 0; k < 3; k++) {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26);
  }
  return s;
}

/** Creates the schema folder and returns its path. */
export function syntheticSchema(n) {
  const dir = mkdtempSync(join(tmpdir(), `wsgen-synth-${n}-`));
  cpSync(SCHEMA, dir, { recursive: true });
  const enums = JSON.parse(readFileSync(join(dir, 'enums.schema.json'), 'utf8'));
  const tags = Array.from({ length: n }, (_, i) => `msg_${suffix(i)}`);
  enums.$defs.MessageType.enum = tags;
  writeFileSync(join(dir, 'enums.schema.json'), JSON.stringify(enums, null, 2));
  const root = JSON.parse(readFileSync(join(dir, 'websocket-message.schema.json'), 'utf8'));
  root.$defs = {};
  root.oneOf = [];
  tags.forEach((tag, i) => {
    const name = `Message${suffix(i)[0].toUpperCase()}${suffix(i).slice(1)}`;
    root.$defs[name] = {
      title: name,
      description: `Synthetic message ${i}.`,
      'x-direction': i % 2 ? 'server' : 'client',
      allOf: [{ $ref: 'envelope.schema.json#/$defs/MessageEnvelope' }],
      properties: { type: { const: tag }, message: { minLength: 1 }, ...(i % 3 === 0 ? { progress: { minimum: 0.5 } } : {}) },
      required: i % 2 ? ['message'] : ['message', 'message_id'],
      unevaluatedProperties: false,
    };
    root.oneOf.push({ $ref: `#/$defs/${name}` });
  });
  writeFileSync(join(dir, 'websocket-message.schema.json'), JSON.stringify(root, null, 2));
  return dir;
}
