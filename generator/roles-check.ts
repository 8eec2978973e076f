/**
 * Type checks of roles: a field with a role has the value kind the role needs
 * (roles-catalogue.ts FIELD_KINDS), and a code table is well formed.
 */
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import { FORMAT_GRAMMARS } from './formats.js';
import { annotationLoc } from './origins.js';
import type { EnumIR, IR, PropertyIR, TypeIR } from './ir.js';
import { FIELD_KINDS, RETRYABLE_CLOSE_RANGE, RUNTIME_CLOSE_CODES, TERMINAL_CLOSE_RANGE, type EnumRole, type FieldRole } from './roles-catalogue.js';
import type { SchemaLocation } from './types.js';

const at = (loc: SchemaLocation, ...t: Array<string | number>): SchemaLocation => ({ file: loc.file, pointer: pointerJoin(loc.pointer, ...t) });

/** The type behind aliases; undefined when it is (or goes through) a definition that is not in the IR (it failed to build). */
function resolved(t: TypeIR, ir: Omit<IR, 'roles'>): TypeIR | undefined {
  let cur: TypeIR | undefined = t;
  for (let i = 0; cur?.kind === 'alias' && i < 64; i++) {
    const name: string = cur.name;
    cur = ir.aliases.find((a) => a.name === name)?.type;
  }
  return cur;
}

/** Whether a string type accepts `s` (lengths in code points, the portable pattern subset read by JS as Python reads it). */
export function acceptsString(t: Extract<TypeIR, { kind: 'string' }>, s: string): boolean {
  const n = [...s].length;
  if (t.minLength !== undefined && n < t.minLength) return false;
  if (t.maxLength !== undefined && n > t.maxLength) return false;
  if (t.pattern !== undefined && !new RegExp(t.pattern, 'u').test(s)) return false;
  // Formats with a calendar rule beside the grammar are not replayed here: such a field refuses the runtime values.
  if (t.format === 'date-time' || t.format === 'date' || t.format === 'time') return false;
  return t.format === undefined || new RegExp(`^(?:${FORMAT_GRAMMARS[t.format]})$`).test(s);
}

function describe(t: TypeIR): string {
  return t.kind === 'enum' || t.kind === 'object' || t.kind === 'alias' ? `${t.kind} ${t.name}` : t.kind;
}

/** The values a type allows when it allows a fixed set (an enum, a const, a union of consts), else undefined. */
function fixedValues(t: TypeIR, ir: Omit<IR, 'roles'>): readonly unknown[] | undefined {
  if (t.kind === 'const') return [t.value];
  if (t.kind === 'enum') return ir.enums.find((e) => e.name === t.name)?.members.map((m) => m.value) ?? [];
  if (t.kind !== 'union') return undefined;
  const variants = t.variants.map((v) => resolved(v, ir));
  return variants.every((v) => v?.kind === 'const') ? variants.map((v) => (v as Extract<TypeIR, { kind: 'const' }>).value) : undefined;
}

/**
 * Checks that `p` can hold what its role `role` needs. Throws WSGEN_ROLE. A field whose type is a
 * definition in `failed` (one that did not build, whose own error is reported) is not checked.
 */
