import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExitCode, main } from '../../generator/cli.js';
import { ROOT, tempDir, writeSchema } from './helpers.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

const SCHEMA = join(ROOT, 'schema');
const TS = '2024-05-01T10:00:00Z';

function projectCopy(): string {
  const dir = tempDir();
  cpSync(SCHEMA, join(dir, 'schema'), { recursive: true });
  cpSync(join(ROOT, 'generated'), join(dir, 'generated'), { recursive: true, filter: (p) => !p.includes('__pycache__') });
  return dir;
}

describe('wsgen check', () => {
  it('passes (exit 0) when generated/ matches the schema', async () => {
    const dir = projectCopy();
    expect(await main(['check', '--schema', join(dir, 'schema'), '--out', join(dir, 'generated')])).toBe(ExitCode.OK);
    expect(out).toMatch(/up to date/);
  });

  it('fails (exit 1) with a diff for stale files, and lists orphan and missing files', async () => {
    const dir = projectCopy();
    const types = join(dir, 'generated/ts/types.ts');
    writeFileSync(types, readFileSync(types, 'utf8').replace('export interface MessageEnvelope {', 'export interface MessageEnvelope {\n  hacked?: true;'));
    writeFileSync(join(dir, 'generated/ts/leftover.ts'), 'export {};\n');
    const rm = join(dir, 'generated/ts/guards.ts');
    writeFileSync(rm, '');
    expect(await main(['check', '--schema', join(dir, 'schema'), '--out', join(dir, 'generated')])).toBe(ExitCode.FAILED);
    expect(out).toMatch(/stale: .*generated\/ts\/types\.ts/);
    expect(out).toMatch(/-  hacked\?: true;/);
    expect(out).toMatch(/orphan: .*generated\/ts\/leftover\.ts/);
    expect(out).toMatch(/stale: .*guards\.ts/);
  });

  it('fails when the schema changed but generated/ did not', async () => {
    const dir = projectCopy();
    const enums = join(dir, 'schema/enums.schema.json');
    writeFileSync(enums, readFileSync(enums, 'utf8').replace('"journey_solution"', '"journey_solution", "new_realm"'));
    expect(await main(['check', '--schema', join(dir, 'schema'), '--out', join(dir, 'generated')])).toBe(ExitCode.FAILED);
    expect(out).toMatch(/\+  NEW_REALM: 'new_realm',/);
    // Files that changed only in their schema hash are listed, not diffed.
    expect(out).toMatch(/stale, only the schema hash differs \(\d+\): .*generated\/ts\/parse\.js/);
    expect(out).not.toMatch(/stale: .*ts\/parse\.js/);
    expect(out).toMatch(/stale: .*ts\/enums\.ts/);
  });
});

