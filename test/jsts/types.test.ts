// The TypeScript types of the JSON-Schema-Test-Suite's groups admit every valid instance: a type is a superset of
// the values its schema accepts, never narrower (README "Checked values": a checked value's type is the tightest
// type its keywords imply that every valid value satisfies). Each group that wsgen generates for the TS target
// (wrapped as the harness wraps it, test/jsts/wrap.mjs) gets a probe that assigns each valid instance, as written
// in the suite, to the type of the `value` field of the message type the group becomes; one strict tsc run
// checks them all. The suite is read as the harness reads it; when it is missing this test fails, it never skips.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { strictTsc } from '../generator/helpers.js';
import { REMOTE_BASE, readGroups, readRemote, requireSuite, suiteFiles } from './suite.mjs';
import { CASE_TYPE, VALUE_FIELD, remoteFileText, wrapText } from './wrap.mjs';

const work = mkdtempSync(join(tmpdir(), 'wsgen-jsts-types-'));

/** Writes the remote documents the texts reach (transitively) at their URL's path below `folder`, as the harness serves them. */
function writeRemotes(dir: string, folder: string, texts: string[]): void {
  const seen = new Set<string>();
  const queue = texts.flatMap((t) => t.match(/http:\/\/localhost:1234\/[^"#]*/g) ?? []);
  while (queue.length) {
    const url = queue.pop()!;
    if (seen.has(url) || url.endsWith('/')) continue;
    seen.add(url);
    const remote = readRemote(dir, url);
    if (!remote) continue;
    const p = join(folder, ...url.slice(REMOTE_BASE.length).split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, remoteFileText(url, remote));
    queue.push(...(remote.text.match(/http:\/\/localhost:1234\/[^"#]*/g) ?? []));
  }
}

describe('JSON-Schema-Test-Suite draft 2020-12: the TS types admit every valid instance', () => {
  const probes: string[] = [];
  let generated = 0;
  let instances = 0;
  beforeAll(async () => {
    const dir = requireSuite();
    const { main, format } = suiteFiles(dir);
    let n = 0;
    for (const file of [...main, ...format]) {
      for (const group of readGroups(dir, file)) {
        const base = join(work, `g${n++}`);
        mkdirSync(join(base, 'schema'), { recursive: true });
        writeFileSync(join(base, 'schema', 'protocol.schema.json'), wrapText(group));
        writeRemotes(dir, join(base, 'schema'), [group.schemaText]);
        let files: Map<string, string>;
        try {
          files = (await generate({ schema: join(base, 'schema'), out: join(base, 'gen'), targets: ['ts'] })).files;
        } catch {
          continue; // refused: nothing to type
        }
        generated++;
        for (const name of ['ts/enums.ts', 'ts/types.ts']) writeFileSync(join(base, name.slice(3)), files.get(name)!);
        const types = files.get('ts/types.ts')!;
        // The wire form when the case holds defaults (what a sender writes; the parsed form has them filled in).
        const caseType = types.includes(`export interface ${CASE_TYPE}Input `) ? `${CASE_TYPE}Input` : CASE_TYPE;
        // A "__proto__" key in an object literal sets the prototype: such an instance is no JSON object to TypeScript.
        const valid = group.tests.filter((t: { valid: boolean; text: string }) => t.valid && !t.text.includes('__proto__'));
        instances += valid.length;
        const lines = [
          `// ${file} #${group.index}: ${group.description.replace(/\n/g, ' ')}`,
          `import type { ${caseType} } from './types.js';`,
          `type V = ${caseType}[${JSON.stringify(VALUE_FIELD)}];`,
          ...valid.map((t: { text: string }, i: number) => `export const v${i}: V = ${t.text};`),
        ];
        writeFileSync(join(base, 'probe.ts'), lines.join('\n') + '\n');
        probes.push(`g${n - 1}`);
      }
    }
  }, 600_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('type-checks every valid instance of every generated group (tsc strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess)', () => {
    expect(generated).toBeGreaterThan(300);
    expect(instances).toBeGreaterThan(600);
    expect(strictTsc(work, probes.map((p) => `${p}/*.ts`))).toBe('');
  }, 600_000);
});
