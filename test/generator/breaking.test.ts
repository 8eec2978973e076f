import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBreaking } from '../../generator/breaking/compare.js';
import { RULES, type RuleId } from '../../generator/breaking/rules.js';
import { ExitCode, main } from '../../generator/cli.js';
import { schemaToIR } from '../../generator/index.js';
import { captureStdio, tempDir } from './helpers.js';

const io = captureStdio();

/** A small protocol: Hello is sent by clients, Event by the server, Chat both ways. */
function baseSchema(): any {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    'x-wsgen-version': '1.0.0',
    discriminator: { propertyName: 'type' },
    oneOf: [{ $ref: '#/$defs/Hello' }, { $ref: '#/$defs/Event' }, { $ref: '#/$defs/Chat' }],
    $defs: {
      Mode: { type: 'string', enum: ['a', 'b'] },
      Level: { type: 'string', enum: ['info', 'warn'] },
      Shape: {
        discriminator: { propertyName: 'kind' },
        oneOf: [
          { type: 'object', properties: { kind: { const: 'circle' }, radius: { type: 'number' } }, required: ['kind'], additionalProperties: false },
          { type: 'object', properties: { kind: { const: 'square' }, side: { type: 'number' } }, required: ['kind'], additionalProperties: false },
          { type: 'object', properties: { kind: { const: 'dot' } }, required: ['kind'], additionalProperties: false },
        ],
      },
      Hello: {
        type: 'object',
        'x-direction': 'client',
        properties: {
          type: { const: 'hello' },
          name: { type: 'string', maxLength: 10 },
          count: { type: 'integer', minimum: 0 },
          mode: { $ref: '#/$defs/Mode' },
          note: { type: 'string' },
          nick: { type: ['string', 'null'] },
          version: { const: 1 },
          blob: {},
          shapes: { type: 'array', items: { $ref: '#/$defs/Shape' } },
        },
        required: ['type', 'name'],
        additionalProperties: false,
      },
      Event: {
        type: 'object',
        'x-direction': 'server',
        description: 'Something happened.',
        properties: { type: { const: 'event' }, level: { $ref: '#/$defs/Level' }, text: { type: 'string', maxLength: 100 }, detail: { type: 'string' }, code: { type: 'integer' }, shape: { $ref: '#/$defs/Shape' } },
        required: ['type', 'level', 'text'],
        additionalProperties: false,
      },
      Chat: {
        type: 'object',
        'x-direction': 'both',
        properties: { type: { const: 'chat' }, text: { type: 'string', pattern: '^[a-z]*$' }, score: { type: 'number', multipleOf: 0.01 }, link: { format: 'email' } },
        required: ['type', 'text'],
        additionalProperties: false,
      },
    },
  };
}

/** Writes a schema into a fresh folder and returns the folder. */
function write(schema: unknown): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'protocol.schema.json'), JSON.stringify(schema, null, 2));
  return dir;
}

function variant(edit: (s: any) => void): string {
  const s = baseSchema();
  edit(s);
  return write(s);
}

const BEFORE = schemaToIR(write(baseSchema()));
const d = (s: any) => s.$defs;

