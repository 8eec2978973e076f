// The fixed reading of a message's JSON text that every TypeScript output carries
// (generator/shipped/ts/json-text.js), tested as a module of the generator's tree: well-formed
// Unicode, JSON (RFC 8259), no \u escape of a lone surrogate (I-JSON, RFC 7493 §2.1), and ajv
// errors as issues. parse.js of every output hands its schema's validation to readJsonText.
import { describe, expect, it } from 'vitest';
import { hasLoneSurrogateEscape, isWellFormed, readJsonText, toIssue } from '../../generator/shipped/ts/json-text.js';

const accept = (data: unknown) => ({ ok: true as const, value: data });

describe('readJsonText', () => {
  it('hands the parsed value to the validation and returns its result', () => {
    expect(readJsonText('{"a": [1, "\\ud83d\\ude00"]}', accept)).toEqual({ ok: true, value: { a: [1, '😀'] } });
    expect(readJsonText('3', () => ({ ok: false as const, errors: [{ path: '', keyword: 'type', message: 'm', params: {} }] }))).toMatchObject({ ok: false, errors: [{ keyword: 'type' }] });
  });

  it.each([
    ['a lone high surrogate in the text', '"\ud800"', 'unicode', 'must be valid Unicode text (no lone surrogates)'],
    ['a lone low surrogate in the text', '"a\udc00"', 'unicode', 'must be valid Unicode text (no lone surrogates)'],
    ['an escaped lone high surrogate', '"\\ud800"', 'unicode', 'must not contain a lone UTF-16 surrogate escape'],
    ['an escaped lone low surrogate', '"\\udc00x"', 'unicode', 'must not contain a lone UTF-16 surrogate escape'],
    ['a high surrogate escape followed by no low one', '"\\ud800\\u0041"', 'unicode', 'must not contain a lone UTF-16 surrogate escape'],
  ])('refuses %s (keyword %s, path "", never calling the validation)', (_what, text, keyword, message) => {
    let called = false;
    const r = readJsonText(text, (d) => ((called = true), accept(d)));
    expect(r).toEqual({ ok: false, errors: [{ path: '', keyword, message, params: {} }] });
    expect(called).toBe(false);
  });

  it.each(['{', 'NaN', "{'a': 1}", '[1,]', ''])('refuses text that is no JSON: %j', (text) => {
    const r = readJsonText(text, accept);
    expect(r.ok).toBe(false);
    expect(r.ok ? undefined : r.errors[0]).toMatchObject({ path: '', keyword: 'json', params: { line: 1 } });
    expect(r.ok ? '' : r.errors[0]!.message).toMatch(/^must be valid JSON: (unexpected .*|the text ends early) at line 1, column \d+$/);
  });

  it('never throws, whatever the text', () => {
    for (const text of ['\\', '"\\u12"', '"\\uZZZZ"', '\u0000', '"\\\\ud800"']) expect(() => readJsonText(text, accept)).not.toThrow();
    // An escaped backslash before "ud800" is no surrogate escape.
    expect(readJsonText('"\\\\ud800"', accept)).toEqual({ ok: true, value: '\\ud800' });
  });
});

describe('hasLoneSurrogateEscape and isWellFormed', () => {
  it('tell a surrogate pair from a lone surrogate', () => {
    expect(hasLoneSurrogateEscape('"\\ud83d\\ude00"')).toBe(false);
    expect(hasLoneSurrogateEscape('"\\ud83d"')).toBe(true);
    expect(hasLoneSurrogateEscape('"\\n\\t\\u0041"')).toBe(false);
    expect(isWellFormed('😀')).toBe(true);
    expect(isWellFormed('\ud83d')).toBe(false);
    expect(isWellFormed('a\ude00')).toBe(false);
  });
});

describe('toIssue', () => {
  it('maps an ajv error to a ValidationIssue (the keyword as message when ajv gives none)', () => {
    expect(toIssue({ instancePath: '/a', schemaPath: '#/x', keyword: 'minimum', params: { limit: 1 }, message: 'must be >= 1' })).toEqual({ path: '/a', keyword: 'minimum', message: 'must be >= 1', params: { limit: 1 } });
    expect(toIssue({ instancePath: '', schemaPath: '#', keyword: 'wsgen', params: {} })).toEqual({ path: '', keyword: 'wsgen', message: 'wsgen', params: {} });
  });
});
