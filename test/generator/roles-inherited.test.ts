// Role errors about an annotation a message type inherits through allOf: one error, at the place where the
// annotation is written (the base), with a JSON pointer that resolves in that file; never one error per message
// type at a pointer under it, which does not exist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { catchWsgen, writeSchema } from './helpers.js';

type Defs = Record<string, any>;
const S = 'https://json-schema.org/draft/2020-12/schema';

/** A message type that narrows Base to its tag. */
const narrowing = (tag: string, extra: object = { 'x-direction': 'client' }) => ({ allOf: [{ $ref: '#/$defs/Base' }], properties: { kind: { const: tag } }, required: ['kind'], unevaluatedProperties: false, ...extra });

/** Three message types on one base whose `ref` has the correlation-id role; `edit` changes the defs (each but Base and Part* is a branch of the union). */
function protocol(edit: (d: Defs) => void): string {
  const defs: Defs = {
    Base: { type: 'object', properties: { kind: { type: 'string' }, ref: { type: 'string', 'x-wsgen-role': 'correlation-id' } }, required: ['kind'] },
    A: narrowing('a'),
    B: narrowing('b'),
    C: narrowing('c'),
  };
  edit(defs);
  const variants = Object.keys(defs).filter((k) => k !== 'Base' && !k.startsWith('Part'));
  return writeSchema({ 'p.json': JSON.stringify({ $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' }, oneOf: variants.map((v) => ({ $ref: `#/$defs/${v}` })), $defs: defs }, null, 2) });
}

/** The value at a JSON pointer (RFC 6901) of the file, or undefined when the pointer does not resolve. */
function resolve(dir: string, file: string, pointer: string): unknown {
  let v: any = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  for (const t of pointer.split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, t)) return undefined;
    v = v[t];
  }
  return v;
}

/** Every error of the schema, as [code, message, pointer], after checking that each pointer resolves in its file. */
async function errorsOf(dir: string): Promise<Array<[string, string, string]>> {
  const err = await catchWsgen(() => schemaToIR(dir));
  return err.all().map((e) => {
    expect(resolve(dir, e.location.file, e.location.pointer), `${e.code} ${e.message} at ${e.location.file}#${e.location.pointer}`).toBeDefined();
    return [e.code, e.message, e.location.pointer];
  });
}

describe('role errors on annotations inherited through allOf: one error, where the annotation is written', () => {
  it('a field role of the wrong type (the trial: an integer correlation id on ClientBase.ref)', async () => {
    const dir = protocol((d) => (d.Base.properties.ref.type = 'integer'));
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', 'field ref (role "correlation-id") is integer, not a string', '/$defs/Base/properties/ref/x-wsgen-role']]);
  });

  it('an unknown field role', async () => {
    const dir = protocol((d) => (d.Base.properties.ref['x-wsgen-role'] = 'corelation-id'));
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', expect.stringContaining('"x-wsgen-role" is "corelation-id"'), '/$defs/Base/properties/ref/x-wsgen-role']]);
  });

  it('an unknown x-wsgen-* annotation on a field', async () => {
    const dir = protocol((d) => {
      delete d.Base.properties.ref['x-wsgen-role'];
      d.Base.properties.ref['x-wsgen-roles'] = 'correlation-id';
    });
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', expect.stringContaining('unknown annotation "x-wsgen-roles"'), '/$defs/Base/properties/ref/x-wsgen-roles']]);
  });

  it('an unknown x-direction the message types take from their base', async () => {
    const dir = protocol((d) => {
      d.Base['x-direction'] = 'sideways';
      for (const t of ['A', 'B', 'C']) delete d[t]['x-direction'];
    });
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', expect.stringContaining('"x-direction" is "sideways"'), '/$defs/Base/x-direction']]);
  });

  it('a sequence field that the base requires: at the base\'s required, under the base\'s name', async () => {
    const dir = protocol((d) => {
      d.Base.properties.seq = { type: 'integer', minimum: 0, 'x-wsgen-role': 'sequence' };
      d.Base.required = ['kind', 'seq'];
      for (const t of ['A', 'B', 'C']) d[t]['x-direction'] = 'server';
    });
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', 'Base.seq (role sequence) is required', '/$defs/Base/required']]);
  });

  it('a field role named differently in the base than in another message type', async () => {
    const dir = protocol((d) => {
      d.Other = { type: 'object', 'x-direction': 'client', properties: { kind: { const: 'other' }, id: { type: 'string', 'x-wsgen-role': 'correlation-id' } }, required: ['kind'], additionalProperties: false };
      // Other first in the union, so that its name is the one "elsewhere".
      const { Other, ...rest } = d;
      for (const k of Object.keys(d)) delete d[k];
      Object.assign(d, { Other, ...rest });
    });
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', 'field role "correlation-id" is "id" elsewhere but "ref" in Base', '/$defs/Base/properties/ref/x-wsgen-role']]);
  });

  it('an object that is no message type but extends the base: the roles it inherits are written in the base, where they belong', async () => {
    const dir = protocol((d) => {
      d.Part = { allOf: [{ $ref: '#/$defs/Base' }], properties: { own: { type: 'string', 'x-wsgen-role': 'error-text' } }, unevaluatedProperties: false };
      d.A.properties.part = { $ref: '#/$defs/Part' };
    });
    // Only Part's own role is out of place; before, Part.ref was reported too, at /$defs/Part/properties/ref/x-wsgen-role (no such pointer).
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', 'a field role on Part.own, which is not a field of a message type', '/$defs/Part/properties/own/x-wsgen-role']]);
  });

  it('an annotation a message type writes itself is still reported under it', async () => {
    const dir = protocol((d) => (d.B.properties.ref = { maxLength: 3, 'x-wsgen-role': 'correlation-id' }));
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', expect.stringContaining('field ref (role "correlation-id") refuses'), '/$defs/B/properties/ref/x-wsgen-role']]);
  });
});

describe('a role\'s required field checked on a message type whose properties it inherits: the pointer resolves', () => {
  /** A message type D with no `properties` of its own: its tag (PartD) and the rest (Base) come through allOf. */
  const inherited = (d: Defs, extra: object) => {
    d.PartD = { type: 'object', properties: { kind: { const: 'd' } }, required: ['kind'] };
    d.D = { allOf: [{ $ref: '#/$defs/Base' }, { $ref: '#/$defs/PartD' }], unevaluatedProperties: false, ...extra };
  };

  it('a missing role field: at the role annotation that asks for it', async () => {
    const dir = protocol((d) => {
      delete d.Base.properties.ref['x-wsgen-role'];
      inherited(d, { 'x-direction': 'server', 'x-wsgen-role': 'pong' });
    });
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', 'D (role "pong") needs a required field with role "correlation-id"', '/$defs/D/x-wsgen-role']]);
  });

  it('a role field that is optional: at that field\'s role annotation, in the base it comes from', async () => {
    const dir = protocol((d) => inherited(d, { 'x-direction': 'server', 'x-wsgen-role': 'pong' }));
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', 'D (role "pong") needs a required field with role "correlation-id"; ref is optional', '/$defs/Base/properties/ref/x-wsgen-role']]);
  });

  it('a server message without the sequence field under resume: at the message type itself', async () => {
    const Sid = { type: 'string', 'x-wsgen-role': 'session-id' };
    const Epoch = { type: 'string', 'x-wsgen-role': 'stream-epoch' };
    const Seq = { type: 'integer', minimum: 0, 'x-wsgen-role': 'sequence' };
    const msg = (tag: string, dir: string, role: string | undefined, props: object, required: string[] = []) => ({
      type: 'object', 'x-direction': dir, ...(role ? { 'x-wsgen-role': role } : {}), properties: { kind: { const: tag }, ...props }, required: ['kind', ...required], additionalProperties: false });
    const dir = protocol((d) => {
      // Base is a base only through D's two-$ref allOf: its correlation-id role is D's, not "outside a message type".
      for (const k of ['A', 'B', 'C']) delete d[k];
      Object.assign(d, {
        Created: msg('created', 'server', 'session-created', { sid: Sid, epoch: Epoch, seq: Seq }, ['sid', 'epoch']),
        Resume: msg('resume', 'client', 'session-resume', { sid: Sid, last: { type: 'integer', minimum: 0, 'x-wsgen-role': 'last-sequence' }, epoch: Epoch }, ['sid', 'last', 'epoch']),
        Updated: msg('updated', 'server', 'session-updated', { status: { type: 'string', 'x-wsgen-role': 'session-status' }, seq: Seq }, ['status']),
        Failure: msg('failure', 'server', 'error', { code: { $ref: '#/$defs/PartCode', 'x-wsgen-role': 'error-code' }, seq: Seq }, ['code']),
        PartCode: { 'x-wsgen-role': 'error-codes', oneOf: ['INVALID_MESSAGE', 'UNSUPPORTED_TYPE', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED', 'INTERNAL_ERROR', 'RECOVERY_FAILED'].map((c) => ({ const: c, title: c, 'x-retryable': false })) },
      });
      inherited(d, { 'x-direction': 'server' });
    });
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', 'server message d has no field with role "sequence"', '/$defs/D']]);
  });
});

describe('no role error that only follows from a message type the union refused (README: none listed that only follows from another)', () => {
  const codes = (errors: Array<[string, string, string]>) => errors.map(([code, , pointer]) => [code, pointer]);

  it('a duplicate tag: its own message and field roles are not "outside a message type"', async () => {
    const dir = protocol((d) => {
      d.C.properties.kind.const = 'b';
      Object.assign(d.C, { 'x-wsgen-role': 'error', 'x-direction': 'server' });
      d.C.properties.why = { type: 'string', 'x-wsgen-role': 'error-text' };
    });
    expect(codes(await errorsOf(dir))).toEqual([['WSGEN_DISCRIMINATOR', '/oneOf/2']]);
  });

  it('a branch without a tag const: the same', async () => {
    const dir = protocol((d) => {
      d.C.properties = { why: { type: 'string', 'x-wsgen-role': 'error-text' } };
      d.C.required = [];
    });
    expect(codes(await errorsOf(dir))).toEqual([['WSGEN_DISCRIMINATOR', '/$defs/C']]);
  });

  it('a branch that is an alias of an object (through one alias or two): the roles of that object are not "outside a message type"', async () => {
    for (const chain of [['PartReal'], ['PartMid', 'PartReal']]) {
      const dir = protocol((d) => {
        d.C = { $ref: `#/$defs/${chain[0]}` };
        if (chain.length === 2) d.PartMid = { $ref: '#/$defs/PartReal' };
        d.PartReal = { type: 'object', properties: { kind: { const: 'c' }, why: { type: 'string', 'x-wsgen-role': 'error-text' } }, required: ['kind'], additionalProperties: false };
      });
      expect(codes(await errorsOf(dir)), chain.join(' → ')).toEqual([['WSGEN_DISCRIMINATOR', '/$defs/C']]);
    }
  });

  it('a refused pong: no "capability heartbeat has ping but not pong"', async () => {
    const dir = protocol((d) => {
      d.A['x-wsgen-role'] = 'ping';
      Object.assign(d.C, { 'x-wsgen-role': 'pong', 'x-direction': 'server' });
      d.C.properties.kind.const = 'a';
    });
    expect(codes(await errorsOf(dir))).toEqual([['WSGEN_DISCRIMINATOR', '/oneOf/2']]);
  });

  it('a role error of the refused type itself is still listed, at its place', async () => {
    const dir = protocol((d) => {
      d.C.properties.kind.const = 'b';
      d.C.properties.why = { type: 'integer', 'x-wsgen-role': 'error-text' };
    });
    expect(codes(await errorsOf(dir))).toEqual([['WSGEN_DISCRIMINATOR', '/oneOf/2'], ['WSGEN_ROLE', '/$defs/C/properties/why/x-wsgen-role']]);
  });
});

describe('roles written in any object a message type includes through allOf (not only a single base)', () => {
  const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
  /** Message type D, a variant that includes `parts` through allOf beside its own tag. */
  const including = (d: Defs, parts: string[], extra: object = {}) => {
    d.D = { allOf: parts.map(ref), properties: { kind: { const: 'd' } }, required: ['kind'], unevaluatedProperties: false, 'x-direction': 'client', ...extra };
  };
  /** Only D in the union: Base is no single base of anything. */
  const alone = (edit: (d: Defs) => void) => protocol((d) => {
    for (const k of ['A', 'B', 'C']) delete d[k];
    d.PartMixin = { type: 'object', properties: { note: { type: 'string' } } };
    edit(d);
  });
  const fieldsOf = async (dir: string) => (await schemaToIR(dir)).roles.messages.map((m) => [m.tag, m.fields, m.role ?? null, m.priority]);

  it('a field role on the first of two $refs (the base): the message type has it', async () => {
    const dir = alone((d) => including(d, ['Base', 'PartMixin']));
    expect(await fieldsOf(dir)).toEqual([['d', ['correlation-id'], null, 'normal']]);
  });

  it('a field role on the second of two $refs (the mixin), and on the last of three', async () => {
    for (const parts of [['Base', 'PartMixin'], ['Base', 'PartOther', 'PartMixin']]) {
      const dir = alone((d) => {
        delete d.Base.properties.ref;
        d.PartOther = { type: 'object', properties: { other: { type: 'integer' } } };
        d.PartMixin.properties.ref = { type: 'string', 'x-wsgen-role': 'correlation-id' };
        including(d, parts);
      });
      expect(await fieldsOf(dir), parts.join(', ')).toEqual([['d', ['correlation-id'], null, 'normal']]);
    }
  });

  it('a field role two allOf deep: D includes Mid, which includes Base and a mixin (and D a second mixin)', async () => {
    for (const parts of [['PartMid'], ['PartOther', 'PartMid']]) {
      const dir = alone((d) => {
        d.PartOther = { type: 'object', properties: { other: { type: 'integer' } } };
        d.PartMid = { allOf: [ref('PartMixin'), ref('Base')] };
        including(d, parts);
      });
      expect(await fieldsOf(dir), parts.join(', ')).toEqual([['d', ['correlation-id'], null, 'normal']]);
    }
  });

  it('a direction and a priority on a mixin of two; a message role on the other', async () => {
    const dir = alone((d) => {
      Object.assign(d.PartMixin, { 'x-wsgen-priority': 'low', 'x-direction': 'server' });
      including(d, ['Base', 'PartMixin']);
      delete d.D['x-direction'];
      d.PartPong = { type: 'object', 'x-wsgen-role': 'pong', 'x-direction': 'server', required: ['ref'] };
      d.Pong = { allOf: [ref('PartPong'), ref('Base')], properties: { kind: { const: 'pong' } }, unevaluatedProperties: false };
      d.Ping = { type: 'object', 'x-wsgen-role': 'ping', 'x-direction': 'client', properties: { kind: { const: 'ping' } }, required: ['kind'], additionalProperties: false };
    });
    expect((await schemaToIR(dir)).roles.messages).toEqual([
      { tag: 'd', object: 'D', direction: 'server', priority: 'low', fields: ['correlation-id'] },
      { tag: 'pong', object: 'Pong', direction: 'server', priority: 'normal', role: 'pong', fields: ['correlation-id'] },
      { tag: 'ping', object: 'Ping', direction: 'client', priority: 'normal', role: 'ping', fields: [] },
    ]);
  });

  it('a role error in a mixin of two is reported once, where it is written', async () => {
    const dir = alone((d) => {
      d.PartMixin.properties.ref2 = { type: 'integer', 'x-wsgen-role': 'error-text' };
      including(d, ['Base', 'PartMixin']);
    });
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', 'field ref2 (role "error-text") is integer, not a string', '/$defs/PartMixin/properties/ref2/x-wsgen-role']]);
  });

  it('still refuses a field role on an object nobody includes through allOf (a field\'s type is no base)', async () => {
    const dir = alone((d) => {
      d.PartMixin.properties.ref2 = { type: 'string', 'x-wsgen-role': 'error-text' };
      including(d, ['Base']);
      d.D.properties.m = ref('PartMixin');
    });
    expect(await errorsOf(dir)).toEqual([['WSGEN_ROLE', 'a field role on PartMixin.ref2, which is not a field of a message type', '/$defs/PartMixin/properties/ref2/x-wsgen-role']]);
  });
});

describe('a $ref beside a message type\'s properties (JSON Schema applies it in place, as allOf; wsgen refuses it)', () => {
  const mixin = (d: Defs) => {
    for (const k of ['A', 'B', 'C', 'Base']) delete d[k];
    d.PartMixin = { type: 'object', properties: { note: { type: 'string', 'x-wsgen-role': 'error-text' } } };
  };

  it('is refused once, at the $ref, with allOf as the hint; the roles of what it includes are not also "outside a message type"', async () => {
    const dir = protocol((d) => {
      mixin(d);
      d.D = { $ref: '#/$defs/PartMixin', type: 'object', properties: { kind: { const: 'd' } }, required: ['kind'], unevaluatedProperties: false };
    });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(await errorsOf(dir)).toEqual([['WSGEN_UNSUPPORTED', expect.stringContaining('"$ref" beside "properties"'), '/$defs/D/$ref']]);
    expect(err.hint).toContain('"allOf": [{"$ref": "#/$defs/PartMixin"}]');
  });

  it('in a base the message type includes through allOf: at the base\'s $ref (a pointer that exists)', async () => {
    const dir = protocol((d) => {
      mixin(d);
      d.PartBase = { $ref: '#/$defs/PartMixin', type: 'object', properties: { kind: { type: 'string' } } };
      d.D = { allOf: [{ $ref: '#/$defs/PartBase' }], properties: { kind: { const: 'd' } }, required: ['kind'], unevaluatedProperties: false };
    });
    expect(await errorsOf(dir)).toEqual([['WSGEN_UNSUPPORTED', expect.stringContaining('"$ref" beside "properties"'), '/$defs/PartBase/$ref']]);
  });

  it('a definition of that shape only used as a field\'s type is still a checked value', () => {
    const dir = protocol((d) => {
      d.PartMixin = { type: 'object', properties: { note: { type: 'string' } } };
      d.PartP = { $ref: '#/$defs/PartMixin', properties: { q: { type: 'integer' } }, required: ['q'] };
      d.A.properties.p = { $ref: '#/$defs/PartP' };
    });
    expect(schemaToIR(dir).aliases.find((a) => a.name === 'PartP')?.type.kind).toBe('checked');
  });
});