const BREAKING: Array<[RuleId, string, (s: any) => void, string, string]> = [
  ['MESSAGE_REMOVED', 'a server message type removed', (s) => (s.oneOf.splice(1, 1), delete d(s).Event), 'server', '/$defs/Event'],
  ['MESSAGE_REMOVED', 'a client message type removed', (s) => (s.oneOf.splice(0, 1), delete d(s).Hello), 'client', '/$defs/Hello'],
  ['MESSAGE_ADDED', 'a server message type added', (s) => (s.oneOf.push({ $ref: '#/$defs/Bye' }), (d(s).Bye = { type: 'object', 'x-direction': 'server', properties: { type: { const: 'bye' } }, required: ['type'], additionalProperties: false })), 'server', '/$defs/Bye'],
  ['MESSAGE_DIRECTION_REMOVED', 'clients may no longer send chat', (s) => (d(s).Chat['x-direction'] = 'server'), 'client', '/$defs/Chat/x-direction'],
  ['FIELD_REMOVED', 'an optional field of a client message removed', (s) => delete d(s).Hello.properties.note, 'client', '/$defs/Hello/properties/note'],
  ['FIELD_REMOVED', 'a required field of a server message removed', (s) => (delete d(s).Event.properties.text, (d(s).Event.required = ['type', 'level'])), 'server', '/$defs/Event/properties/text'],
  ['FIELD_ADDED_REQUIRED', 'a required field in a client message', (s) => ((d(s).Hello.properties.lang = { type: 'string' }), d(s).Hello.required.push('lang')), 'client', '/$defs/Hello/properties/lang'],
  ['FIELD_ADDED_OPTIONAL', 'an optional field in a server message', (s) => (d(s).Event.properties.extra = { type: 'string' }), 'server', '/$defs/Event/properties/extra'],
  ['FIELD_MADE_REQUIRED', 'a client field made required', (s) => d(s).Hello.required.push('note'), 'client', '/$defs/Hello/properties/note'],
  ['FIELD_MADE_OPTIONAL', 'a server field made optional', (s) => (d(s).Event.required = ['type', 'level']), 'server', '/$defs/Event/properties/text'],
  ['TYPE_CHANGED', 'a client field integer → string', (s) => (d(s).Hello.properties.count = { type: 'string' }), 'client', '/$defs/Hello/properties/count'],
  ['TYPE_CHANGED', 'a server field integer → number (widens)', (s) => (d(s).Event.properties.code = { type: 'number' }), 'server', '/$defs/Event/properties/code'],
  ['TYPE_CHANGED', 'a client field of any value made a string (narrows)', (s) => (d(s).Hello.properties.blob = { type: 'string' }), 'client', '/$defs/Hello/properties/blob'],
  ['NULL_ADDED', 'a server field now nullable', (s) => (d(s).Event.properties.detail = { type: ['string', 'null'] }), 'server', '/$defs/Event/properties/detail'],
  ['NULL_REMOVED', 'a client field no longer nullable', (s) => (d(s).Hello.properties.nick = { type: 'string' }), 'client', '/$defs/Hello/properties/nick'],
  ['CONSTRAINT_NARROWED', 'a smaller maxLength on a client field', (s) => (d(s).Hello.properties.name.maxLength = 5), 'client', '/$defs/Hello/properties/name/maxLength'],
  ['CONSTRAINT_NARROWED', 'a larger minimum on a client field', (s) => (d(s).Hello.properties.count.minimum = 1), 'client', '/$defs/Hello/properties/count/minimum'],
  ['CONSTRAINT_NARROWED', 'a new pattern on a client field', (s) => (d(s).Hello.properties.note.pattern = '^[a-z]+$'), 'client', '/$defs/Hello/properties/note/pattern'],
  ['CONSTRAINT_NARROWED', 'a new minLength on a both-ways field', (s) => (d(s).Chat.properties.text.minLength = 1), 'both', '/$defs/Chat/properties/text/minLength'],
  ['CONSTRAINT_WIDENED', 'a larger maxLength on a server field', (s) => (d(s).Event.properties.text.maxLength = 200), 'server', '/$defs/Event/properties/text/maxLength'],
  ['CONSTRAINT_WIDENED', 'a maxLength removed from a server field', (s) => delete d(s).Event.properties.text.maxLength, 'server', '/$defs/Event/properties/text/maxLength'],
  ['CONSTRAINT_NARROWED', 'a new multipleOf on a client field', (s) => (d(s).Hello.properties.count.multipleOf = 2), 'client', '/$defs/Hello/properties/count/multipleOf'],
  ['CONSTRAINT_NARROWED', 'a new format on a client field', (s) => (d(s).Hello.properties.note.format = 'email'), 'client', '/$defs/Hello/properties/note/format'],
  ['CONSTRAINT_NARROWED', 'a multipleOf that is a multiple of the old one', (s) => (d(s).Chat.properties.score.multipleOf = 0.05), 'both', '/$defs/Chat/properties/score/multipleOf'],
  ['PATTERN_CHANGED', 'a multipleOf that is no multiple of the old one', (s) => (d(s).Chat.properties.score.multipleOf = 0.015), 'both', '/$defs/Chat/properties/score/multipleOf'],
  ['PATTERN_CHANGED', 'another format on an untyped field', (s) => (d(s).Chat.properties.link.format = 'uri'), 'both', '/$defs/Chat/properties/link/format'],
  ['PATTERN_CHANGED', 'another pattern on a both-ways field', (s) => (d(s).Chat.properties.text.pattern = '^[a-y]*$'), 'both', '/$defs/Chat/properties/text/pattern'],
  ['CONST_CHANGED', 'a client constant changed', (s) => (d(s).Hello.properties.version = { const: 2 }), 'client', '/$defs/Hello/properties/version'],
  ['ENUM_VALUE_ADDED', 'a value added to an enum the server sends', (s) => d(s).Level.enum.push('error'), 'server', '/$defs/Level'],
  ['ENUM_VALUE_REMOVED', 'a value removed from an enum clients send', (s) => d(s).Mode.enum.pop(), 'client', '/$defs/Mode'],
  ['UNION_BRANCH_ADDED', 'a branch added to a union the server sends', (s) => d(s).Shape.oneOf.push({ type: 'object', properties: { kind: { const: 'line' } }, required: ['kind'], additionalProperties: false }), 'server', '/$defs/Shape/oneOf/3'],
  ['UNION_BRANCH_REMOVED', 'a branch removed from a union clients send', (s) => d(s).Shape.oneOf.shift(), 'client', '/$defs/Shape/oneOf'],
  ['DEFAULT_CHANGED', 'a default added to a field only clients send', (s) => (d(s).Hello.properties.note.default = 'hi'), 'client', '/$defs/Hello/properties/note/default'],
  ['CONSTRAINT_NARROWED', 'a bound added in a branch clients send, the branches reordered', (s) => (d(s).Shape.oneOf.reverse(), (d(s).Shape.oneOf[2].properties.radius.minimum = 1)), 'client', '/$defs/Shape/oneOf/2/properties/radius/minimum'],
];

