/**
 * The IR's named types as AsyncAPI Schema Objects (AsyncAPI 3.0 §Schema Object,
 * a superset of JSON Schema draft-07) for `components.schemas`. Every named
 * type becomes one entry and refers to the others by
 * `#/components/schemas/<Name>`, so the document is self-contained: no
 * reference leaves it. The IR has already resolved every `$ref`, merged every
 * `allOf` and closed every object, so the output accepts what the source
 * schema accepts; a checked value refers to its subschema, written by
 * ./checked.ts as `components.schemas["checked.<key>"]`; `x-*` annotations of the source keep their names
 * (`x-wsgen-role`, `x-retryable`, …).
 */
import type { AliasIR, EnumIR, IR, ObjectIR, PropertyIR, TypeIR } from '../ir.js';
import type { JsonValue } from '../types.js';
import { checkedComponents, checkedRef } from './checked.js';

/** A JSON Schema object as written into the document. */
export type SchemaObject = { [key: string]: JsonValue };

/** The `$ref` to a named type under components.schemas. */
export function schemaRef(name: string): SchemaObject {
  return { $ref: `#/components/schemas/${name}` };
}

/** `x-<key>` for every annotation in `meta` (the IR keeps them without the prefix), in key order. */
export function extensions(meta: Record<string, JsonValue>): SchemaObject {
  const out: SchemaObject = {};
  for (const key of Object.keys(meta).sort()) out[`x-${key}`] = meta[key]!;
  return out;
}

/** Copies the defined entries of `fields` (undefined ones are left out, so no key is written as `undefined`). */
function defined(fields: Record<string, JsonValue | undefined>): SchemaObject {
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}

/** The schema of one IR type; named types become `$ref`s. */
export function typeSchema(t: TypeIR): SchemaObject {
  switch (t.kind) {
    case 'string':
      return defined({ type: 'string', minLength: t.minLength, maxLength: t.maxLength, pattern: t.pattern, format: t.format });
    case 'integer':
    case 'number':
      return defined({ type: t.kind, minimum: t.minimum, maximum: t.maximum, exclusiveMinimum: t.exclusiveMinimum, exclusiveMaximum: t.exclusiveMaximum, multipleOf: t.multipleOf });
    case 'boolean':
    case 'null':
      return { type: t.kind };
    case 'const':
      return { const: t.value };
    case 'enum':
    case 'alias':
    case 'object':
      return schemaRef(t.name);
    case 'any':
      return {};
    case 'checked':
      // Any JSON value that the checked subschema accepts: its component, in draft-07 words (checked.ts).
      return checkedRef(t.key);
    case 'formatted':
      return { format: t.format };
    case 'record':
      return { type: 'object', additionalProperties: typeSchema(t.values) };
    case 'array':
      return defined({ type: 'array', items: typeSchema(t.items), minItems: t.minItems, maxItems: t.maxItems });
    case 'nullable':
      // anyOf, not oneOf: an inner type that also accepts null (an open value) must not make null invalid.
      return { anyOf: [typeSchema(t.inner), { type: 'null' }] };
    case 'union':
      return { [t.mode]: t.variants.map(typeSchema) };
  }
}

/** An enum: its values, and each member's name, description and annotations under `x-wsgen-members`. */
function enumSchema(e: EnumIR): SchemaObject {
  const members = e.members.map((m) => defined({ name: m.name, value: m.value, description: m.description, ...extensions(m.meta) }));
  return defined({
    title: e.name,
    description: e.description,
    type: e.valueKind === 'integer' ? 'integer' : 'string',
    enum: e.members.map((m) => m.value),
    ...extensions(e.meta),
    'x-wsgen-members': members,
  });
}

/** A property: its type, with description, default and annotations beside it (a `$ref` is wrapped in allOf so its siblings count under draft-07). */
function propertySchema(p: PropertyIR): SchemaObject {
  const base = typeSchema(p.type);
  const extra = defined({ description: p.description, default: p.default, ...extensions(p.meta) });
  if (Object.keys(extra).length === 0) return base;
  return '$ref' in base ? { allOf: [base], ...extra } : { ...base, ...extra };
}

/**
 * The object keywords beyond `properties` (closed when the object has no rules). AsyncAPI
 * schemas extend draft-07, which writes dependentRequired as `dependencies` of name lists.
 */
function ruleSchema(o: ObjectIR): SchemaObject {
  const r = o.rules;
  if (r === undefined) return { additionalProperties: false };
  const out: SchemaObject = {};
  if (r.additional === undefined) out.additionalProperties = false;
  else if (r.additional.kind !== 'any') out.additionalProperties = typeSchema(r.additional);
  if (r.patternProperties.length) out.patternProperties = Object.fromEntries(r.patternProperties.map((p) => [p.pattern, typeSchema(p.type)]));
  if (r.propertyNames) out.propertyNames = typeSchema(r.propertyNames);
  if (r.minProperties !== undefined) out.minProperties = r.minProperties;
  if (r.maxProperties !== undefined) out.maxProperties = r.maxProperties;
  if (r.dependentRequired.length) out.dependencies = Object.fromEntries(r.dependentRequired.map((d) => [d.property, d.requires]));
  return out;
}

/** An object: every property, the required ones, and its rules for other keys (closed unless it has rules). */
export function objectSchema(o: ObjectIR): SchemaObject {
  const properties: SchemaObject = {};
  for (const p of o.properties) properties[p.name] = propertySchema(p);
  const required = o.properties.filter((p) => p.required).map((p) => p.name);
  return defined({
    title: o.name,
    description: o.description,
    type: 'object',
    properties,
    required: required.length > 0 ? required : undefined,
    ...ruleSchema(o),
    ...extensions(o.meta),
  });
}

function aliasSchema(a: AliasIR): SchemaObject {
  const base = typeSchema(a.type);
  const head = { title: a.name, ...defined({ description: a.description }) };
  return '$ref' in base ? { ...head, allOf: [base] } : { ...head, ...base };
}

/** components.schemas: enums, aliases, objects, each group in schema order, then the checked subschemas (`checked.<key>`, checked.ts). */
export function componentSchemas(ir: IR): SchemaObject {
  const out: SchemaObject = {};
  for (const e of ir.enums) out[e.name] = enumSchema(e);
  for (const a of ir.aliases) out[a.name] = aliasSchema(a);
  for (const o of ir.objects) out[o.name] = objectSchema(o);
  return { ...out, ...checkedComponents(ir.checked) };
}
