/**
 * The shared field validator of a base as a table read by runtime.js's
 * `fieldsValidator`, instead of ajv's compiled code: every type of the base
 * imports it, and compiled, its ~24 fields cost most of one type's bundle.
 * Used only when each field is a schema `fieldsValidator` reproduces ajv's
 * verdict and errors for exactly (test/generator/field-table.test.ts checks
 * both against ajv); any other base keeps ajv's code.
 */
import { jsLiteral } from '../templates.js';
import { fieldChecks } from './ts-field-checks.js';
import { checkerTable, formatsImport } from './ts-format-checkers.js';

type Schema = Record<string, unknown>;


/** The keywords a table entry may hold besides `type`, per type. */
const KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  string: ['minLength', 'maxLength', 'pattern', 'format'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  boolean: [],
  null: [],
};

/** Whether `v` is a JSON scalar (compared with `===` by ajv's enum and const). */
function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** Whether `s` is the schema of an object holding any values (`{type: "object", additionalProperties: {}}`). */
function isOpenObject(s: Schema): boolean {
  const extra = s.additionalProperties;
  return Object.keys(s).length === 2 && typeof extra === 'object' && extra !== null && Object.keys(extra).length === 0;
}

/** Whether one property's schema is one `fieldsValidator` checks exactly as ajv does; `{}` (any value) is, and needs no entry. */
function isTableSchema(s: unknown): boolean {
  if (s === true) return true;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return false;
  const schema = s as Schema;
  const keys = Object.keys(schema);
  if (keys.length === 0) return true;
  if (keys.length === 1 && keys[0] === 'enum') return Array.isArray(schema.enum) && schema.enum.every(isScalar);
  if (keys.length === 1 && keys[0] === 'const') return isScalar(schema.const);
  const type = schema.type;
  if (type === 'object') return isOpenObject(schema);
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(KEYWORDS, type)) return false;
  const allowed = KEYWORDS[type]!;
  return keys.every((k) => {
    if (k === 'type') return true;
    if (!allowed.includes(k)) return false;
    const v = schema[k];
    return k === 'pattern' || k === 'format' ? typeof v === 'string' : typeof v === 'number' && Number.isFinite(v);
  });
}

/** The table of a base's field schemas (schema order, fields holding any value left out), or undefined when one of them needs ajv. */
export function fieldTable(properties: Readonly<Record<string, unknown>>): Array<[string, Schema]> | undefined {
  const entries = Object.entries(properties);
  if (!entries.every(([, s]) => isTableSchema(s))) return undefined;
  // An object holding any values needs only its type checked.
  return entries
    .filter(([, s]) => s !== true && Object.keys(s as Schema).length > 0)
    .map(([name, s]) => [name, (s as Schema).type === 'object' ? { type: 'object' } : (s as Schema)]);
}

/** The fast check of a present value `x` of a table entry (`entry` in the generated code), adding the runtime.js functions it calls to `kinds`. */
export function fastCheck(schema: Schema, entry: string, kinds: Set<string>): string {
  const fn = schema.enum !== undefined || 'const' in schema ? 'isEnumField' : schema.type === 'string' ? 'isStringField' : schema.type === 'number' || schema.type === 'integer' ? 'isNumberField' : undefined;
  if (fn) {
    kinds.add(fn);
    return `${fn}(${entry}, x)`;
  }
  if (schema.type === 'boolean') return "typeof x === 'boolean'";
  if (schema.type === 'null') return 'x === null';
  kinds.add('isJsonObject');
  return 'isJsonObject(x)';
}

/** What the module of a base's field table says and exports besides the validator. */
export interface FieldTableModule {
  /** The base object's name. */
  base: string;
  /** Name of the exported validator. */
  exportName: string;
  /** Code after the validator (the field order export). */
  tail: string;
  /** Report every error (ajv's allErrors). */
  allErrors: boolean;
  /** Read own properties only (ajv's ownProperties). */
  ownProperties: boolean;
  /** The name the table is exported under (for the types' fast verdicts), if it is. */
  tableExport?: string;
}

/**
 * validators/<Base>Fields.js: the table in schema order (read by runtime.js), and the
 * validator, which reads each field by name (fast for the engine, as ajv's code does) and
 * checks it by its entry; on a failure runtime.js's `fieldErrors` rereads the fields for
 * ajv's errors. With `ownProperties` every call takes that exact path, as a field named
 * like an Object.prototype member cannot be read by name.
 */
export function fieldTableModule(banner: string, table: ReadonlyArray<[string, Schema]>, m: FieldTableModule): string {
  const formatNames = [...new Set(table.map(([, s]) => s.format).filter((f): f is string => typeof f === 'string'))].sort();
  const kinds = new Set<string>();
  const imports = new Set<string>(['fieldErrors', 'fieldTable']);
  const grammar = new Set<string>();
  const checkers = checkerTable(formatNames, imports, grammar);
  const fn = m.exportName;
  // Without ownProperties, each field's check is a function with its keywords as constants (ts-field-checks.ts), which the types' fast verdicts call too.
  const checks = m.ownProperties ? undefined : fieldChecks(m.base, table);
  const reads = table.map(([name, schema], i) => {
    const named = checks?.names[i];
    return `    && ((x = data[${jsLiteral(name)}]) === undefined || ${named !== undefined ? `${named}(x)` : fastCheck(schema, `FIELDS[${i}]`, kinds)})`;
  });
  if (checks) {
    for (const k of [...kinds, ...checks.runtime]) imports.add(k);
    for (const g of checks.grammar) grammar.add(g);
  }
  const fast = m.ownProperties
    ? []
    : ['  let x;', "  if (data && typeof data === 'object' && !Array.isArray(data)", ...reads, '  ) {', `    ${fn}.errors = null;`, '    return true;', '  }'];
  return [
    banner,
    `// The fields every type based on ${m.base} shares (each one present; the types check the rest), checked`,
    '// from a table by runtime.js, with the errors ajv reports. Plain ESM: runs in Node and in browser bundles.',
    '/* eslint-disable */',
    `import { ${[...imports].sort().join(', ')} } from '../runtime.js';`,
    ...formatsImport(grammar),
    '',
    `/** ${m.base}'s fields that a type can leave to this validator, in schema order. */`,
    'const FIELDS = /* @__PURE__ */ fieldTable(',
    '  [',
    ...table.map(([name, s]) => `    [${jsLiteral(name)}, ${jsLiteral(s)}],`),
    '  ],',
    `  ${checkers},`,
    ');',
    ...(m.tableExport ? ['', `/** The table, for the fast verdicts of the types based on ${m.base}. */`, `export { FIELDS as ${m.tableExport} };`] : []),
    '',
    ...(checks ? [...checks.code, ''] : []),
    `/** Validates the fields of ${m.base} that are present. */`,
    `export function ${fn}(data, options) {`,
    ...fast,
    `  return fieldErrors(${fn}, FIELDS, data, options, ${m.allErrors}, ${m.ownProperties});`,
    '}',
    m.tail,
  ].join('\n');
}
