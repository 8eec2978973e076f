// `wsgen init [dir]` (README "From zero"): the scaffold, the generated code
// type-checking, `wsgen check` passing in the new project, and the refusal to
// overwrite anything.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, main } from '../../generator/cli.js';
import { captureStdio, ROOT, tempDir } from './helpers.js';

const io = captureStdio();

const SCAFFOLD = ['.github/workflows/wsgen.yml', 'schema/protocol.schema.json', 'schema/wsgen/roles.schema.json', 'wsgen.config.json'];

/** Every file under a folder, relative, sorted. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('wsgen init', () => {
  it('scaffolds schema (role library copied, $ref to it), config and CI workflow, generates, and wsgen check passes there', async () => {
    const dir = join(tempDir(), 'new-project'); // created when missing
    expect(await main(['init', dir])).toBe(ExitCode.OK);
    for (const f of SCAFFOLD) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, 'schema/wsgen/roles.schema.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'schema/wsgen/roles.schema.json'), 'utf8'));
    const schema = readFileSync(join(dir, 'schema/protocol.schema.json'), 'utf8');
    expect(schema).toContain('"$ref": "wsgen/roles.schema.json#/$defs/SessionId"');
    expect(existsSync(join(dir, 'generated/ts/protocol.ts'))).toBe(true);
    expect(existsSync(join(dir, 'generated/python/wsgen_protocol/__init__.py'))).toBe(true);
    // The starter uses the standard session roles: resume, heartbeat and error replies are on.
    expect(readFileSync(join(dir, 'generated/ts/protocol.ts'), 'utf8')).toMatch(/capabilities: \['heartbeat', 'resume', 'error-replies'\]/);
    expect(io.out()).toMatch(/created 4 files/);
    io.clear();
    expect(await main(['check', '--config', join(dir, 'wsgen.config.json')])).toBe(ExitCode.OK);
    expect(io.out()).toMatch(/up to date/);
  });

  it('the generated TypeScript type-checks under strict tsc', async () => {
    const dir = tempDir();
    expect(await main(['init', dir])).toBe(ExitCode.OK);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: false, types: [] },
      include: ['generated/ts/**/*.ts'],
    }));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('without DIR scaffolds the working directory (the built CLI)', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'init'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const f of SCAFFOLD) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(existsSync(join(dir, 'generated/ts/protocol.ts'))).toBe(true);
  });

  it('the CI workflow runs wsgen check, then wsgen generate', async () => {
    const dir = tempDir();
    expect(await main(['init', dir])).toBe(ExitCode.OK);
    const runs = readFileSync(join(dir, '.github/workflows/wsgen.yml'), 'utf8').match(/- run: .*/g);
    expect(runs).toEqual(['- run: npm ci', '- run: npx wsgen check', '- run: npx wsgen generate']);
  });

  it('a second init refuses (WSGEN_EXISTS, exit 2), lists every existing path, and changes nothing', async () => {
    const dir = tempDir();
    expect(await main(['init', dir])).toBe(ExitCode.OK);
    const config = join(dir, 'wsgen.config.json');
    writeFileSync(config, readFileSync(config, 'utf8') + '\n'); // a user edit that must survive
    const before = tree(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
    io.clear();
    expect(await main(['init', dir])).toBe(ExitCode.SCHEMA);
    expect(io.err()).toMatch(/^error WSGEN_EXISTS: wsgen init would overwrite 6 existing paths/);
    for (const f of [...SCAFFOLD, 'generated/ts', 'generated/python']) expect(io.err()).toContain(`    ${join(dir, f)}\n`);
    expect(io.err()).toMatch(/hint: run wsgen init in an empty folder/);
    expect(tree(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')])).toEqual(before);
  });

  it.each([['/proc/wsgen-init'], ['/sys/wsgen-init']])('exits 2 with WSGEN_IO (not an internal error, not a hang) for %s on a pseudo file system', async (target) => {
    expect(await main(['init', target])).toBe(ExitCode.SCHEMA);
    expect(io.err()).toMatch(/^error WSGEN_IO: cannot write .*: (ENOENT|EACCES|EPERM|EROFS) \(mkdir /);
    expect(io.err()).toMatch(/hint: wsgen init needs a folder it can create files in/);
    expect(io.err()).not.toMatch(/internal error/);
  });

  it('exits 2 with WSGEN_IO when DIR lies under a file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'keep me');
    expect(await main(['init', join(dir, 'file', 'proj')])).toBe(ExitCode.SCHEMA);
    expect(io.err()).toMatch(/^error WSGEN_IO: cannot write .*: ENOTDIR/);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('keep me');
  });

  it('refuses when any single scaffold path exists, writing nothing', async () => {
    for (const taken of [...SCAFFOLD, 'generated/ts']) {
      const dir = tempDir();
      mkdirSync(join(dir, taken, '..'), { recursive: true });
      if (taken === 'generated/ts') mkdirSync(join(dir, taken));
      else writeFileSync(join(dir, taken), 'mine');
      io.clear();
      expect(await main(['init', dir]), taken).toBe(ExitCode.SCHEMA);
      expect(io.err()).toMatch(/WSGEN_EXISTS: wsgen init would overwrite 1 existing path /);
      expect(tree(dir)).toEqual(taken === 'generated/ts' ? [] : [taken]);
    }
  });

  it('--json prints the created and generated files, or the WSGEN_EXISTS envelope with the list', async () => {
    const dir = tempDir();
    expect(await main(['init', dir, '--json'])).toBe(ExitCode.OK);
    const ok = JSON.parse(io.out()) as { ok: boolean; command: string; files: string[]; generated: string[]; errors: unknown[] };
    expect(ok).toMatchObject({ ok: true, command: 'init', errors: [] });
    expect(ok.files).toEqual(SCAFFOLD.map((f) => join(dir, f)));
    expect(ok.generated).toContain(join(dir, 'generated/ts/protocol.ts'));
    io.clear();
    expect(await main(['init', dir, '--json'])).toBe(ExitCode.SCHEMA);
    const refused = JSON.parse(io.out()) as { ok: boolean; errors: Array<{ code: string; files: string[]; hint: string }> };
    expect(refused.ok).toBe(false);
    expect(refused.errors[0]!.code).toBe('WSGEN_EXISTS');
    expect(refused.errors[0]!.files).toContain(join(dir, 'wsgen.config.json'));
  });
});
