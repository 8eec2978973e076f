/**
 * The fast verdict of a message type that narrows a shared base: one function per type
 * (`accepts<Type>`) that reads each of the type's fields once by name and checks it by its
 * entry of the base's field table (or of the type's own table, for the fields it narrows),
 * then walks the keys against the closed property set. It decides exactly what the
 * composition of the type's own ajv validator and the base's field validator decides
 * (runtime.js `composed`), without building errors: `validate<Type>` runs it first and
 * runs the composition only on a message it refuses, for the errors.
 *
 * Why per type: a function shared by every type (the base's field validator) reads the
 * fields of objects of as many shapes as there are types, so each read is megamorphic
 * (a lookup per field per message); a type's own function sees the shapes of that type
 * only. And a per-type guard needs only this verdict, so a bundle importing one guard
 * leaves the error-building code out.
 */
import { jsLiteral } from '../templates.js';
import { fieldChecks } from './ts-field-checks.js';
import { fastCheck, fieldTable } from './ts-field-table.js';
import { checkerTable } from './ts-format-checkers.js';
import type { ModuleParts } from './ts-validator-code.js';

type Schema = Record<string, unknown>;

/** What the fast verdict of one type needs to know. */
export interface VerdictInput {
  /** The type's name (`Ping`). */
  variant: string;
  /** The own validator's schema: `properties` (true for a field left to the base), `required`, `additionalProperties: false`. */
  own: Schema;
  /** The fields the type checks itself (narrowed or added; the tag among them). */
  ownNames: readonly string[];
  /** The base's field table as the base module holds it (schema order), and the name it exports it under. */
  baseTable: ReadonlyArray<[string, Schema]>;
  baseTableName: string;
  /** Per entry of the base's table, the name of its check function in the base module (ts-field-checks.ts), if it has one. */
  baseChecks: ReadonlyArray<string | undefined>;
  /** The closed property set's switch function (validators/properties.js). */
  closedSet: string;
}

/** The code of a type's fast verdict (with its own table `OWN` when it narrows a field to more than a constant) and the runtime.js names it calls. */
export interface VerdictCode {
  code: string;
  runtime: Set<string>;
  /** The base module's check functions the code calls. */
  baseChecks: Set<string>;
}

/** The check of a present value `x` against an own schema that is a scalar `const` (`===`, as ajv compares one), else undefined. */
function constCheck(schema: Schema): string | undefined {
  const keys = Object.keys(schema);
  if (keys.length !== 1 || keys[0] !== 'const') return undefined;
  const v = schema.const;
  const scalar = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
  return scalar ? `x === ${jsLiteral(v)}` : undefined;
}

/** The runtime.js check of a table entry's kind (`String` for isStringField), or undefined for a boolean or null. */
function kindOf(schema: Schema): string | undefined {
  if (schema.enum !== undefined || 'const' in schema) return 'Enum';
  if (schema.type === 'string') return 'String';
  if (schema.type === 'number' || schema.type === 'integer') return 'Number';
  if (schema.type === 'object') return 'Object';
  return undefined;
}

/**
 * The check of one field read by `access` (`data.seq`), against `checks` ([schema, table
 * entry] pairs; a scalar const has no entry): undefined when nothing is to check. A required
 * field's one check is a call on the read (`isStringField(T[3], data.x)`: each returns false on
 * undefined); else the value is read into `x` once, and may be undefined when not required.
 * (A helper taking the read, `x === undefined || isStringField(f, x)`, is shorter but nests one
 * more call, and the engine then inlines fewer of a type's checks: slower, measured.)
 */
