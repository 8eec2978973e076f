import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, until } from './child-output.js';
import { ROOT, tempDir } from './helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('wsgen generate --watch (spawned CLI; needs the build)', () => {
  it('regenerates on a change, debounced; a bad schema keeps the last good output and prints every error; SIGTERM stops it (exit 0)', async () => {
    const dir = tempDir();
    cpSync(join(ROOT, 'schema'), join(dir, 'schema'), { recursive: true });
    const out = join(dir, 'gen');
    const child = spawn(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'generate', '--watch', '--json', '--schema', join(dir, 'schema'), '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const io = collect(child);
    const runs = () => io.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { ok: boolean; errors: Array<{ code: string; file: string }> });

    await until(child, io, () => runs().length === 1);
    expect(runs()[0]!.ok).toBe(true);
    const enums = join(dir, 'schema/enums.schema.json');
    const original = readFileSync(enums, 'utf8');

    // A burst of writes is one run.
    for (let i = 1; i <= 5; i++) writeFileSync(enums, original.replace('"journey_solution"', `"journey_solution", "realm_${i}"`));
    await until(child, io, () => runs().length === 2);
    expect(runs()[1]!.ok).toBe(true);
    expect(readFileSync(join(out, 'ts/enums.ts'), 'utf8')).toContain("REALM_5: 'realm_5',");

    // Two broken files: both errors are printed, the output stays as it was.
    const good = readFileSync(join(out, 'ts/enums.ts'), 'utf8');
    const envelope = join(dir, 'schema/envelope.schema.json');
    const envelopeText = readFileSync(envelope, 'utf8');
    writeFileSync(envelope, envelopeText.slice(0, 40));
    writeFileSync(enums, '{"oops": ');
    await until(child, io, () => runs().some((r) => !r.ok && r.errors.length === 2));
    const failed = runs().find((r) => !r.ok && r.errors.length === 2)!;
    expect(failed.errors.map((e) => [e.code, e.file]).sort()).toEqual([['WSGEN_JSON', 'enums.schema.json'], ['WSGEN_JSON', 'envelope.schema.json']]);
    expect(readFileSync(join(out, 'ts/enums.ts'), 'utf8')).toBe(good);

    // Fixed again: it regenerates.
    writeFileSync(envelope, envelopeText);
    writeFileSync(enums, original);
    await until(child, io, () => runs().at(-1)!.ok && !readFileSync(join(out, 'ts/enums.ts'), 'utf8').includes('REALM_5'));

    child.kill('SIGTERM');
    await until(child, io, () => child.exitCode !== null);
    expect(child.exitCode).toBe(0);
    // Initial run, the burst, then at least one failed run and the fix: no run per write of the burst.
    expect(runs().filter((r) => r.ok)).toHaveLength(3);
  }, 90_000);
});
