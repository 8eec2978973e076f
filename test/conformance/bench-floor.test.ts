// The floor of the TS parse benchmark (bench/ts/floor.mjs) is a floor only if it is an exact parser of the
// protocol: it must give parseMessage's verdict on every conformance vector and on every variant of them made
// by changing, removing or adding one property, or by changing the tag.
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../generated/ts/index.js';
import { MessageType } from '../../generated/ts/enums.js';
import { floorParse } from '../../bench/ts/floor.mjs';
import { loadVectors, vectorText } from './vectors.js';

const parse = floorParse;
const vectors = loadVectors();
/** Values that each break some field's rule and satisfy others. */
const VALUES: unknown[] = [null, '', 'x', 'guide_agent', 'INVALID_MESSAGE', 'experience', 'user', 'content', '0'.repeat(64), 'e1',
  '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b', 'https://files.example/a.pdf', 'a'.repeat(129), 'a b', '2024-05-01T10:00:00.1234567Z',
  '2024-02-30T10:00:00Z', '2024-05-01T10:00:00+01:00', 0, 0.5, 1, 2, -1, 1.5, 1000001, 2 ** 53, true, false, {}, { n: 2 ** 53 }, [], [1]];

describe('bench/ts/floor.mjs: an exact parser of the protocol', () => {
  it.each(vectors.map((v) => [`${v.file}: ${v.name}`, v] as const))('gives the vector\'s verdict: %s', (_n, v) => {
    expect(parse(vectorText(v))).toBe(v.valid);
  });

  it('gives parseMessage\'s verdict on every one-property variant of the valid vectors', () => {
    const apart: string[] = [];
    let n = 0;
    const check = (m: Record<string, unknown>): void => {
      const text = JSON.stringify(m);
      n++;
      if (parse(text) !== parseMessage(text).ok) apart.push(text);
    };
    for (const v of vectors) {
      if (!v.valid || v.message === undefined) continue;
      const m = v.message as Record<string, unknown>;
      const keys = [...Object.keys(m), 'seq', 'epoch', 'last_seq', 'schema_hash', 'realm', 'session_token', 'is_streaming', 'stream_index', 'progress', 'unknown_field'];
      for (const k of keys) {
        const { [k]: _drop, ...without } = m;
        check(without);
        for (const x of VALUES) check({ ...m, [k]: x });
      }
      for (const tag of Object.values(MessageType)) check({ ...m, type: tag });
    }
    expect(n).toBeGreaterThan(50_000);
    expect(apart.slice(0, 5)).toEqual([]);
  });
});
