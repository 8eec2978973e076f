// Writes a synthetic protocol with N message types, built like the bundled one
// (envelope + per-type narrowing), for the generator benchmarks. Two shapes:
//   plain: each type narrows the envelope only (the shape the benchmark always had);
//   rich:  types also carry what real schemas use now (issue 9): a nested tagged union
//          of shapes that holds itself (an array of Circle | Rect | Group), defaults, an
//          inline object (a named type of its own), a decimal multipleOf, email and uri
//          formats, an open record, and a checked value (`contains`, judged by the keyword
//          checker). json-schema-to-typescript reads the same files: every keyword used is
//          one it turns into types or skips, as it does on any schema.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCHEMA = fileURLToPath(new URL('../../schema', import.meta.url));

/** The shapes of synthetic protocol {@link syntheticSchema} writes. */
export const SHAPES = ['plain', 'rich'];

/** Letters-only suffix (type names must not end in a digit): 0 → aaa, 1 → aab, … */
function suffix(i) {
  let s = '';
  for (let k = 0; k < 3; k++) {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26);
  }
  return s;
}

/** The shared nested union of the rich shape: Shape = Circle | Rect | Group by `kind`, a Group holding Shapes. */
const SHAPE_DEFS = {
  Circle: { type: 'object', properties: { kind: { const: 'circle' }, r: { type: 'number', minimum: 0 } }, required: ['kind', 'r'], additionalProperties: false },
  Rect: { type: 'object', properties: { kind: { const: 'rect' }, w: { type: 'number' }, h: { type: 'number' }, fill: { type: 'string', default: '#000000' } }, required: ['kind', 'w', 'h'], additionalProperties: false },
  Group: { type: 'object', properties: { kind: { const: 'group' }, children: { type: 'array', maxItems: 64, items: { $ref: '#/$defs/Shape' } } }, required: ['kind', 'children'], additionalProperties: false },
  Shape: { oneOf: [{ $ref: '#/$defs/Circle' }, { $ref: '#/$defs/Rect' }, { $ref: '#/$defs/Group' }], discriminator: { propertyName: 'kind' } },
};

/** The own properties the rich shape adds to message type `i` (a few of them per type, varying with `i`). */
function richProperties(i) {
  return {
    ...(i % 2 === 0 ? { shapes: { type: 'array', maxItems: 32, items: { $ref: '#/$defs/Shape' } } } : {}),
    ...(i % 3 === 0 ? { level: { type: 'integer', minimum: 0, maximum: 10, default: 5 } } : {}),
    ...(i % 4 === 0 ? { price: { type: 'number', minimum: 0, multipleOf: 0.01 } } : {}),
    ...(i % 4 === 1 ? { contact: { type: 'string', format: 'email' } } : {}),
    ...(i % 4 === 2 ? { link: { type: 'string', format: 'uri' } } : {}),
    ...(i % 5 === 0 ? { scores: { type: 'array', items: { type: 'integer' }, contains: { minimum: 10 } } } : {}),
    ...(i % 6 === 0 ? { point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'], additionalProperties: false } } : {}),
    ...(i % 7 === 0 ? { attrs: { type: 'object', additionalProperties: { type: 'string' } } } : {}),
  };
}

/** Creates the schema folder of `n` message types of `shape` ('plain' or 'rich') and returns its path. */
export function syntheticSchema(n, shape = 'plain') {
  if (!SHAPES.includes(shape)) throw new Error(`synthetic shape ${shape}: one of ${SHAPES.join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), `wsgen-synth-${shape}-${n}-`));
  cpSync(SCHEMA, dir, { recursive: true });
  const enums = JSON.parse(readFileSync(join(dir, 'enums.schema.json'), 'utf8'));
  const tags = Array.from({ length: n }, (_, i) => `msg_${suffix(i)}`);
  enums.$defs.MessageType.enum = tags;
  writeFileSync(join(dir, 'enums.schema.json'), JSON.stringify(enums, null, 2));
  const root = JSON.parse(readFileSync(join(dir, 'websocket-message.schema.json'), 'utf8'));
  root.$defs = shape === 'rich' ? structuredClone(SHAPE_DEFS) : {};
  root.oneOf = [];
  tags.forEach((tag, i) => {
    const name = `Message${suffix(i)[0].toUpperCase()}${suffix(i).slice(1)}`;
    root.$defs[name] = {
      title: name,
      description: `Synthetic message ${i}.`,
      'x-direction': i % 2 ? 'server' : 'client',
      allOf: [{ $ref: 'envelope.schema.json#/$defs/MessageEnvelope' }],
      properties: { type: { const: tag }, message: { minLength: 1 }, ...(i % 3 === 0 ? { progress: { minimum: 0.5 } } : {}), ...(shape === 'rich' ? richProperties(i) : {}) },
      required: i % 2 ? ['message'] : ['message', 'message_id'],
      unevaluatedProperties: false,
    };
    root.oneOf.push({ $ref: `#/$defs/${name}` });
  });
  writeFileSync(join(dir, 'websocket-message.schema.json'), JSON.stringify(root, null, 2));
  return dir;
}