const CONTROLS: Array<[string, (s: any) => void]> = [
  ['the branches of a discriminated union reordered', (s) => d(s).Shape.oneOf.reverse()],
  ['an optional field added to a client message', (s) => (d(s).Hello.properties.lang = { type: 'string' })],
  ['a larger maxLength on a client field', (s) => (d(s).Hello.properties.name.maxLength = 20)],
  ['a value added to an enum only clients send', (s) => d(s).Mode.enum.push('c')],
  ['an optional field removed from a server message', (s) => delete d(s).Event.properties.detail],
  ['a smaller maxLength on a server field', (s) => (d(s).Event.properties.text.maxLength = 50)],
  ['a value removed from an enum only the server sends', (s) => d(s).Level.enum.pop()],
  ['a client message type added', (s) => (s.oneOf.push({ $ref: '#/$defs/Bye' }), (d(s).Bye = { type: 'object', 'x-direction': 'client', properties: { type: { const: 'bye' } }, required: ['type'], additionalProperties: false }))],
  ['a description reworded', (s) => (d(s).Event.description = 'Something else happened.')],
  ['a client field integer → number', (s) => (d(s).Hello.properties.count = { type: 'number', minimum: 0 })],
  ['a client field made any JSON value', (s) => (d(s).Hello.properties.count = {})],
  ['a server message sendable by clients too', (s) => (d(s).Event['x-direction'] = 'both')],
];

