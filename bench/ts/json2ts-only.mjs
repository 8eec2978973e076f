// The baseline of the generator benchmark: json-schema-to-typescript alone
// (its defaults, Prettier included) on the same root schema, written to a file.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileFromFile } from 'json-schema-to-typescript';

const [schemaDir, outFile] = process.argv.slice(2);
const root = join(schemaDir, 'websocket-message.schema.json');
const ts = await compileFromFile(root, { cwd: dirname(root) });
writeFileSync(outFile, ts);
