// The outbound rule the servers share for unset fields: a message is judged as the JSON text it is sent as. The
// Python runtime writes a model's never-set fields out (wsgen_runtime.wire.to_json); here an unset field is a key
// whose value is `undefined`, which JSON.stringify leaves out of an object. Only a refused message is looked at
// again, so a valid one costs nothing more (validateOutbound: replies, chunks, emits, publish, sendToSession and
// the Redis store all pass through core.ts's one check). The TS client's send still judges the object as it is:
// this walk would take the minimal client over its 25 KB bundle budget (test/packaging/bundle.test.ts).

/** Deepest nesting {@link withoutUndefined} walks; deeper values are judged as they are. */
const MAX_WALK = 256;

/**
 * The verdict of `validate` on `msg` as JSON.stringify writes it, as far as unset fields go: when `msg` is
 * refused and holds a key set to `undefined` (at any depth, in an object), the verdict on `msg` without those
 * keys ({@link withoutUndefined}). So `{ text: 'x', note: undefined }` is valid where `note` is not a property,
 * as its text `{"text":"x"}` is; a key the schema forbids, set to a value, is still refused.
 * @param validate A descriptor's `validate` (a parsed value in, `{ ok, errors? }` out; it never throws).
 */
export function judgeAsSent<R extends { readonly ok: boolean }>(validate: (value: unknown) => R, msg: unknown): R {
  const r = validate(msg);
  if (r.ok) return r;
  const sent = withoutUndefined(msg, 0);
  return sent === msg ? r : validate(sent);
}

/**
 * `value` with every object key whose value is `undefined` left out, at any depth (an array item that is
 * `undefined` stays: JSON writes it as `null`). Copies only the objects and arrays on a path to such a key and
 * returns `value` itself when there is none. An object with a `toJSON` (a Date) is left as it is.
 */
export function withoutUndefined(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_WALK) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const w = withoutUndefined(value[i], depth + 1);
      if (w !== value[i]) (copy ??= value.slice())[i] = w;
    }
    return copy ?? value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const src = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const k of Object.keys(src)) {
    const v = src[k];
    const w = v === undefined ? v : withoutUndefined(v, depth + 1);
    if (v !== undefined && w === v) continue;
    copy ??= Object.assign({}, src);
    if (v === undefined) delete copy[k];
    else copy[k] = w;
  }
  return copy ?? value;
}
