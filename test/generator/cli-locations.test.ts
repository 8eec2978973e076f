// Where the CLI says an error or warning is (TRIAL9 findings 11 and 12): a schema file is named from the working
// directory (editors, problem matchers and CI annotations open it as given), `#` only before a pointer, and the
// warnings of a run that fails come out in the same run as its errors (stderr and --json), for generate and check.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { WsgenError } from '../../generator/errors.js';
import { runErrors } from '../../generator/cli/watch.js';
import { ROOT, tempDir, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';
const LEVEL = '/$defs/Ping/properties/level/default';

/** A project folder with `schema/protocol.schema.json`: Ping has a default its maximum refuses; `bad` adds a failing definition. */
function project(bad: 'meta' | 'ir' | 'none'): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'schema'));
  const badDef = bad === 'meta'
    ? { type: 'object', properties: { type: { const: 'bad' }, x: { type: 'strin' } }, required: ['type'], additionalProperties: false }
    : bad === 'ir'
      // Fails in the IR stage (a pattern JS and Python read differently), and holds a default of its own: no warning while it fails.
      ? { type: 'object', properties: { type: { const: 'bad' }, x: { type: 'string', pattern: '(?<=a)b' }, n: { type: 'integer', maximum: 1, default: 7 } }, required: ['type'], additionalProperties: false }
      : { type: 'object', properties: { type: { const: 'bad' } }, required: ['type'], additionalProperties: false };
  writeFileSync(join(dir, 'schema', 'protocol.schema.json'), JSON.stringify({
    $schema: S,
    discriminator: { propertyName: 'type' },
    oneOf: [{ $ref: '#/$defs/Ping' }, { $ref: '#/$defs/Bad' }, { $ref: '#/$defs/Uses' }],
    $defs: {
      Ping: { type: 'object', properties: { type: { const: 'ping' }, level: { type: 'integer', maximum: 5, default: 9 } }, required: ['type'], additionalProperties: false },
      Bad: badDef,
      // A default whose type reaches the failing definition: not judged while it fails.
      Uses: { type: 'object', properties: { type: { const: 'uses' }, b: { $ref: '#/$defs/Bad', default: 3 } }, required: ['type'], additionalProperties: false },
    },
  }, null, 2));
  return dir;
}

/** Runs the CLI in `cwd`. */
function wsgen(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/wsgen.js'), ...args], { cwd, encoding: 'utf8' });
}

