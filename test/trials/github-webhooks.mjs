// The GitHub webhook trial (issue 9): GitHub's published webhook payload schemas
// (@octokit/webhooks-schemas, draft-07, one file) converted mechanically to a wsgen
// protocol, and the errors `wsgen generate` reports on it.
//
// The conversion changes no validation: draft-07 `definitions` become 2020-12 `$defs` (and
// `#/definitions/` references `#/$defs/`), the `$schema` of each subschema is dropped (the
// root declares 2020-12), octokit's TypeScript-only keyword `tsAdditionalProperties` is
// dropped (the suite of octokit's own generator reads it; JSON Schema ignores unknown
// keywords), and the payload union under the root becomes a union of message types
// `{"event": <event name>, "payload": <payload>}` tagged by `event`.
//
//   node test/trials/github-webhooks.mjs [--out DIR]   prints the error count by reason
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** Keys whose value is a map of names to schemas, or data: never rewritten as a schema. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'required', 'examples', 'default']);

function convert(v) {
  if (Array.isArray(v)) return v.map(convert);
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$schema' || k === 'tsAdditionalProperties') continue;
    if (k === '$ref' && typeof x === 'string') out.$ref = x.replace('#/definitions/', '#/$defs/');
    else if (k === 'definitions' || k === 'properties') out[k === 'definitions' ? '$defs' : k] = Object.fromEntries(Object.entries(x).map(([n, s]) => [n, convert(s)]));
    else out[k] = DATA_KEYWORDS.has(k) ? x : convert(x);
  }
  return out;
}

/** The wsgen protocol schema of GitHub's webhooks (see the module comment). */
export function webhookProtocol() {
  const require = createRequire(import.meta.url);
  const raw = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-schemas/schema.json'), 'utf8'));
  const defs = convert(raw.definitions);
  const messages = [];
  for (const branch of raw.oneOf) {
    const payload = branch.$ref.split('/').pop();
    const event = payload.replace(/[_$]event$/, '');
    const name = `${event}_message`;
    defs[name] = { type: 'object', properties: { event: { const: event }, payload: { $ref: `#/$defs/${payload}` } }, required: ['event', 'payload'], additionalProperties: false };
    messages.push({ $ref: `#/$defs/${name}` });
  }
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'GithubWebhook', discriminator: { propertyName: 'event' }, oneOf: messages, $defs: defs };
}

/** Writes the protocol into a new folder and returns the schema file's path. */
export function writeWebhookProtocol(dir = mkdtempSync(join(tmpdir(), 'wsgen-github-'))) {
  const file = join(dir, 'github.schema.json');
  writeFileSync(file, JSON.stringify(webhookProtocol(), null, 2) + '\n');
  return file;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const { generate } = await import('../../dist/generator/index.js');
  const file = writeWebhookProtocol(values.out);
  try {
    const { ir } = await generate({ schema: file });
    console.log(`${file}: generated ${ir.objects.length} objects, ${ir.enums.length} enums, ${ir.union.variants.length} message types`);
  } catch (err) {
    if (err.code === undefined) throw err;
    const errors = [err, ...(err.more ?? [])];
    const byReason = new Map();
    for (const e of errors) {
      const reason = `${e.code}: ${e.message.replace(/"[^"]*"/g, '"…"')}`;
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    }
    console.log(`${file}: ${errors.length} error(s)${errors.length >= 50 ? ' (the first 50)' : ''}`);
    for (const [r, n] of [...byReason].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(5)}  ${r}`);
    process.exitCode = 1;
  }
}