function fieldRead(access: string, required: boolean, checks: ReadonlyArray<[Schema, string, string?]>, runtime: Set<string>): string | undefined {
  if (checks.length === 0) return required ? `${access} !== undefined` : undefined;
  const named = checks.length === 1 ? checks[0]![2] : undefined;
  if (named !== undefined) return required ? `${named}(${access})` : `((x = ${access}) === undefined || ${named}(x))`;
  if (checks.length === 1 && checks[0]![1] !== '' && kindOf(checks[0]![0]) !== undefined) {
    const [schema, entry] = checks[0]!;
    const kind = kindOf(schema)!;
    const fn = kind === 'Object' ? 'isJsonObject' : `is${kind}Field`;
    runtime.add(fn);
    const value = required ? access : 'x';
    const check = kind === 'Object' ? `${fn}(${value})` : `${fn}(${entry}, ${value})`;
    return required ? check : `((x = ${access}) === undefined || ${check})`;
  }
  if (checks.length === 1 && checks[0]![1] === '' && required) return constCheck(checks[0]![0])!.replace(/^x /, `${access} `);
  const all = checks.map(([schema, entry, fn]) => (fn !== undefined ? `${fn}(x)` : entry === '' ? constCheck(schema)! : fastCheck(schema, entry, runtime))).join(' && ');
  return required ? `(x = ${access}) !== undefined && ${all}` : `((x = ${access}) === undefined || ${checks.length > 1 ? `(${all})` : all})`;
}

/**
 * The fast verdict of one type, or undefined when one of the fields it checks itself has a
 * schema the field table cannot check exactly (then the type keeps the composition alone).
 */
export function verdictCode(v: VerdictInput, checkers: (formats: readonly string[]) => string): VerdictCode | undefined {
  const props = v.own.properties as Record<string, unknown>;
  const required = new Set((v.own.required as string[] | undefined) ?? []);
  const ownSchemas: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const n of v.ownNames) if (constCheck(props[n] as Schema) === undefined) ownSchemas[n] = props[n];
  const ownTable = fieldTable(ownSchemas);
  if (ownTable === undefined) return undefined;
  const runtime = new Set<string>();
  const baseChecks = new Set<string>();
  const baseIndex = new Map(v.baseTable.map(([name], i) => [name, i]));
  const ownIndex = new Map(ownTable.map(([name], i) => [name, i]));
  const reads: string[] = [];
  for (const name of Object.keys(props)) {
    const access = /^[A-Za-z_$][\w$]*$/.test(name) ? `data.${name}` : `data[${jsLiteral(name)}]`;
    const checks: Array<[Schema, string, string?]> = [];
    if (v.ownNames.includes(name)) {
      if (constCheck(props[name] as Schema) !== undefined) checks.push([props[name] as Schema, '']);
      else if (ownIndex.has(name)) checks.push([ownTable[ownIndex.get(name)!]![1], `OWN[${ownIndex.get(name)}]`]);
    }
    // As the composition: a narrowed field is checked by the base's entry too (a narrowing is a subset: it costs one check).
    if (baseIndex.has(name)) {
      const i = baseIndex.get(name)!;
      const fn = v.baseChecks[i];
      if (fn !== undefined) baseChecks.add(fn);
      checks.push([v.baseTable[i]![1], `${v.baseTableName}[${i}]`, fn]);
    }
    const read = fieldRead(access, required.has(name), checks, runtime);
    if (read !== undefined) reads.push(read);
  }
  // A required field no property declares (a schema may require one): never present in a valid closed object.
  for (const name of required) if (!Object.prototype.hasOwnProperty.call(props, name)) return undefined;
  const formats = [...new Set(ownTable.map(([, s]) => s.format).filter((f): f is string => typeof f === 'string'))].sort();
  if (ownTable.length) runtime.add('fieldTable');
  const fn = `accepts${v.variant}`;
  const code = [
    ...(ownTable.length
      ? [
          `/** The fields ${v.variant} narrows or adds, as its fast verdict checks them. */`,
          'const OWN = /* @__PURE__ */ fieldTable(',
          '  [',
          ...ownTable.map(([name, s]) => `    [${jsLiteral(name)}, ${jsLiteral(s)}],`),
          '  ],',
          `  ${checkers(formats)},`,
          ');',
          '',
        ]
      : []),
    `/** Whether \`data\` is a valid ${v.variant}: validate${v.variant}'s verdict without its errors (each field read once, by name). */`,
    `export function ${fn}(data) {`,
    "  if (!(data && typeof data === 'object' && !Array.isArray(data))) return false;",
    '  let x;',
    `  if (!(${reads.length ? reads.join('\n    && ') : 'true'})) return false;`,
    `  for (const key in data) if (!${v.closedSet}(key)) return false;`,
    '  return true;',
    '}',
  ].join('\n');
  return { code, runtime, baseChecks };
}

