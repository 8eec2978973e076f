import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { protocol as bundled } from '../../generated/ts/protocol.js';
import { generate } from '../../generator/index.js';
import { CAPABILITY_ROLES, FIELD_KINDS, FIELD_ROLES, MESSAGE_ROLES, MESSAGE_ROLE_SPECS, RUNTIME_CLOSE_CODES, RUNTIME_ERROR_CODES, RESUME_ERROR_CODE } from '../../generator/roles.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from './helpers.js';

// docs/roles.md says what the catalogue and the descriptors say: its tables are
// read back and compared with generator/roles-catalogue.ts and with the
// descriptors of the bundled protocol and the whiteboard fixture.

const DOC = readFileSync(join(ROOT, 'docs/roles.md'), 'utf8');

/** The rows of the first table after `heading`, as cells with backticks removed. */
function table(heading: string): string[][] {
  const rest = DOC.slice(DOC.indexOf(heading)).split('\n');
  const start = rest.findIndex((l) => l.startsWith('|'));
  const block: string[] = [];
  for (const l of rest.slice(start)) {
    if (!l.startsWith('|')) break;
    block.push(l);
  }
  return block.slice(2).map((l) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, '')));
}

const list = (cell: string) => (cell === '—' ? [] : cell.split(/,\s*/));

describe('docs/roles.md', async () => {
  const dir = tempDir();
  const { files } = await generate({ schema: join(ROOT, 'test/fixtures/whiteboard'), out: join(dir, 'gen'), targets: ['ts'] });
  writeOutput(join(dir, 'gen'), files);
  const board = (await import(pathToFileURL(join(dir, 'gen/ts/protocol.ts')).href)).protocol as typeof bundled;

  it('lists every message role with its directions, needed fields, capability and the types of both protocols', () => {
    const rows = table('## Message roles');
    expect(rows.map((r) => r[0])).toEqual([...MESSAGE_ROLES]);
    for (const [role, sentBy, needs, capability, inBundled, inBoard] of rows) {
      const spec = MESSAGE_ROLE_SPECS[role as keyof typeof MESSAGE_ROLE_SPECS];
      expect(list(sentBy!), role).toEqual(spec.directions);
      expect(list(needs!), role).toEqual(spec.required);
      expect(capability, role).toBe(spec.capability);
      expect((bundled.roles as Record<string, string>)[role!], role).toBe(inBundled);
      expect((board.roles as Record<string, string>)[role!], role).toBe(inBoard);
    }
  });

  it('lists every field role with its kind and the field of both protocols', () => {
    const rows = table('## Field roles');
    expect(rows.map((r) => r[0])).toEqual([...FIELD_ROLES]);
    const kindWords = { string: 'string', counter: 'integer, minimum: 0', 'error-code': 'the enum with role error-codes', object: 'open object', any: 'anything' };
    for (const [role, value, inBundled, inBoard] of rows) {
      expect(value!.startsWith(kindWords[FIELD_KINDS[role as keyof typeof FIELD_KINDS].kind]), role).toBe(true);
      expect((bundled.fields as Record<string, string>)[role!], role).toBe(inBundled);
      expect((board.fields as Record<string, string>)[role!], role).toBe(inBoard);
    }
  });

  it('names the error codes and close codes the runtimes need', () => {
    const errorPart = DOC.slice(DOC.indexOf('"error-codes"'), DOC.indexOf('"close-codes"'));
    expect([...errorPart.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1])).toEqual([...RUNTIME_ERROR_CODES, RESUME_ERROR_CODE]);
    const closePart = DOC.slice(DOC.indexOf('"close-codes"'), DOC.indexOf('x-wsgen-priority: "low"'));
    expect(Object.fromEntries([...closePart.matchAll(/`([A-Z_]+)` (\d+)/g)].map((m) => [m[1], Number(m[2])]))).toEqual(RUNTIME_CLOSE_CODES);
  });

  it('says which roles make each capability', () => {
    const rows = table('## Capabilities');
    expect(rows.map((r) => r[0])).toEqual(Object.keys(CAPABILITY_ROLES));
    for (const [cap, roles] of rows) expect(list(roles!.replace(/ \(.*\)/, '')), cap).toEqual(CAPABILITY_ROLES[cap as keyof typeof CAPABILITY_ROLES]);
  });

  it('README names every generator error code, WSGEN_ROLE included', async () => {
    const { GeneratorErrorCode } = await import('../../generator/errors.js');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const code of Object.values(GeneratorErrorCode)) expect(readme, code).toContain(`| \`${code}\` |`);
  });

  it('is right that the role library CloseCode is the standard table', () => {
    const lib = JSON.parse(readFileSync(join(ROOT, 'schema/wsgen/roles.schema.json'), 'utf8'));
    expect(Object.fromEntries(lib.$defs.CloseCode.oneOf.map((b: { title: string; const: number }) => [b.title, b.const]))).toEqual(RUNTIME_CLOSE_CODES);
    expect(Object.keys(lib.$defs)).toEqual(['MessageId', 'Sequence', 'StreamEpoch', 'StreamIndex', 'SessionId', 'SchemaHash', 'CloseCode']);
  });
});
