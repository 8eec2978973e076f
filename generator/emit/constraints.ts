/** Human-readable constraint tags of a type, shared by the TS (JSDoc) and Python (docstring) emitters. */
import type { TypeIR } from '../ir.js';

const TAGS = ['minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems'] as const;

/** `@keyword value` lines for every constraint the type carries (after nullable unwrapping). */
export function constraintTags(t: TypeIR): string[] {
  const inner = t.kind === 'nullable' ? t.inner : t;
  const out: string[] = [];
  for (const k of TAGS) {
    const v = (inner as Record<string, unknown>)[k];
    if (v !== undefined) out.push(`@${k} ${String(v)}`);
  }
  return out;
}

/** Joins a description and tags into one doc text, or undefined when both are empty. */
export function docText(description: string | undefined, tags: string[]): string | undefined {
  const parts = [description, tags.join('\n')].filter((x): x is string => !!x);
  return parts.length ? parts.join('\n\n') : undefined;
}