export function checkFieldType(p: PropertyIR, role: FieldRole, ir: Omit<IR, 'roles'>, tables: ReadonlyMap<EnumRole, EnumIR>, failed: ReadonlySet<string> = new Set()): void {
  const want = FIELD_KINDS[role];
  const t = resolved(p.type, ir);
  if (t === undefined || ((t.kind === 'enum' || t.kind === 'object') && failed.has(t.name))) return;
  if (want.kind === 'error-code' && !tables.has('error-codes') && failed.size > 0) return;
  const fail = (why: string, hint: string): never => {
    throw new WsgenError(E.ROLE, `field ${p.name} (role "${role}") ${why}`, annotationLoc(p, 'wsgen-role'), hint);
  };
  switch (want.kind) {
    case 'any':
      return;
    case 'string': {
      const values = want.closed === true ? fixedValues(t, ir) : undefined;
      if (values !== undefined) {
        const missing = want.samples.find((x) => !values.includes(x));
        if (missing !== undefined) fail(`is ${describe(t)}, which lacks ${JSON.stringify(missing)}, a value the runtimes write`, `list every value the runtimes write: ${want.samples.map((x) => JSON.stringify(x)).join(', ')}`);
        return;
      }
      if (t.kind !== 'string') {
        const hint = want.library !== undefined ? `give it a string type, or $ref the role library's ${want.library} (schema/wsgen/roles.schema.json)` : want.closed === true ? `give it a string type, or an enum of ${want.samples.map((x) => JSON.stringify(x)).join(' and ')}` : 'give it a string type';
        fail(`is ${describe(t)}, not a string`, hint);
      }
      const s = t as Extract<TypeIR, { kind: 'string' }>;
      const refused = want.samples.find((x) => !acceptsString(s, x));
      if (refused !== undefined) fail(`refuses ${JSON.stringify(refused)}, a value the runtimes write`, 'loosen its minLength, maxLength, pattern or format so that it accepts the runtime values');
      return;
    }
    case 'counter': {
      if (t.kind !== 'integer') fail(`is ${describe(t)}, not an integer`, 'give it type integer with minimum 0');
      const n = t as Extract<TypeIR, { kind: 'integer' | 'number' }>;
      if (n.minimum !== 0 || n.exclusiveMinimum !== undefined) fail('is not a non-negative integer from 0 (minimum: 0)', 'set "minimum": 0');
      return;
    }
    case 'object':
      if (t.kind !== 'record') fail(`is ${describe(t)}, not an open object`, 'give it type object with additionalProperties (the bundled OpenObject)');
      return;
    case 'error-code': {
      const table = tables.get('error-codes');
      if (t.kind !== 'enum' || !table || t.name !== table.name) {
        fail(`is ${describe(t)}, not the error-codes table${table ? ` ${table.name}` : ''}`, table ? `$ref the error-codes table ${table.name}` : 'mark the enum of error codes with "x-wsgen-role": "error-codes" and $ref it');
      }
      return;
    }
  }
}

/** Checks an error-codes or close-codes table. Throws WSGEN_ROLE. */
export function checkCodeTable(e: EnumIR, role: EnumRole): void {
  const fail = (why: string, loc: SchemaLocation, hint: string): never => {
    throw new WsgenError(E.ROLE, `${role} table ${e.name} ${why}`, loc, hint);
  };
  const wantKind = role === 'close-codes' ? 'integer' : 'string';
  if (e.valueKind !== wantKind) fail(`has ${e.valueKind} values, not ${wantKind}s`, at(e.loc, 'x-wsgen-role'), role === 'close-codes' ? 'close codes are integers 4000-4999 (RFC 6455 §7.4.2)' : 'error codes are strings');
  e.members.forEach((m, i) => {
    const loc = at(e.loc, 'oneOf', i);
    if (typeof m.meta.retryable !== 'boolean') fail(`member ${m.name} has no boolean x-retryable`, loc, 'write each code as {const, title, description, "x-retryable": true|false}');
    if (role !== 'close-codes') return;
    const v = m.value as number;
    const retryable = v >= RETRYABLE_CLOSE_RANGE[0] && v <= RETRYABLE_CLOSE_RANGE[1];
    if (!retryable && !(v >= TERMINAL_CLOSE_RANGE[0] && v <= TERMINAL_CLOSE_RANGE[1])) fail(`member ${m.name} is ${v}, outside 4000-4999`, loc, 'RFC 6455 §7.4.2 leaves 4000-4999 to applications; use a code there');
    if (m.meta.retryable !== retryable) fail(`member ${m.name} (${v}) says x-retryable ${String(m.meta.retryable)}, but ${retryable ? '4000-4499 are retryable' : '4500-4999 are terminal'}`, loc, 'move the code to the range that matches, or fix x-retryable');
  });
  if (role !== 'close-codes') return;
  for (const [name, value] of Object.entries(RUNTIME_CLOSE_CODES)) {
    const m = e.members.find((x) => x.name === name);
    if (!m || m.value !== value) fail(`lacks ${name} = ${value}, which the runtimes close with`, at(e.loc, 'oneOf'), 'start from the standard table: $ref schema/wsgen/roles.schema.json#/$defs/CloseCode, or copy its members');
  }
}
