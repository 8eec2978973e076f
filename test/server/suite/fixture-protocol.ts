// The TS descriptor of a schema under test/fixtures, generated into a temp folder and imported, for the suites
// that serve a fixture protocol (mini.test.ts, numbered.test.ts).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from '../../../generator/index.js';
import { writeOutput } from '../../../generator/write.js';
import type { ProtocolDescriptor } from '../../../runtime/server/descriptor.js';
import { tempDir } from '../../generator/helpers.js';

/** Generates `test/fixtures/<name>/protocol.schema.json` (TS target) and returns its `protocol` descriptor. */
export async function fixtureProtocol(name: string): Promise<ProtocolDescriptor> {
  const dir = tempDir(`wsgen-${name}-`);
  const { files } = await generate({ schema: join(import.meta.dirname, `../../fixtures/${name}/protocol.schema.json`), out: join(dir, 'gen'), targets: ['ts'] });
  writeOutput(join(dir, 'gen'), files);
  return ((await import(pathToFileURL(join(dir, 'gen/ts/protocol.ts')).href)) as { protocol: ProtocolDescriptor }).protocol;
}
