// `wsgen generate --watch` keeps watching whatever way a schema file changes: Node 20's recursive fs.watch on
// Linux lost a file replaced by a rename (sed -i, an editor's atomic save), so every later edit went unseen.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, until } from './child-output.js';
import { ROOT, tempDir } from './helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** One JSON line of `generate --watch --json`. */
interface Run {
  ok: boolean;
  schema?: { hash: string };
  errors: unknown[];
}

/** The init starter's schema (and the role library) in a temp folder, watched by a spawned `generate --watch --json`. */
function watchedStarter() {
  const dir = tempDir();
  cpSync(join(ROOT, 'generator/init-template/schema'), join(dir, 'schema'), { recursive: true });
  mkdirSync(join(dir, 'schema/wsgen'), { recursive: true });
  cpSync(join(ROOT, 'schema/wsgen/roles.schema.json'), join(dir, 'schema/wsgen/roles.schema.json'));
  const file = join(dir, 'schema/protocol.schema.json');
  const original = readFileSync(file, 'utf8');
  const child = spawn(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'generate', '--watch', '--json', '--target', 'ts', '--schema', join(dir, 'schema'), '--out', join(dir, 'gen')], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return { dir, file, original, child, io: collect(child) };
}

describe('wsgen generate --watch after any kind of save (spawned CLI; needs the build)', () => {
  it('in-place write, sed -i, rename-over, delete+recreate, a new file in a new subfolder, a burst of saves: each is one run, and the watch keeps working', async () => {
    const { dir, file, original, child, io } = watchedStarter();
    const marker = 'What every client message may carry.';
    expect(original).toContain(marker);
    /** The schema text of edit `n`: a different description, so a different schema hash. */
    const edition = (n: number) => original.replace(marker, `What every client message may carry (edit ${n}).`);
    const runs = () => io.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Run);
    const hashes = () => runs().map((r) => r.schema?.hash);

    await until(child, io, () => runs().length === 1);
    expect(runs()[0]!.ok).toBe(true);
    /** Makes a change whose run has a new schema hash; waits for that run, then checks it was the only one since. */
    const step = async (change: () => void) => {
      const before = runs().length;
      const seen = new Set(hashes());
      change();
      await until(child, io, () => hashes().some((h) => !seen.has(h)));
      expect(runs(), 'one run per change').toHaveLength(before + 1);
      expect(runs().at(-1)!.ok).toBe(true);
    };

    await step(() => writeFileSync(file, edition(1)));
    await step(() => execFileSync('sed', ['-i', 's/(edit 1)/(edit 2)/', file]));
    await step(() => {
      writeFileSync(`${file}.tmp`, edition(3));
      renameSync(`${file}.tmp`, file);
    });
    await step(() => {
      unlinkSync(file);
      writeFileSync(file, edition(4));
    });
    // A file in a folder made after the watch started: the schema hash need not change, the run count must.
    const before = runs().length;
    mkdirSync(join(dir, 'schema/extra'));
    writeFileSync(join(dir, 'schema/extra/note.schema.json'), '{ "$defs": { "Note": { "type": "string" } } }\n');
    await until(child, io, () => runs().length === before + 1);
    // Five saves in a row are one run (debounced), of the last text.
    await step(() => {
      for (let n = 5; n <= 9; n++) writeFileSync(file, edition(n));
    });
    expect(readFileSync(join(dir, 'gen/ts/types.ts'), 'utf8')).toContain('(edit 9)');
    // Still watching after all of them: an in-place write after a rename-over.
    await step(() => execFileSync('sed', ['-i', 's/(edit 9)/(edit 10)/', file]));
    await step(() => writeFileSync(file, edition(11)));

    child.kill('SIGTERM');
    await until(child, io, () => child.exitCode !== null);
    expect(child.exitCode).toBe(0);
  }, 120_000);

  it('a deleted root file does not make the role library the root: WSGEN_WATCH_ROOT, nothing written; the root back writes again', async () => {
    const { dir, file, original, child, io } = watchedStarter();
    const runs = () => io.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Omit<Run, 'errors'> & { errors: Array<{ code: string; file: string }> });
    await until(child, io, () => runs().length === 1);
    const types = readFileSync(join(dir, 'gen/ts/types.ts'), 'utf8');

    unlinkSync(file);
    await until(child, io, () => runs().length === 2);
    expect(runs()[1]!.ok).toBe(false);
    expect(runs()[1]!.errors.map((e) => [e.code, e.file])).toEqual([['WSGEN_WATCH_ROOT', 'protocol.schema.json']]);
    expect(readFileSync(join(dir, 'gen/ts/types.ts'), 'utf8')).toBe(types);

    writeFileSync(file, original);
    await until(child, io, () => runs().length === 3);
    expect(runs()[2]!.ok).toBe(true);
    child.kill('SIGTERM');
    await until(child, io, () => child.exitCode !== null);
  }, 120_000);
});
