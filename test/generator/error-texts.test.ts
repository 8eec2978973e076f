/**
 * Error texts and locations (issue 9, "All errors in one run"): each error names what it is about in words a
 * schema author recognises (type names, allowed values, the place that exists in the file) beside its code.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, schemaToIR } from '../../generator/index.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';
const closed = (props: object, required: string[], extra: object = {}) => ({ type: 'object', properties: props, required, additionalProperties: false, ...extra });

/** Every error of one run on `defs` (the root union's branches are `branches`), as [code, message, pointer, hint]. */
async function errorsOf(defs: object, branches: string[], extra: object = {}): Promise<Array<[string, string, string, string]>> {
  const text = JSON.stringify({ $schema: S, title: 'Msg', discriminator: { propertyName: 'type' }, oneOf: branches.map((b) => ({ $ref: `#/$defs/${b}` })), $defs: defs, ...extra });
  const err = await catchWsgen(() => schemaToIR(writeSchema({ 'm.json': text })));
  return err.all().map((e) => [e.code, e.message, e.location.pointer, e.hint]);
}

describe('a tag used twice names both branches by pointer and type name', () => {
  it('in the root union', async () => {
    const errors = await errorsOf({ Hello: closed({ type: { const: 'a' } }, ['type']), Bye: closed({ type: { const: 'a' } }, ['type']) }, ['Hello', 'Bye']);
    expect(errors).toEqual([['WSGEN_DISCRIMINATOR', 'tag "a" is used by two branches: oneOf/0 (Hello) and oneOf/1 (Bye)', '/oneOf/1',
      'give Bye a "type" const of its own (or drop one of the two branches): the tag picks the branch, so each value names one type']]);
  });

  it('in a nested oneOf/anyOf with a discriminator (the first branch is not always index 0)', async () => {
    for (const keyword of ['oneOf', 'anyOf']) {
      const errors = await errorsOf({
        A: closed({ type: { const: 'a' }, u: { $ref: '#/$defs/U' } }, ['type']),
        X: closed({ k: { const: 'x' } }, ['k']), Y: closed({ k: { const: 'y' } }, ['k']), Z: closed({ k: { const: 'y' } }, ['k']),
        U: { [keyword]: [{ $ref: '#/$defs/X' }, { $ref: '#/$defs/Y' }, { $ref: '#/$defs/Z' }], discriminator: { propertyName: 'k' } },
      }, ['A']);
      expect(errors).toEqual([['WSGEN_DISCRIMINATOR', `tag "y" is used by two branches: ${keyword}/1 (Y) and ${keyword}/2 (Z)`, `/$defs/U/${keyword}/2`,
        'give Z a "k" const of its own (or drop one of the two branches): the tag picks the branch, so each value names one type']]);
    }
  });

  it('a nested branch without its tag const is named by pointer and type name', async () => {
    const errors = await errorsOf({
      A: closed({ type: { const: 'a' }, u: { $ref: '#/$defs/U' } }, ['type']),
      X: closed({ k: { const: 'x' } }, ['k']), Y: closed({ k: { type: 'string' } }, ['k']),
      U: { oneOf: [{ $ref: '#/$defs/X' }, { $ref: '#/$defs/Y' }], discriminator: { propertyName: 'k' } },
    }, ['A']);
    expect(errors.map((e) => e.slice(0, 3))).toEqual([['WSGEN_DISCRIMINATOR', 'branch oneOf/1 (Y) must be a named object that requires "k" with a string const', '/$defs/U/oneOf/1']]);
  });
});

