import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../generated/ts/index.js';
import { runPython } from './python.js';
import { loadVectors, vectorText } from './vectors.js';

const valid = loadVectors().filter((v) => v.valid);

describe('round trip between the TypeScript and Python targets', () => {
  // TS parses and re-serialises each valid vector; Python parses that and dumps it; TS validates Python's dump.
  const fromTs = valid.map((v) => {
    const r = parseMessage(vectorText(v));
    if (!r.ok) throw new Error(`TS rejects valid vector ${v.name}`);
    return JSON.stringify(r.value);
  });
  const dumped = runPython('roundtrip.py', fromTs).map((l) => JSON.parse(l) as string | null);

  it.each(valid.map((v, i) => [`${v.file}: ${v.name}`, i] as const))('%s', (_n, i) => {
    const pyText = dumped[i];
    expect(pyText, 'Python rejected a message TypeScript serialised').not.toBeNull();
    const back = parseMessage(pyText!);
    expect(back.ok, 'TypeScript rejected a message Python dumped').toBe(true);
    if (!back.ok) return;
    // Same message, except that Python writes timestamps in its own (equally valid) form.
    const { timestamp: t1, ...a } = JSON.parse(fromTs[i]!) as Record<string, unknown>;
    const { timestamp: t2, ...b } = back.value as unknown as Record<string, unknown>;
    expect(b).toEqual(a);
    expect(Date.parse(t2 as string)).toBe(Date.parse(t1 as string));
  });
});

describe('one parsed value on both targets', () => {
  // Python's dump of each valid vector as sent equals TS's JSON.stringify of its parsed value, as JSON values:
  // schema defaults (README "Supported JSON Schema", `default`) fill the same absent properties with the same values.
  const ts = valid.map((v) => {
    const r = parseMessage(vectorText(v));
    return r.ok ? (JSON.parse(JSON.stringify(r.value)) as Record<string, unknown>) : null;
  });
  const py = runPython('roundtrip.py', valid.map(vectorText)).map((l) => JSON.parse(l) as string | null);

  it.each(valid.map((v, i) => [`${v.file}: ${v.name}`, i] as const))('%s', (_n, i) => {
    expect(py[i], 'Python rejected a valid vector').not.toBeNull();
    const { timestamp: t1, ...a } = ts[i]!;
    // Equal as JSON values (the bytes of each number: dump-numbers.test.ts).
    const { timestamp: t2, ...b } = JSON.parse(JSON.stringify(JSON.parse(py[i]!))) as Record<string, unknown>;
    expect(b).toEqual(a);
    expect(Date.parse(t2 as string)).toBe(Date.parse(t1 as string));
  });
});