describe('wsgen breaking rules', () => {
  it.each(BREAKING)('%s: %s', (rule, _what, edit, direction, pointer) => {
    const findings = findBreaking(BEFORE, schemaToIR(variant(edit)));
    expect(findings).toEqual([expect.objectContaining({ rule, direction, file: 'protocol.schema.json', pointer })]);
  });

  it.each(BREAKING)('%s (%s) says which schema its place is in: old for what was removed, else new', (rule, _what, edit) => {
    const after = schemaToIR(variant(edit));
    const [f] = findBreaking(BEFORE, after);
    const side = rule === 'MESSAGE_REMOVED' || rule === 'FIELD_REMOVED' ? 'old' : 'new';
    expect(f!.schema).toBe(side);
    // The place is in that schema: the removed type or field is gone from the new one.
    const names = (ir: typeof BEFORE) => [...ir.objects.map((o) => o.loc.pointer), ...ir.objects.flatMap((o) => o.properties.map((p) => p.loc.pointer))];
    if (side === 'old') {
      expect(names(BEFORE)).toContain(f!.pointer);
      expect(names(after)).not.toContain(f!.pointer);
    }
  });

  it('checks a type whose direction changed as both ways', () => {
    const findings = findBreaking(BEFORE, schemaToIR(variant((s) => ((d(s).Event['x-direction'] = 'both'), (d(s).Event.properties.text.maxLength = 50)))));
    expect(findings).toEqual([expect.objectContaining({ rule: 'CONSTRAINT_NARROWED', direction: 'both', pointer: '/$defs/Event/properties/text/maxLength' })]);
  });

  it('names a branch of a discriminated union by its tag, not its index', () => {
    const findings = findBreaking(BEFORE, schemaToIR(variant((s) => (d(s).Shape.oneOf[0].properties.radius.minimum = 1))));
    expect(findings.map((f) => f.message)).toEqual(['hello.shapes[]|circle.radius: minimum added (none → 1)']);
  });

  it('points through a $ref at the $defs entry where the changed keyword is written', () => {
    const money = (multipleOf: number) => (s: any) => {
      d(s).Money = { type: 'number', multipleOf };
      d(s).Hello.properties.amount = { $ref: '#/$defs/Money' };
      d(s).Hello.properties.prices = { type: 'array', items: { $ref: '#/$defs/Money' } };
    };
    const findings = findBreaking(schemaToIR(variant(money(0.01))), schemaToIR(variant(money(0.015))));
    expect(findings.map((f) => [f.rule, f.pointer])).toEqual([['PATTERN_CHANGED', '/$defs/Money/multipleOf']]);
    expect(findings[0]!.message).toBe('hello.amount: multipleOf 0.01 → 0.015');
  });

  it.each(BREAKING)('the pointer of %s (%s) is a place in the new schema, or in the old one for what was removed', (_rule, _what, edit) => {
    const after = baseSchema();
    edit(after);
    const at = (doc: unknown, pointer: string) =>
      pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')).reduce<any>((node, token) => (node === undefined ? undefined : node[token]), doc);
    for (const f of findBreaking(BEFORE, schemaToIR(write(after)))) {
      const place = at(after, f.pointer) ?? at(baseSchema(), f.pointer);
      expect(place, `${f.rule} ${f.pointer}`).toBeDefined();
    }
  });

  it('has a breaking case for every rule', () => {
    expect(new Set(BREAKING.map((r) => r[0]))).toEqual(new Set(Object.keys(RULES)));
  });

  it.each(CONTROLS)('not breaking: %s', (_what, edit) => {
    expect(findBreaking(BEFORE, schemaToIR(variant(edit)))).toEqual([]);
  });

  it('follows aliases, arrays and nested objects of a message', () => {
    const nested = (maxItems: number, max: number) => (s: any) => {
      d(s).Tag = { type: 'string', maxLength: max };
      d(s).Item = { type: 'object', properties: { tag: { $ref: '#/$defs/Tag' } }, required: ['tag'], additionalProperties: false };
      d(s).Hello.properties.items = { type: 'array', items: { $ref: '#/$defs/Item' }, maxItems };
    };
    const before = schemaToIR(variant(nested(5, 10)));
    const findings = findBreaking(before, schemaToIR(variant(nested(3, 8))));
    expect(findings.map((f) => [f.rule, f.pointer]).sort()).toEqual([
      ['CONSTRAINT_NARROWED', '/$defs/Hello/properties/items/maxItems'],
      ['CONSTRAINT_NARROWED', '/$defs/Tag/maxLength'],
    ]);
  });
});

