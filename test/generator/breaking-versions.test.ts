/**
 * `wsgen breaking`'s version gate (generator/breaking/version-gate.ts) against the handshake both servers run
 * (runtime/server/versions.ts, runtime/python versions.py): what the gate passes, the handshake serves, and a
 * schema change the handshake would refuse or mis-serve is not passed.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bumpOf, bumped, judgeVersions } from '../../generator/breaking/version-gate.js';
import { findBreaking } from '../../generator/breaking/compare.js';
import { ExitCode, main } from '../../generator/cli.js';
import { schemaToIR } from '../../generator/index.js';
import type { IR } from '../../generator/ir.js';
import { judgeSchemaOffer } from '../../runtime/server/versions.js';
import { captureStdio, tempDir } from './helpers.js';

const io = captureStdio();

/** Bid (clients send it), Result (the server sends it). */
function schema(version: string, edit: (defs: any) => void = () => {}): string {
  const defs: any = {
    Bid: { type: 'object', 'x-direction': 'client', properties: { type: { const: 'bid' }, amount: { type: 'number' }, tier: { enum: ['standard', 'proxy'], default: 'standard' } }, required: ['type', 'amount'], additionalProperties: false },
    Result: { type: 'object', 'x-direction': 'server', description: 'The outcome.', properties: { type: { const: 'result' }, text: { type: 'string', maxLength: 100 } }, required: ['type', 'text'], additionalProperties: false },
  };
  edit(defs);
  const dir = tempDir();
  const doc = { $schema: 'https://json-schema.org/draft/2020-12/schema', 'x-wsgen-version': version, discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/Bid' }, { $ref: '#/$defs/Result' }], $defs: defs };
  writeFileSync(join(dir, 'protocol.schema.json'), JSON.stringify(doc));
  return dir;
}

const addNote = (d: any) => (d.Bid.properties.note = { type: 'string' });
const shorterText = (d: any) => (d.Result.properties.text.maxLength = 50);
const longerText = (d: any) => (d.Result.properties.text.maxLength = 200);
const proxyDefault = (d: any) => (d.Bid.properties.tier.default = 'proxy');
const reworded = (d: any) => (d.Result.description = 'What happened.');

/** Whether a server on `server` serves a client built on `client`, by the Node and the Python handshake (they must agree). */
function served(server: IR, client: IR): boolean {
  const offer = { version: client.version, hash: client.semanticHash.replace(/^sha256:/, '') };
  const node = judgeSchemaOffer({ version: server.version, hash: server.semanticHash }, offer).ok;
  const code = 'import json,sys\nfrom wsgen_runtime.versions import SchemaOffer, judge_schema_offer\na=json.load(sys.stdin)\nprint(json.dumps(judge_schema_offer(a[0], a[1], SchemaOffer(version=a[2], hash=a[3])) is None))';
  const py = execFileSync('.venv/bin/python', ['-c', code], { input: JSON.stringify([server.version, server.semanticHash, offer.version, offer.hash]), env: { ...process.env, PYTHONPATH: 'runtime/python/src' }, encoding: 'utf8' });
  expect(JSON.parse(py), 'the Python handshake agrees with Node').toBe(node);
  return node;
}

const CASES: Array<[string, string, string, (d: any) => void, string | undefined, boolean, boolean]> = [
  // what, before, after, edit, the gate's rule (undefined: passes), old client served by the new server, new client served by the old one
  ['an optional field added to a client message, same version (the lockout)', '1.0.0', '1.0.0', addNote, 'VERSION_NOT_BUMPED', false, false],
  ['the same with a patch bump (old servers would serve new clients and refuse the field)', '1.0.0', '1.0.1', addNote, 'MINOR_NOT_BUMPED', true, true],
  ['the same with a minor bump', '1.0.0', '1.1.0', addNote, undefined, true, false],
  ['a shorter maxLength on a server field with a patch bump (new clients refuse what old servers send)', '1.0.0', '1.0.1', shorterText, 'MINOR_NOT_BUMPED', true, true],
  ['the same with a minor bump', '1.0.0', '1.1.0', shorterText, undefined, true, false],
  ['a longer maxLength on a server field (breaking) with a minor bump', '1.0.0', '1.1.0', longerText, 'MAJOR_NOT_BUMPED', true, false],
  ['the same with a major bump', '1.0.0', '2.0.0', longerText, undefined, false, false],
  ['a changed default with a minor bump', '1.0.0', '1.1.0', proxyDefault, 'MAJOR_NOT_BUMPED', true, false],
  ['a description reworded, same version', '1.0.0', '1.0.0', reworded, undefined, true, true],
  ['below 1.0.0: an optional client field, same version', '0.1.0', '0.1.0', addNote, 'VERSION_NOT_BUMPED', false, false],
  ['below 1.0.0: the same with a patch bump', '0.1.0', '0.1.1', addNote, undefined, true, true],
  ['below 1.0.0: a breaking change with a patch bump', '0.1.0', '0.1.1', longerText, 'MAJOR_NOT_BUMPED', true, true],
  ['below 1.0.0: the same with a new 0.MINOR line', '0.1.0', '0.2.0', longerText, undefined, false, false],
  ['a version lowered with a change', '1.2.0', '1.1.0', addNote, 'VERSION_LOWERED', false, true],
];

describe('wsgen breaking: the version gate agrees with the handshake', () => {
  it.each(CASES)('%s (%s → %s)', (_what, v1, v2, edit, rule, oldClientServed, newClientServed) => {
    const before = schemaToIR(schema(v1));
    const after = schemaToIR(schema(v2, edit));
    const verdict = judgeVersions(before, after, findBreaking(before, after));
    expect(verdict.rule).toBe(rule);
    expect(verdict.ok).toBe(rule === undefined);
    expect(served(after, before)).toBe(oldClientServed);
    expect(served(before, after)).toBe(newClientServed);
    if (verdict.ok && findBreaking(before, after).length === 0) expect(served(after, before), 'a change the gate calls compatible keeps old clients').toBe(true);
    if (verdict.ok && findBreaking(before, after).length > 0) expect(served(after, before), 'a breaking change the gate allows is refused to old clients').toBe(false);
    // Below 1.0.0 the handshake serves every patch of a 0.MINOR line both ways (semver.org §4): deploy servers first.
    if (verdict.ok && v2.startsWith('1.') && findBreaking(after, before).length > 0) expect(served(before, after), 'new clients that old servers do not understand are refused by them').toBe(false);
    if (!verdict.ok) {
      const fixed = schemaToIR(schema(verdict.suggested!, edit));
      expect(judgeVersions(before, fixed, findBreaking(before, fixed)).ok, `the suggested ${verdict.suggested} passes`).toBe(true);
    }
  });

  it('bumps: a new 0.MINOR line counts as major; lowered versions are seen', () => {
    expect([bumpOf('1.0.0', '1.0.0'), bumpOf('1.0.0', '1.0.1'), bumpOf('1.0.0', '1.1.0'), bumpOf('1.0.0', '2.0.0'), bumpOf('0.1.0', '0.2.0'), bumpOf('1.1.0', '1.0.9')]).toEqual(['none', 'patch', 'minor', 'major', 'major', 'lowered']);
    expect([bumped('1.2.3', 'patch'), bumped('1.2.3', 'minor'), bumped('1.2.3', 'major'), bumped('0.2.3', 'major'), bumped('0.2.3', 'minor')]).toEqual(['1.2.4', '1.3.0', '2.0.0', '0.3.0', '0.2.4']);
  });

  it('CLI: the trial\'s case (an optional field, same version) exits 1 with VERSION_NOT_BUMPED and the version to write', async () => {
    expect(await main(['breaking', '--schema', schema('0.1.0', addNote), '--against', schema('0.1.0')])).toBe(ExitCode.FAILED);
    expect(io.out()).toMatch(/wsgen breaking: VERSION_NOT_BUMPED against .*: the schema changed \(semantic hash [0-9a-f]{12}… → [0-9a-f]{12}…\) but x-wsgen-version stayed 0\.1\.0: .*4504 "same version, different schema"\. Bump x-wsgen-version to 0\.1\.1/);
  });

  it('CLI --json: a changed default is a breaking DEFAULT_CHANGED, and the version verdict says which version to write', async () => {
    expect(await main(['breaking', '--json', '--schema', schema('1.0.0', proxyDefault), '--against', schema('1.0.0')])).toBe(ExitCode.FAILED);
    expect(JSON.parse(io.out())).toMatchObject({ ok: false, version: { rule: 'MAJOR_NOT_BUMPED', suggested: '2.0.0' }, findings: [{ rule: 'DEFAULT_CHANGED', direction: 'client', pointer: '/$defs/Bid/properties/tier/default', message: 'bid.tier: default "standard" → "proxy"' }] });
  });
});
