// README "Quick start (fresh clone)": the commands run the clone's own CLI (npm scripts, node bin/wsgen.js), never
// `npx wsgen`, which in the clone finds no wsgen in node_modules/.bin and installs the clone again into npm's cache.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The command lines (comments and blank lines dropped) of every ```sh block in the README section `heading`. */
function sectionCommands(heading: string): string[] {
  const at = README.indexOf(`\n## ${heading}\n`);
  expect(at, `README.md has "## ${heading}"`).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', at + 1);
  const section = README.slice(at, end === -1 ? undefined : end);
  const lines: string[] = [];
  for (const m of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of m[1]!.split('\n')) {
      const cmd = line.replace(/\s+#.*$/, '').trim();
      if (cmd) lines.push(...cmd.split('&&').map((c) => c.trim()));
    }
  }
  return lines;
}

describe('README quick start in a fresh clone', () => {
  const commands = sectionCommands('Quick start (fresh clone)');

  it('has no `npx wsgen` (the clone is not in its own node_modules/.bin, so npx would install it again)', () => {
    expect(existsSync(join(ROOT, 'node_modules/.bin/wsgen'))).toBe(false);
    expect(commands.filter((c) => /\bnpx\s+wsgen\b/.test(c))).toEqual([]);
  });

  it('every npm script it names exists and runs bin/wsgen.js; its generate command works in the clone', () => {
    const named = commands.flatMap((c) => {
      const m = /^npm (?:run (\S+)|(start|test))\b/.exec(c);
      return m ? [m[1] ?? m[2]!] : [];
    });
    expect(named).toEqual(expect.arrayContaining(['generate', 'start']));
    for (const n of named) expect(scripts[n], `package.json script "${n}"`).toBeDefined();
    expect(scripts.generate).toBe('node bin/wsgen.js generate');
    expect(scripts.start).toBe('node bin/wsgen.js serve');
    // The same script, into a temporary folder instead of the clone's generated/ (arguments after `--` go to wsgen).
    const out = tempDir();
    const run = spawnSync('npm', ['run', '--silent', 'generate', '--', '--quiet', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(out, 'ts/index.ts'))).toBe(true);
  }, 120_000);
});