describe('wsgen breaking (CLI)', () => {
  const narrowed = () => variant((s) => (d(s).Hello.properties.name.maxLength = 5));

  it('exits 1 on a breaking change without a major bump, naming rule, direction and pointer', async () => {
    const old = write(baseSchema());
    expect(await main(['breaking', '--schema', narrowed(), '--against', old])).toBe(ExitCode.FAILED);
    expect(io.out()).toContain('breaking CONSTRAINT_NARROWED [client] protocol.schema.json#/$defs/Hello/properties/name/maxLength: hello.name: maxLength changed (10 → 5)');
    expect(io.out()).toMatch(/1 breaking change\(s\) against .* without a major version bump \(1\.0\.0 → 1\.0\.0\): bump x-wsgen-version to 2\.0\.0/);
  });

  it('writes "old schema" before the place of a removed message type (it is in the --against schema)', async () => {
    const old = write(baseSchema());
    const removed = variant((s) => (s.oneOf.splice(1, 1), delete d(s).Event));
    expect(await main(['breaking', '--schema', removed, '--against', old])).toBe(ExitCode.FAILED);
    expect(io.out()).toContain('breaking MESSAGE_REMOVED [server] old schema protocol.schema.json#/$defs/Event: message type "event" was removed');
  });

  it('exits 0 when the major version is bumped, and with no breaking change', async () => {
    const old = write(baseSchema());
    const bumped = variant((s) => ((d(s).Hello.properties.name.maxLength = 5), (s['x-wsgen-version'] = '2.0.0')));
    expect(await main(['breaking', '--schema', bumped, '--against', old])).toBe(ExitCode.OK);
    expect(io.out()).toMatch(/allowed by the major version bump \(1\.0\.0 → 2\.0\.0\)/);
    expect(await main(['breaking', '--schema', variant((s) => (s['x-wsgen-version'] = '1.1.0')), '--against', join(old, 'protocol.schema.json')])).toBe(ExitCode.OK);
    expect(io.out()).toMatch(/no breaking change/);
  });

  it('--json: {ok, command, against, versions, majorBump, findings, errors}', async () => {
    const old = write(baseSchema());
    expect(await main(['breaking', '--json', '--schema', narrowed(), '--against', old])).toBe(ExitCode.FAILED);
    expect(JSON.parse(io.out())).toEqual({
      ok: false, command: 'breaking', against: old, versions: { before: '1.0.0', after: '1.0.0' }, majorBump: false, errors: [],
      version: { required: 'major', written: 'none', ok: false, rule: 'MAJOR_NOT_BUMPED', suggested: '2.0.0', message: expect.stringContaining('1 breaking change(s)') },
      findings: [{ rule: 'CONSTRAINT_NARROWED', direction: 'client', messages: ['hello'], file: 'protocol.schema.json', pointer: '/$defs/Hello/properties/name/maxLength', schema: 'new', message: 'hello.name: maxLength changed (10 → 5)' }],
    });
  });

  it('compares with the same schema path at a git ref', async () => {
    const repo = tempDir();
    mkdirSync(join(repo, 'proto'));
    const file = join(repo, 'proto/protocol.schema.json');
    writeFileSync(file, JSON.stringify(baseSchema()));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'v1');
    const s = baseSchema();
    d(s).Level.enum.push('error');
    writeFileSync(file, JSON.stringify(s));
    expect(await main(['breaking', '--json', '--schema', join(repo, 'proto'), '--against', 'HEAD'])).toBe(ExitCode.FAILED);
    const r = JSON.parse(io.out());
    expect(r).toMatchObject({ ok: false, against: 'HEAD:proto', findings: [{ rule: 'ENUM_VALUE_ADDED', direction: 'server' }] });
  });

  it('exits 2 with WSGEN_AGAINST for something that is neither a path nor a git ref', async () => {
    expect(await main(['breaking', '--json', '--schema', write(baseSchema()), '--against', 'no-such-ref-or-path'])).toBe(ExitCode.SCHEMA);
    expect(JSON.parse(io.out())).toMatchObject({ ok: false, command: 'breaking', errors: [{ code: 'WSGEN_AGAINST', file: 'no-such-ref-or-path' }] });
  });
});
