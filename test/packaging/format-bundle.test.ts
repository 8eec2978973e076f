// The format checkers a browser app pays for, measured by a real Vite production build
// (bench/bundle/vite-size.mjs) of a schema generated into a temp folder: a bundle holds the
// expressions of the formats its validators use and no other (formats.js exports each checker by
// name, and every validator, field table and checked.js imports its own by name).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, viteBundle } from '../../bench/bundle/vite-size.mjs';
import { grammarLiteral } from '../../generator/emit/ts-format-checkers.js';
import { FORMAT_GRAMMARS } from '../../generator/formats.js';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { tempDir, writeSchema } from '../generator/helpers.js';
import { GRAMMARS, grammarsIn } from './format-grammars.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

const object = (tag: string, props: Record<string, object>) => ({
  type: 'object',
  properties: { type: { const: tag }, ...props },
  required: ['type', ...Object.keys(props)],
  additionalProperties: false,
});

/** A protocol of three types: `signup` checks an email (and, in a checked value, one more), `link` a uri and an ipv6 address, `ping` no format. */
const SCHEMA = {
  $schema: S,
  title: 'Message',
  discriminator: { propertyName: 'type' },
  oneOf: [{ $ref: '#/$defs/Signup' }, { $ref: '#/$defs/Link' }, { $ref: '#/$defs/Ping' }],
  $defs: {
    Signup: object('signup', { email: { type: 'string', format: 'email' } }),
    Link: object('link', { href: { type: 'string', format: 'uri' }, host: { type: 'string', format: 'ipv6' } }),
    Ping: object('ping', {}),
  },
};

/** Generates the TypeScript target of `schema` into a temp folder; returns the folder of generated/ts. */
async function generateTs(schema: object): Promise<string> {
  const dir = tempDir();
  const { files } = await generate({ schema: writeSchema({ 'protocol.schema.json': JSON.stringify(schema) }), out: join(dir, 'generated'), targets: ['ts'] });
  writeOutput(join(dir, 'generated'), files);
  return join(dir, 'generated/ts');
}

describe('format checkers in a Vite bundle', () => {
  let ts = '';
  beforeAll(async () => {
    ts = await generateTs(SCHEMA);
  }, 60_000);

  it('parseMessage of a schema using one format (email) holds that expression only, in at most 8 KB minified', async () => {
    const only = await generateTs({ ...SCHEMA, oneOf: [{ $ref: '#/$defs/Signup' }, { $ref: '#/$defs/Ping' }] });
    const { code, bytes } = await viteBundle(join(only, 'parse.js'), ['parseMessage']);
    expect(grammarsIn(code)).toEqual(['email']);
    // No other format's name either (formats.js's table of every checker is left out).
    for (const name of ['uri-reference', 'relative-json-pointer', 'ipv6', 'uri-template', 'duration']) expect(code.includes(name), name).toBe(false);
    expect(bytes).toBeLessThanOrEqual(8 * 1024);
  });

  it('parseMessage of test/fixtures/few-formats (email, uri, date-time, uuid) holds the email and uri expressions only (date-time and uuid are runtime.js code), in at most 16 KB minified', async () => {
    const dir = tempDir();
    const { files } = await generate({ schema: join(ROOT, 'test/fixtures/few-formats'), out: dir, targets: ['ts'] });
    writeOutput(dir, files);
    const { code, bytes } = await viteBundle(join(dir, 'ts/parse.js'), ['parseMessage']);
    expect(grammarsIn(code)).toEqual(['email', 'uri']);
    expect(bytes).toBeLessThanOrEqual(16 * 1024);
  });

  it('parseMessage of a schema holds the expressions of every format it uses and no other', async () => {
    const { code } = await viteBundle(join(ts, 'parse.js'), ['parseMessage']);
    expect(grammarsIn(code)).toEqual(['email', 'ipv6', 'uri']);
  });

  it.each([
    ['isSignup', ['email']],
    ['isLink', ['ipv6', 'uri']],
    ['isPing', []],
  ])('one type\'s guard (%s) holds only the expressions of its own formats', async (guard, formats) => {
    const { code } = await viteBundle(join(ts, 'guards.ts'), [guard]);
    expect(grammarsIn(code)).toEqual(formats);
  });

  it('formats.js exports each checker by name and validators import theirs by name, never the table of all', () => {
    const validators = ['Signup.js', 'Link.js'].map((f) => readFileSync(join(ts, 'validators', f), 'utf8'));
    expect(validators.join('\n')).not.toContain('grammarFormats');
    expect(validators[0]).toContain("import { isEmail } from '../formats.js';");
    expect(validators[1]).toContain("import { isIpv6, isUri } from '../formats.js';");
  });

  it('checked.js (the keyword checker\'s values) imports the checkers of the formats its subschemas name, and they run', async () => {
    // unevaluatedProperties makes the value one the keyword checker decides (ts-checked.ts).
    const contact = { properties: { mail: { type: 'string', format: 'email' }, at: { type: 'string', format: 'date-time' } }, unevaluatedProperties: false };
    const dir = await generateTs({ ...SCHEMA, $defs: { ...SCHEMA.$defs, Signup: object('signup', { email: { type: 'string', format: 'email' }, contact }) } });
    const checked = readFileSync(join(dir, 'checked.js'), 'utf8');
    expect(checked).toContain("import { isEmail } from './formats.js';");
    expect(checked).toContain("import { isDateTime } from './runtime.js';");
    expect(checked).not.toContain('grammarFormats');
    const { validateMessage } = (await import(pathToFileURL(join(dir, 'parse.js')).href)) as { validateMessage: (d: unknown) => { ok: boolean; errors?: Array<{ path: string; keyword: string; params: object }> } };
    const signup = (contact: object) => validateMessage({ type: 'signup', email: 'a@example.com', contact });
    expect(signup({ mail: 'b@example.com', at: '2024-01-02T03:04:05Z' }).ok).toBe(true);
    const bad = signup({ mail: 'not an email', at: '2024-01-02T03:04:05Z' });
    expect(bad.errors?.map((e) => [e.path, e.keyword, e.params])).toEqual([['/contact/mail', 'format', { format: 'email' }]]);
    expect(signup({ mail: 'b@example.com', at: '2024-02-30T03:04:05Z' }).errors?.map((e) => [e.path, e.keyword])).toEqual([['/contact/at', 'format']]);
  });
}, 120_000);

describe('the RegExp literals of formats.js', () => {
  it.each(GRAMMARS)('%s: the literal reads back as the anchored grammar, every "/" escaped', (f) => {
    const literal = grammarLiteral(FORMAT_GRAMMARS[f]);
    const read = new Function(`return ${literal};`)() as RegExp;
    // V8's RegExp#source leaves a "/" inside a class unescaped: compare with every "\/" read as "/".
    const plain = (re: RegExp) => re.source.replace(/\\\//g, '/');
    expect(plain(read)).toBe(plain(new RegExp(`^(?:${FORMAT_GRAMMARS[f]})$`)));
    expect(read.flags).toBe('');
    expect(literal.slice(1, -1)).not.toMatch(/(?<!\\)(?:\\\\)*\//);
  });

  it('escapes a "/" inside a class and after an escaped backslash, and refuses a line terminator', () => {
    expect(grammarLiteral('[^~/]a\\\\/b\\/')).toBe('/^(?:[^~\\/]a\\\\\\/b\\/)$/');
    expect(() => grammarLiteral('a\nb')).toThrow(/line terminator/);
  });
});
