import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from './helpers.js';

describe('a user schema unrelated to wsgen (test/fixtures/mini)', async () => {
  const dir = tempDir();
  const { files, ir } = await generate({ schema: join(ROOT, 'test/fixtures/mini'), out: join(dir, 'gen'), targets: ['ts'] });
  writeOutput(join(dir, 'gen'), files);
  const parse = (await import(pathToFileURL(join(dir, 'gen/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');

  it('reads names, tags, nested objects, arrays, records and nullables into the IR', () => {
    expect(ir.union).toMatchObject({ name: 'GameEvent', discriminator: 'kind', variants: [{ tag: 'join', object: 'Join' }, { tag: 'move', object: 'Move' }, { tag: 'chat', object: 'Chat' }] });
    expect(ir.version).toBe('2.1.0');
    expect(ir.enums[0]!.members.map((m) => m.name)).toEqual(['RED', 'GREEN', 'LIGHT_BLUE']);
    expect(files.get('ts/types.ts')).toContain('nickname?: string | null');
    expect(files.get('ts/types.ts')).toContain('path?: Point[]');
  });

  it.each([
    [{ kind: 'join', player: 'ann', color: 'light-blue', nickname: null }, true],
    [{ kind: 'join', player: 'ann', nickname: 'A' }, true],
    [{ kind: 'join', player: '' }, false],
    [{ kind: 'join', player: 'ann', color: 'LIGHT_BLUE' }, false],
    [{ kind: 'move', to: { x: 1, y: 2 }, path: [{ x: 0, y: 0 }] }, true],
    [{ kind: 'move', to: { x: 1, y: 2, z: 3 } }, false],
    [{ kind: 'move', to: { x: 1.5, y: 2 } }, false],
    [{ kind: 'move', to: { x: 1, y: 2 }, path: Array.from({ length: 11 }, () => ({ x: 0, y: 0 })) }, false],
    [{ kind: 'chat', text: 'gg', tags: { a: 'b' } }, true],
    [{ kind: 'chat', text: 'gg', tags: { a: 1 } }, false],
    [{ kind: 'dance' }, false],
  ])('%j is valid: %s', (msg, valid) => {
    expect(parse.parseMessage(JSON.stringify(msg)).ok).toBe(valid);
  });

  it('reports an open field nested too deep at its JSON pointer', () => {
    const deep = JSON.parse('['.repeat(parse.MAX_DEPTH + 1) + ']'.repeat(parse.MAX_DEPTH + 1));
    expect(parse.parseMessage(JSON.stringify({ kind: 'chat', text: 'hi', extra: deep }))).toEqual({
      ok: false,
      errors: [{ path: '/extra', keyword: 'depth', message: `must not nest deeper than ${parse.MAX_DEPTH} levels`, params: { limit: parse.MAX_DEPTH } }],
    });
    expect(parse.parseMessage(JSON.stringify({ kind: 'chat', text: 'hi', extra: deep[0] })).ok).toBe(true);
  });
});
