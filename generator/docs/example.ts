/**
 * Example messages for the HTML page of `wsgen docs`: for each message type, a
 * value built from the IR (the tag, every required field, the smallest value
 * each constraint allows), kept only when the very parser `wsgen generate`
 * emits accepts it (validate-messages.ts), so the page never shows an example
 * the protocol refuses. Deterministic: fixed sample values, schema order; a
 * pattern none of the fixed strings meets is sampled with a fixed seed
 * (pattern-sample.ts).
 */
import type { IR, ObjectIR, TypeIR } from '../ir.js';
import { objectByName } from '../ir.js';
import { FIELD_KINDS, type FieldRole } from '../roles-catalogue.js';
import type { JsonValue } from '../types.js';
import type { ParseFn } from '../validate-messages.js';
import { taggedUnion } from '../root.js';
import { checkedValue } from './checked-example.js';

/** A fixed instant (RFC 3339 with an offset, PROTOCOL.md "timestamp"). */
const TIMESTAMP = '2026-01-15T09:30:00Z';
/** A fixed UUID (RFC 9562 version 4 layout). */
const UUID = '6f1c3a52-3b8e-4c57-9f39-2f2b8d1e1a10';
/** Strings tried, in order, against a pattern and length bounds (a role's own samples come first). */
const CANDIDATES = ['example', 'Example', 'example-1', 'a', 'A', '0', '1', 'abc123', UUID, 'Ab-_0123456789xy', '0123456789abcdef'.repeat(4)];

/**
 * Strings that match an ECMAScript pattern (flag `u`), tried after the fixed candidates; shortest first.
 * An empty list when none can be drawn.
 */
export type PatternSampler = (pattern: string) => readonly string[];

/** What building a value reads: the IR and the sampler of patterns. */
interface Build {
  readonly ir: IR;
  readonly sample: PatternSampler;
}

/**
 * The first string of `t` that meets its bounds and pattern, if any: a role's samples, the fixed candidates
 * (and padded ones), then the pattern's own samples (only drawn when every fixed one missed).
 */
function stringValue(b: Build, t: Extract<TypeIR, { kind: 'string' }>, samples: readonly string[]): string | undefined {
  if (t.format === 'date-time') return TIMESTAMP;
  if (t.format === 'uuid') return UUID;
  const re = t.pattern !== undefined ? new RegExp(t.pattern, 'u') : undefined;
  const min = t.minLength ?? 0;
  const fits = (s: string): boolean => {
    const n = [...s].length;
    return n >= min && (t.maxLength === undefined || n <= t.maxLength) && (re === undefined || re.test(s));
  };
  const tries = [...samples, ...CANDIDATES, ...CANDIDATES.map((c) => c.repeat(Math.max(1, Math.ceil(min / Math.max(1, c.length)))))];
  const fixed = tries.find(fits);
  if (fixed !== undefined || t.pattern === undefined) return fixed;
  return b.sample(t.pattern).find(fits);
}

/** The value nearest zero within the bounds of a number type. */
function numberValue(t: Extract<TypeIR, { kind: 'integer' | 'number' }>): number {
  const step = t.kind === 'integer' ? 1 : 0.5;
  let v = 0;
  if (t.minimum !== undefined && v < t.minimum) v = t.minimum;
  if (t.exclusiveMinimum !== undefined && v <= t.exclusiveMinimum) v = t.exclusiveMinimum + step;
  if (t.maximum !== undefined && v > t.maximum) v = t.maximum;
  if (t.exclusiveMaximum !== undefined && v >= t.exclusiveMaximum) v = t.exclusiveMaximum - step;
  return t.kind === 'integer' ? Math.ceil(v) : v;
}

/** A value of type `t` (undefined when none could be built), `role` naming the field role whose samples fit. */
function valueOf(b: Build, t: TypeIR, role: FieldRole | undefined, depth: number): JsonValue | undefined {
  if (depth > 8) return undefined;
  const { ir } = b;
  switch (t.kind) {
    case 'string': {
      const kind = role !== undefined ? FIELD_KINDS[role] : undefined;
      return stringValue(b, t, kind?.kind === 'string' ? kind.samples : []);
    }
    case 'integer':
    case 'number':
      return numberValue(t);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'const':
      return t.value;
    case 'enum':
      return ir.enums.find((e) => e.name === t.name)?.members[0]?.value;
    case 'alias': {
      const a = ir.aliases.find((x) => x.name === t.name);
      return a ? valueOf(b, a.type, role, depth + 1) : undefined;
    }
    case 'object':
      return objectValue(b, objectByName(ir, t.name), depth + 1);
    case 'any':
    case 'formatted': // any value; a non-string passes the format
    case 'record':
      return {};
    case 'array': {
      const item = valueOf(b, t.items, undefined, depth + 1);
      return item === undefined ? undefined : Array.from({ length: t.minItems ?? 0 }, () => item);
    }
    case 'nullable':
      return valueOf(b, t.inner, role, depth);
    case 'checked':
      return checkedValue(ir, t.key);
    case 'union':
      // The first branch a value can be built for (the generated parser judges the whole example).
      for (const v of t.variants) {
        const x = valueOf(b, v, role, depth + 1);
        if (x !== undefined) return x;
      }
      return undefined;
  }
}

/** An object with every required property, in schema order (undefined when one of them cannot be built). */
function objectValue(b: Build, o: ObjectIR, depth: number): Record<string, JsonValue> | undefined {
  const out: Record<string, JsonValue> = {};
  for (const p of o.properties) {
    if (!p.required) continue;
    const role = typeof p.meta['wsgen-role'] === 'string' ? (p.meta['wsgen-role'] as FieldRole) : undefined;
    const v = valueOf(b, p.type, role, depth);
    if (v === undefined) return undefined;
    out[p.name] = v;
  }
  return out;
}

/**
 * The example of each message type, by tag: its tag first, then its required fields, as indented JSON; a
 * type is left out when no value could be built or `parse` (the generated parser) refuses the one built
 * (the page then says it has none: model.ts NO_EXAMPLE). `sample` draws strings for a pattern that no fixed
 * candidate meets (none by default).
 */
export function messageExamples(ir: IR, parse: ParseFn, sample: PatternSampler = () => []): Map<string, string> {
  const out = new Map<string, string>();
  const union = taggedUnion(ir, 'wsgen docs');
  const b: Build = { ir, sample };
  for (const v of union.variants) {
    const body = objectValue(b, objectByName(ir, v.object), 0);
    if (body === undefined) continue;
    const msg = { [union.discriminator]: v.tag, ...body };
    const text = JSON.stringify(msg, null, 2);
    if (parse(text).ok) out.set(v.tag, text);
  }
  return out;
}
