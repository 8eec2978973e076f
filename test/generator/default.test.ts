/**
 * `default` is documentation only on both targets (issue 9 row 12, as far as
 * wsgen goes today): accepted wherever a schema stands, written into the TSDoc
 * and the Python docstring of a property (`@default <JSON>`), and never applied:
 * an absent property stays absent in the parsed value and the dumped text, as
 * ajv (without useDefaults) leaves it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Generated, generateBoth } from './differential.js';
import { ROOT, writeSchema } from './helpers.js';

const PYTHON = join(ROOT, '.venv/bin/python');
const S = 'https://json-schema.org/draft/2020-12/schema';

describe('default values', () => {
  let g: Generated;
  beforeAll(async () => {
    const schema = writeSchema({
      'protocol.schema.json': JSON.stringify({
        $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/Zoom' }],
        $defs: {
          Level: { type: 'integer', minimum: 1, default: 1 },
          Zoom: {
            type: 'object',
            properties: {
              type: { const: 'zoom' },
              level: { type: 'number', default: 1.5, description: 'Zoom factor.' },
              mode: { type: 'string', default: 'fit' },
              tags: { type: 'array', items: { type: 'string', default: '' }, default: [] },
              steps: { $ref: '#/$defs/Level' },
            },
            required: ['type'],
            additionalProperties: false,
          },
        },
      }),
    });
    g = await generateBoth(schema);
  }, 120_000);

  it('documents each property default in the TS types and the Python docstrings', () => {
    const ts = readFileSync(join(g.dir, 'generated/ts/types.ts'), 'utf8');
    const py = readFileSync(join(g.dir, 'generated/python/wsgen_protocol/models/zoom.py'), 'utf8');
    for (const tag of ['@default 1.5', '@default "fit"', '@default []']) {
      // A docstring that ends in a quote escapes it: """@default "fit\"""".
      expect([tag, ts.includes(tag), py.includes(tag) || py.includes(tag.replace(/"$/, '\\"'))]).toEqual([tag, true, true]);
    }
  });

  it('applies no default: an absent property stays absent on both targets', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const r = parse.parseMessage('{"type":"zoom"}');
    expect(r.ok && r.value).toEqual({ type: 'zoom' });
    const script = 'from wsgen_protocol.parse import parse_message, dump_message\nr = parse_message(\'{"type":"zoom"}\')\nprint(dump_message(r.value))\n';
    const out = execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), encoding: 'utf8' }).trim();
    expect(JSON.parse(out)).toEqual({ type: 'zoom' });
  });
});