describe('the warnings of a failing run', () => {
  it.each(['meta', 'ir'] as const)('generate prints them with the errors (a %s error), and --json lists them', (bad) => {
    const dir = project(bad);
    const human = wsgen(dir, 'generate', '--schema', 'schema', '--out', 'gen');
    expect(human.status).toBe(2);
    const warnings = human.stderr.split('\n').filter((l) => l.startsWith('wsgen: warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`wsgen: warning WSGEN_DEFAULT_INVALID schema/protocol.schema.json#${LEVEL}: the default of property "level" is not applied`);
    const json = wsgen(dir, 'generate', '--schema', 'schema', '--out', 'gen', '--json');
    const r = JSON.parse(json.stdout) as { ok: boolean; errors: unknown[]; warnings: Array<Record<string, string>> };
    expect([json.status, r.ok, r.errors.length > 0]).toEqual([2, false, true]);
    expect(r.warnings).toEqual([{ code: 'WSGEN_DEFAULT_INVALID', message: expect.stringContaining('"level"'), file: 'protocol.schema.json', path: 'schema/protocol.schema.json', pointer: LEVEL, hint: expect.any(String) }]);
  });

  it('check gives them too', () => {
    const dir = project('ir');
    const human = wsgen(dir, 'check', '--schema', 'schema', '--out', 'gen');
    expect(human.status).toBe(2);
    expect(human.stderr).toContain(`wsgen: warning WSGEN_DEFAULT_INVALID schema/protocol.schema.json#${LEVEL}: `);
    const r = JSON.parse(wsgen(dir, 'check', '--schema', 'schema', '--out', 'gen', '--json').stdout) as { warnings: Array<{ pointer: string }> };
    expect(r.warnings.map((w) => w.pointer)).toEqual([LEVEL]);
  });

  it('the library sets them on the thrown error; the same warnings as a passing run once the error is fixed', async () => {
    const failing = await generate({ schema: join(project('ir'), 'schema'), targets: ['ts'] }).then(() => undefined, (e: unknown) => e);
    expect(failing).toBeInstanceOf(WsgenError);
    const notices = (failing as WsgenError).notices.map((n) => [n.code, n.location.pointer]);
    const passing = (await generate({ schema: join(project('none'), 'schema'), targets: ['ts'] })).notices.map((n) => [n.code, n.location.pointer]);
    expect(notices).toEqual([['WSGEN_DEFAULT_INVALID', LEVEL]]);
    // Fixed, Uses.b's default (3, not a Bad) is judged and refused too.
    expect(passing).toEqual([['WSGEN_DEFAULT_INVALID', LEVEL], ['WSGEN_DEFAULT_INVALID', '/$defs/Uses/properties/b/default']]);
  });
});

describe('error places', () => {
  it('name a schema file from the working directory, in text and in --json (path; file stays relative to the schema root)', () => {
    const dir = project('meta');
    const human = wsgen(dir, 'generate', '--schema', 'schema', '--out', 'gen');
    expect(human.stderr).toContain('\n  at schema/protocol.schema.json#/$defs/Bad/properties/x/type\n');
    const nested = wsgen(join(dir, 'schema'), 'generate', '--schema', '.', '--out', '../gen');
    expect(nested.stderr).toContain('\n  at protocol.schema.json#/$defs/Bad/properties/x/type\n');
    const r = JSON.parse(wsgen(dir, 'generate', '--schema', 'schema/protocol.schema.json', '--out', 'gen', '--json').stdout) as { errors: Array<Record<string, string>> };
    expect(r.errors[0]).toMatchObject({ code: 'WSGEN_META', file: 'protocol.schema.json', path: 'schema/protocol.schema.json', pointer: '/$defs/Bad/properties/x/type' });
  });

  it('write no `#` after a file without a pointer (WSGEN_FOREIGN_FILES, WSGEN_JSON)', () => {
    const dir = project('none');
    mkdirSync(join(dir, 'gen', 'ts'), { recursive: true });
    writeFileSync(join(dir, 'gen', 'ts', 'stray.ts'), 'export {};\n');
    const foreign = wsgen(dir, 'generate', '--schema', 'schema', '--out', 'gen');
    expect(foreign.stderr).toMatch(/error WSGEN_FOREIGN_FILES: [^\n]*\n(    [^\n]*\n)*  at [^\n]*stray\.ts\n/);
    writeFileSync(join(dir, 'schema', 'protocol.schema.json'), '{"oneOf": [');
    const json = wsgen(dir, 'generate', '--schema', 'schema', '--out', 'gen');
    expect(json.stderr).toContain('\n  at schema/protocol.schema.json\n');
  });
});

describe('watch', () => {
  it('names the JSON syntax error of every schema file, and a changed root file, as the pipeline names its errors', () => {
    const dir = writeSchema({ 'a.json': '{"x": ', 'b.json': '[' });
    const found = runErrors(dir, new WsgenError('WSGEN_JSON', 'first', { file: 'a.json', pointer: '' }, 'fix it'));
    expect(found.map((e) => [e.code, e.path])).toEqual([['WSGEN_JSON', join(dir, 'a.json')], ['WSGEN_JSON', join(dir, 'b.json')]]);
    const ok = writeSchema({ 'a.json': '{}' });
    const moved = runErrors(ok, new WsgenError('WSGEN_WATCH_ROOT', 'moved', { file: 'm.json', pointer: '' }, 'restore it'));
    expect(moved.map((e) => e.path)).toEqual([join(ok, 'm.json')]);
  });
});