describe('WSGEN_DEFAULT_INVALID says what the property allows and what the default is', () => {
  /** [property schema, the reason after "refuses it"]. */
  const CASES: Array<[string, object, string]> = [
    ['inline enum', { type: 'string', enum: ['x', 'y'], default: 'z' }, ': must be equal to one of the allowed values: "x", "y" (found "z", a string)'],
    ['enum through $ref', { $ref: '#/$defs/Color', default: 'green' }, ': must be equal to one of the allowed values: "red", "blue" (found "green", a string)'],
    ['enum of mixed values', { enum: [1, 'a', null], default: 2 }, ': must be equal to one of the allowed values: 1, "a", null (found 2, a number)'],
    ['long enum', { enum: Array.from({ length: 12 }, (_, i) => `v${i}`), default: 'w' },
      ': must be equal to one of the allowed values: "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", … (12 in all) (found "w", a string)'],
    ['const', { const: 'k', default: 'j' }, ': must be equal to constant "k" (found "j", a string)'],
    ['type', { type: 'integer', default: '7' }, ': must be integer (found "7", a string)'],
    ['type list', { type: ['string', 'null'], default: 3 }, ': must be string or null (found 3, a number)'],
    ['nullable enum (anyOf)', { anyOf: [{ $ref: '#/$defs/Color' }, { type: 'null' }], default: 'green' },
      ': must be equal to one of the allowed values: "red", "blue", or must be null (found "green", a string)'],
    ['array item type', { type: 'array', items: { type: 'integer' }, default: ['a'] }, ' at /0: must be integer (found "a", a string)'],
    ['a bound (ajv words kept)', { type: 'string', minLength: 3, default: 'ab' }, ': must NOT have fewer than 3 characters (found "ab", a string)'],
  ];

  it.each(CASES)('%s', async (_name, property, reason) => {
    const text = JSON.stringify({ $schema: S, title: 'Msg', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/A' }], $defs: {
      Color: { type: 'string', enum: ['red', 'blue'] }, A: closed({ type: { const: 'a' }, p: property }, ['type']) } });
    const { notices } = await generate({ schema: writeSchema({ 'm.json': text }), targets: ['ts'] });
    expect(notices.map((n) => [n.code, n.location.pointer, n.message])).toEqual([
      ['WSGEN_DEFAULT_INVALID', '/$defs/A/properties/p/default', `the default of property "p" is not applied: the property's schema refuses it${reason}`]]);
  });
});

describe('an input, config, page or output folder error has one location: the path is not repeated in the message', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/wsgen.js'), ...args], { encoding: 'utf8', cwd: ROOT });

  it.each([
    ['validate: an unreadable input', (d: string) => ['validate', join(d, 'missing.json')], (d: string) => join(d, 'missing.json'), 'WSGEN_IO', 'cannot read the input: ENOENT (open)'],
    ['validate: an empty input', (d: string) => ['validate', join(d, 'empty.json')], (d: string) => join(d, 'empty.json'), 'WSGEN_EMPTY_INPUT', 'the input holds no message: it is empty or JSON whitespace only'],
    ['check: a config file that does not exist', (d: string) => ['check', '--config', join(d, 'none.json')], (d: string) => join(d, 'none.json'), 'WSGEN_IO', 'cannot read the config file: ENOENT (open)'],
    ['check: a schema path that does not exist', (d: string) => ['check', '--schema', join(d, 'nope')], (d: string) => join(d, 'nope'), 'WSGEN_IO', 'cannot read the schema path: ENOENT (stat)'],
    ['generate: --out names a file', (d: string) => ['generate', '--out', join(d, 'empty.json')], (d: string) => join(d, 'empty.json'), 'WSGEN_IO', 'cannot write the output folder: EEXIST (mkdir)'],
    ['docs: --out names a page wsgen did not write', (d: string) => ['docs', '--out', join(d, 'page.html')], (d: string) => join(d, 'page.html'), 'WSGEN_FOREIGN_FILES', 'the page was not written by wsgen (no wsgen banner); it was left unchanged'],
  ])('%s', (_name, args, where, code, message) => {
    const dir = writeSchema({ 'empty.json': '', 'page.html': '<p>mine</p>' });
    const json = run(...args(dir), '--json');
    const [error] = (JSON.parse(json.stdout) as { errors: Array<{ code: string; message: string; file: string; pointer: string }> }).errors;
    expect([json.status, error!.code, error!.message, error!.file, error!.pointer]).toEqual([2, code, message, where(dir), '']);
    // The text form: the message, then the one location (no list of the same file), then the hint.
    const text = run(...args(dir));
    expect(text.stderr).toMatch(new RegExp(`^error ${code}: ${message.replace(/[()]/g, '\\$&')}\\n  at ${where(dir)}\\n  hint: [^\\n]+\\n$`));
  }, 60_000);
});
