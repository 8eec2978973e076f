/**
 * The GitHub webhook trial (issue 9): GitHub's published webhook payload
 * schemas, converted mechanically (test/trials/github-webhooks.mjs: no
 * validation changed), generate with no edit, type-check, and the generated
 * TS parser and Python package give ajv's 2020-12 verdict on every example
 * payload GitHub publishes (@octokit/webhooks-examples) and on a broken copy
 * of each (658 messages). The oracle asserts formats with wsgen's checkers, as wsgen does (the
 * schemas use `format` as an assertion: `environment_url` is `oneOf` a `uri` and
 * `""`, which overlap when formats are annotations).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Generated, generateBoth, judge, typeCheck } from '../generator/differential.js';
import { tempDir } from '../generator/helpers.js';
import { writeWebhookProtocol } from './github-webhooks.mjs';

interface ExampleSet {
  name: string;
  examples: Array<Record<string, unknown>>;
}

const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as ExampleSet[];

/** Each example as a message, then the same message with its payload's first property set to an array of itself (a wrong type wherever the schema says anything). */
function messages(): Array<{ what: string; text: string }> {
  const out: Array<{ what: string; text: string }> = [];
  for (const set of EXAMPLES) {
    set.examples.forEach((payload, i) => {
      out.push({ what: `${set.name} #${i}`, text: JSON.stringify({ event: set.name, payload }) });
      const [first] = Object.keys(payload);
      if (first !== undefined) out.push({ what: `${set.name} #${i} with ${first} wrapped in an array`, text: JSON.stringify({ event: set.name, payload: { ...payload, [first]: [payload[first]] } }) });
    });
  }
  return out;
}

/** ajv's 2020-12 validator on the schema, with the generated output's format checkers asserted (as wsgen asserts formats). */
async function formatOracle(g: Generated, schemaFile: string): Promise<(value: unknown) => boolean> {
  const rt = (await import(pathToFileURL(join(g.dir, 'generated/ts/runtime.js')).href)) as { isDateTime: (s: string) => boolean; isUuid: (s: string) => boolean };
  const fm = (await import(pathToFileURL(join(g.dir, 'generated/ts/formats.js')).href)) as { grammarFormats: Record<string, (s: string) => boolean> };
  const ajv = new Ajv2020({ strict: false, ownProperties: true, discriminator: true });
  for (const [name, check] of Object.entries({ 'date-time': rt.isDateTime, uuid: rt.isUuid, ...fm.grammarFormats })) ajv.addFormat(name, { type: 'string', validate: check });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  return (value) => validate(value) as boolean;
}

describe('GitHub webhooks, converted mechanically', () => {
  let g: Generated;
  let schemaDir: string;
  beforeAll(async () => {
    const file = writeWebhookProtocol(tempDir('wsgen-github-')); // removed after this file, as every tempDir
    schemaDir = dirname(file);
    g = await generateBoth(schemaDir);
  }, 300_000);

  it('generate with no edit and type-check (tsc strict, mypy --strict, ruff)', () => {
    typeCheck(g);
  }, 600_000);

  it('give ajv\'s verdict on every published example and a broken copy of each, on both targets', async () => {
    const all = messages();
    expect(all.length).toBeGreaterThan(600);
    const v = await judge(g, schemaDir, 'github.schema.json', all.map((m) => m.text));
    const oracle = await formatOracle(g, join(schemaDir, 'github.schema.json'));
    const verdicts = all.map((m) => oracle(JSON.parse(m.text)));
    const wrong = all.flatMap((m, i) => (v.ts[i] !== verdicts[i] || v.py[i] !== verdicts[i] ? [`${m.what}: ts ${v.ts[i]} python ${v.py[i]} ajv ${verdicts[i]}`] : []));
    expect(wrong).toEqual([]);
    // GitHub's examples are not all valid against GitHub's schemas (older ones lack fields the schemas now require,
    // some write timestamps as "2018-04-25 20:42:10"): 276 of 329 are. Every broken copy is refused.
    const examples = verdicts.filter((_, i) => !all[i]!.what.includes('wrapped'));
    const broken = verdicts.filter((_, i) => all[i]!.what.includes('wrapped'));
    expect([examples.length, examples.filter(Boolean).length, broken.filter(Boolean).length]).toEqual([329, 276, 0]);
  }, 300_000);
});