describe('wsgen generate', () => {
  it('writes every target and then check passes', async () => {
    const dir = tempDir();
    expect(await main(['generate', '--schema', SCHEMA, '--out', join(dir, 'gen'), '--quiet'])).toBe(ExitCode.OK);
    expect(existsSync(join(dir, 'gen/ts/types.ts'))).toBe(true);
    expect(await main(['check', '--schema', SCHEMA, '--out', join(dir, 'gen')])).toBe(ExitCode.OK);
  });

  it('writes nothing (exit 2) when the schema is bad, leaving the old output intact', async () => {
    const dir = projectCopy();
    const before = readdirSync(join(dir, 'generated/ts')).sort();
    const typesBefore = readFileSync(join(dir, 'generated/ts/types.ts'), 'utf8');
    const bad = writeSchema({ 'm.json': '{"oneOf": [' });
    expect(await main(['generate', '--schema', bad, '--out', join(dir, 'generated')])).toBe(ExitCode.SCHEMA);
    expect(err).toMatch(/error WSGEN_JSON: invalid JSON/);
    expect(err).toMatch(/at m\.json#/);
    expect(err).toMatch(/hint: /);
    expect(readdirSync(join(dir, 'generated/ts')).sort()).toEqual(before);
    expect(readFileSync(join(dir, 'generated/ts/types.ts'), 'utf8')).toBe(typesBefore);
  });

  it('exits 2 with WSGEN_IO when the output path is a file, and leaves the file alone', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'keep me');
    expect(await main(['generate', '--out', file])).toBe(ExitCode.SCHEMA);
    expect(err).toMatch(/error WSGEN_IO: cannot write the output folder .*not-a-folder: EEXIST/);
    expect(err).toMatch(/hint: the output path must be a folder/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('names the output folder once, with or without a trailing slash', async () => {
    const dir = tempDir();
    expect(await main(['generate', '--target', 'python', '--out', join(dir, 'gen') + '/'])).toBe(ExitCode.OK);
    expect(out).toContain(`to ${join(dir, 'gen')}/ (`);
  });

  it.each([
    [['generate', '--target', 'cobol']],
    [['frobnicate']],
    [['validate']],
  ])('exits 3 on a usage error: %j', async (args) => {
    expect(await main(args)).toBe(ExitCode.USAGE);
  });
});

describe('wsgen validate', () => {
  const good = JSON.stringify({ type: 'ping', timestamp: TS });
  const bad = JSON.stringify({ type: 'user_message', timestamp: TS, message: '' });

  it('accepts a valid JSON file (exit 0)', async () => {
    const dir = writeSchema({ 'one.json': JSON.stringify({ type: 'user_message', timestamp: TS, message: 'hi' }, null, 2) });
    expect(await main(['validate', '--schema', SCHEMA, join(dir, 'one.json')])).toBe(ExitCode.OK);
    expect(out).toMatch(/1 valid, 0 invalid/);
  });

  it('reports each invalid NDJSON line with its location (exit 1)', async () => {
    const dir = writeSchema({ 'msgs.ndjson': `${good}\n\n${bad}\nnot json\n` });
    expect(await main(['validate', '--schema', SCHEMA, join(dir, 'msgs.ndjson')])).toBe(ExitCode.FAILED);
    expect(out).toMatch(/ok {6}.*msgs\.ndjson:1/);
    expect(out).toMatch(/invalid .*msgs\.ndjson:3 at "\/message" \[minLength\]/);
    expect(out).toMatch(/invalid .*msgs\.ndjson:4 at "" \[json\]/);
    expect(out).toMatch(/1 valid, 2 invalid/);
  });

  it('prints NDJSON results with --json', async () => {
    const dir = writeSchema({ 'msgs.ndjson': `${good}\n${bad}\n` });
    expect(await main(['validate', '--json', '--schema', SCHEMA, join(dir, 'msgs.ndjson')])).toBe(ExitCode.FAILED);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ line: 1, valid: true, errors: [] });
    expect(lines[1]).toMatchObject({ line: 2, valid: false, errors: [{ path: '/message', keyword: 'minLength' }] });
  });

  it('reports a line whose bytes are not UTF-8 instead of reading replacement characters', async () => {
    const dir = tempDir();
    const badLine = Buffer.concat([Buffer.from('{"type":"user_message","timestamp":"' + TS + '","message":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    writeFileSync(join(dir, 'mixed.ndjson'), Buffer.concat([Buffer.from(good + '\n'), badLine, Buffer.from('\n')]));
    expect(await main(['validate', '--schema', SCHEMA, join(dir, 'mixed.ndjson')])).toBe(ExitCode.FAILED);
    expect(out).toMatch(/ok {6}.*mixed\.ndjson:1\n/);
    expect(out).toMatch(/invalid .*mixed\.ndjson:2 at "" \[unicode\] must be valid UTF-8/);
  });

  it('stops quietly when its reader closes the pipe early (| head)', () => {
    const dir = writeSchema({ 'many.ndjson': `${good}\n`.repeat(20000) });
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${join(ROOT, 'bin/wsgen.js')}" validate "${join(dir, 'many.ndjson')}" | head -n 1`], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^ok {6}.*many\.ndjson:1\n$/);
    expect(r.stderr).toBe('');
  });

  it('exits 2 for a file that cannot be read', async () => {
    expect(await main(['validate', '--schema', SCHEMA, '/nonexistent/file.json'])).toBe(ExitCode.SCHEMA);
    expect(err).toMatch(/WSGEN_IO/);
  });
});

describe('wsgen serve', () => {
  /** Runs the built CLI in a child process (async, so that this process keeps serving the held port). */
  function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const p = spawn(process.execPath, [join(ROOT, 'bin/wsgen.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const t = setTimeout(() => p.kill('SIGKILL'), 15_000);
      p.on('close', (code) => {
        clearTimeout(t);
        resolve({ code, stdout, stderr });
      });
    });
  }

  it('exits 2 with WSGEN_LISTEN and a hint on a busy port (not an internal error)', async () => {
    const held = createNetServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    const port = (held.address() as AddressInfo).port;
    try {
      const r = await runCli(['serve', '--port', String(port)]);
      expect(r.code).toBe(ExitCode.SCHEMA);
      expect(r.stderr).toContain(`error WSGEN_LISTEN: cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
      expect(r.stderr).toContain(`at 127.0.0.1:${port}`);
      expect(r.stderr).toMatch(/hint: another process holds this port/);
      expect(r.stderr).not.toMatch(/internal error|Please report/);
    } finally {
      await new Promise<void>((r) => held.close(() => r()));
    }
  });

  it('exits 2 with WSGEN_LISTEN for a host that is not local or does not resolve', async () => {
    const notLocal = await runCli(['serve', '--host', '192.0.2.1', '--port', '0']); // TEST-NET-1 (RFC 5737)
    expect(notLocal.code).toBe(ExitCode.SCHEMA);
    expect(notLocal.stderr).toMatch(/error WSGEN_LISTEN: cannot listen on 192\.0\.2\.1:0: EADDRNOTAVAIL[^\n]*\n {2}at 192\.0\.2\.1:0\n {2}hint: the host is not an address/);
    const unknown = await runCli(['serve', '--host', 'no-such-host.invalid', '--port', '0']); // .invalid never resolves (RFC 6761)
    expect(unknown.code).toBe(ExitCode.SCHEMA);
    expect(unknown.stderr).toMatch(/error WSGEN_LISTEN: cannot listen on no-such-host\.invalid:0: (ENOTFOUND|EAI_AGAIN)/);
    expect(unknown.stderr).toMatch(/hint: the host name (does not resolve|could not be resolved)/);
  });

  it('names the errno in the hint for a forbidden port (EACCES)', async () => {
    const { ListenError } = await import('../../runtime/server/errors.js');
    const e = new ListenError('::1', 80, Object.assign(new Error('listen EACCES: permission denied ::1:80'), { code: 'EACCES' }));
    expect(e.format()).toBe('error WSGEN_LISTEN: cannot listen on ::1:80: EACCES (listen EACCES: permission denied ::1:80)\n  at [::1]:80\n  hint: this process may not bind this port (ports below 1024 need privileges): use a port of 1024 or more');
  });

  it('refuses a --port that is not a TCP port as a usage error (exit 3), before binding anything', async () => {
    for (const bad of ['abc', '70000', '65536', '-1', '1e3', '80.5', '', ' 80', '0x50']) {
      err = '';
      expect(await main(['serve', '--port', bad]), bad).toBe(ExitCode.USAGE);
      expect(err, bad).toMatch(/expected a TCP port, an integer from 0 to 65535/);
    }
  });
});
