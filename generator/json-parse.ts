/**
 * JSON as the generator reads it: the value types, objects that take any key (`__proto__` included),
 * parsing with a line and column for every syntax error (RFC 8259) and a refusal of `__proto__` keys,
 * deep freezing, and a canonical text (keys sorted) for hashes and comparisons.
 */
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import { jsonFileText } from './json-text.js';

/** A JSON object as parsed. */
export type JsonObject = { readonly [k: string]: JsonValue };
/** Any JSON value as parsed. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/**
 * An empty object without a prototype: assigning any key to it, `__proto__`
 * included, makes an own property (on `{}`, `o["__proto__"] = v` would set the
 * prototype instead). Every object the generator fills from schema keys is one.
 */
export function keyedObject<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Whether a value is a plain JSON object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Freezes `v` and every object and array inside it (no later stage can mutate the input). */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

/**
 * Parses a JSON file: its bytes are decoded as json-text.ts says (UTF-8, a UTF-8 byte order mark skipped, any other
 * encoding WSGEN_JSON); a syntax error becomes WSGEN_JSON with line and column.
 */
export function parseJsonFile(data: Buffer | string, file: string): JsonValue {
  let text = typeof data === 'string' ? data : jsonFileText(data, file);
  // A UTF-8 byte order mark, as some editors write one, is not part of the JSON (RFC 8259 §8.1).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: JsonValue;
  try {
    doc = JSON.parse(text) as JsonValue;
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    const pos = m ? Number(m[1]) : jsonErrorOffset(text);
    let where = '';
    if (pos >= 0) {
      const before = text.slice(0, pos).split('\n');
      where = ` (line ${before.length}, column ${before[before.length - 1]!.length + 1})`;
    }
    throw new WsgenError(E.JSON, `invalid JSON${where}: ${msg}`, { file, pointer: '' }, 'fix the JSON syntax; a JSON linter or your editor shows the exact spot');
  }
  const proto = protoKey(doc, '');
  if (proto !== undefined) {
    throw new WsgenError(E.NAME, 'a key named "__proto__": ajv, which compiles the TS validators, skips it as a property, and JavaScript object literals (annotation tables) would set a prototype instead of a key', { file, pointer: proto },
      'rename the key; every other string, "constructor" and "toString" included, is a legal property name');
  }
  return doc;
}

/** The JSON pointer of the first key named "__proto__" in `v`, if any. */
function protoKey(v: JsonValue, pointer: string): string | undefined {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = protoKey(v[i]!, `${pointer}/${i}`);
      if (found !== undefined) return found;
    }
  } else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      const at = pointerJoin(pointer, k);
      if (k === '__proto__') return at;
      const found = protoKey(v[k]!, at);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Offset of the first JSON syntax error in `text`, or -1. Only used to locate an
 * error that JSON.parse reported without a position (V8 omits it for some).
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else if (c !== undefined && /[-0-9]/.test(c)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
      if (!m) fail();
      i += m![0].length;
    } else fail();
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (pos) {
    return pos as number;
  }
}

/** JSON with object keys sorted by code unit at every level: equal for equal values, whatever the key order. */
export function canonical(v: JsonValue): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (isObject(v)) {
    return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k]!)).join(',') + '}';
  }
  return JSON.stringify(v);
}
