/**
 * The GitHub webhook trial (issue 9): GitHub's published webhook payload
 * schemas, converted mechanically (test/trials/github-webhooks.mjs: no
 * validation changed), generate with no edit, type-check, and the generated
 * TS parser and Python package give ajv's 2020-12 verdict on every example
 * payload GitHub publishes (@octokit/webhooks-examples) and on a broken copy
 * of each. The oracle asserts formats with wsgen's checkers, as wsgen does (the
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

interface Oracle {
  (value: unknown): boolean;
  /** Every error of the value (ajv's allErrors), each with the value it is about. */
  errors(value: unknown): Array<{ keyword: string; params: Record<string, unknown>; value: unknown }>;
}

/** ajv's 2020-12 validator on the schema, with the generated output's format checkers asserted (as wsgen asserts formats). */
async function formatOracle(g: Generated, schemaFile: string): Promise<Oracle> {
  const rt = (await import(pathToFileURL(join(g.dir, 'generated/ts/runtime.js')).href)) as { isDateTime: (s: string) => boolean; isUuid: (s: string) => boolean };
  const fm = (await import(pathToFileURL(join(g.dir, 'generated/ts/formats.js')).href)) as { grammarFormats: Record<string, (s: string) => boolean> };
  const compile = (allErrors: boolean) => {
    const ajv = new Ajv2020({ strict: false, allErrors, ownProperties: true });
    for (const [name, check] of Object.entries({ 'date-time': rt.isDateTime, uuid: rt.isUuid, ...fm.grammarFormats })) ajv.addFormat(name, { type: 'string', validate: check });
    return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  };
  const first = compile(false);
  const all = compile(true);
  const oracle = ((value: unknown) => first(value) as boolean) as Oracle;
  oracle.errors = (value) => {
    all(value);
    const at = (path: string) => path.split('/').slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k.replace(/~1/g, '/').replace(/~0/g, '~')], value);
    return (all.errors ?? []).map((e) => ({ keyword: e.keyword, params: e.params as Record<string, unknown>, value: at(e.instancePath) }));
  };
  return oracle;
}

describe('GitHub webhooks, converted mechanically', () => {
  let g: Generated;
  let schemaDir: string;
  beforeAll(async () => {
    const file = writeWebhookProtocol();
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
    // GitHub's own examples break GitHub's schemas in one way only: some timestamps are written "2018-04-25 20:42:10"
    // (a space for "T", no offset), which is not an RFC 3339 date-time. Every other example is valid.
    const refused = all.flatMap((m, i) => (m.what.includes('wrapped') || verdicts[i] ? [] : [{ what: m.what, errors: oracle.errors(JSON.parse(m.text)) }]));
    const otherwise = refused.filter((r) => !r.errors.every((e) => e.keyword === 'format' && e.params.format === 'date-time' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(String(e.value))));
    expect(otherwise.map((r) => r.what)).toEqual([]);
    expect(all.length / 2 - refused.length).toBeGreaterThan(200);
  }, 300_000);
});