/** A plan of a type narrowing a base, as emitTsValidators makes it. */
export interface ComposedPlan {
  variant: string;
  own: Schema;
  base: string;
  ownNames: string[];
}

/**
 * The parts of the module of a type narrowing a shared base around ajv's own validator
 * (`<fn>Own`): `fn`, the composition of the own checks and the base's fields (`compose`,
 * runtime.js), preceded by the fast verdict `accepts<Type>` when `table` (the base's
 * field table, if it has one) and the type's own fields allow it; else `accepts<Type>`
 * is `fn` itself. `propertySet` names the switch function of a closed set of properties.
 */
export function composedParts(pl: ComposedPlan, fn: string, compose: string, table: ReadonlyArray<[string, Schema]> | undefined, propertySet: (fileBase: string, names: string[]) => string): ModuleParts {
  const what = `Standalone ajv validator of ${pl.variant}: its own checks here, the fields it shares with ${pl.base} in ${pl.base}Fields.js.`;
  const composition = `/* @__PURE__ */ ${compose}(${fn}Own, validate${pl.base}Fields, ${pl.base}FieldNames, ${jsLiteral(pl.ownNames)})`;
  const baseImports = [`${pl.base}FieldNames`, `validate${pl.base}Fields`];
  const runtime = new Set<string>([compose]);
  const grammar = new Set<string>();
  const checkers = (formats: readonly string[]): string => checkerTable(formats, runtime, grammar);
  const verdict =
    table === undefined
      ? undefined
      : verdictCode(
          { variant: pl.variant, own: pl.own, ownNames: pl.ownNames, baseTable: table, baseTableName: `${pl.base}FieldTable`, baseChecks: fieldChecks(pl.base, table).names, closedSet: propertySet(pl.variant, Object.keys(pl.own.properties as Schema)) },
          checkers,
        );
  if (verdict === undefined) {
    return {
      what,
      runtime: [...runtime],
      grammar: [...grammar],
      imports: [`import { ${baseImports.join(', ')} } from './${pl.base}Fields.js';`],
      tail: ['', `/** Validates one ${pl.variant}: the own checks above, then ${pl.base}'s shared fields; errors as the flat schema reports them. */`, `export const ${fn} = ${composition};`, '', `/** Whether \`data\` is a valid ${pl.variant} (${fn}'s verdict). */`, `export { ${fn} as accepts${pl.variant} };`, ''].join('\n'),
    };
  }
  for (const name of [...verdict.runtime, 'verdictFirst']) runtime.add(name);
  const usesTable = verdict.code.includes(`${pl.base}FieldTable[`);
  const closedSet = propertySet(pl.variant, Object.keys(pl.own.properties as Schema));
  return {
    what,
    runtime: [...runtime],
    grammar: [...grammar],
    imports: [`import { ${closedSet} } from './properties.js';`, `import { ${[...baseImports, ...(usesTable ? [`${pl.base}FieldTable`] : []), ...verdict.baseChecks].sort().join(', ')} } from './${pl.base}Fields.js';`],
    tail: [
      '',
      verdict.code,
      '',
      `/** Validates one ${pl.variant}: the fast verdict, then, for an invalid one only, the own checks above and ${pl.base}'s shared fields for the errors the flat schema reports. */`,
      `export const ${fn} = /* @__PURE__ */ verdictFirst(accepts${pl.variant}, ${composition});`,
      '',
    ].join('\n'),
  };
}
