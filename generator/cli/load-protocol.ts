/**
 * The protocol descriptor of a user's schema, for `wsgen serve --schema`:
 * generates the TypeScript target in memory, writes its plain-ESM files
 * (`parse.js`, the validators, `open.js`…: every generated `.js`) to a fresh
 * temp folder, imports `parse.js`, removes the folder, and assembles the
 * descriptor object that the generated `protocol.ts` exports from the same
 * target-neutral view (emit/descriptor.ts). No TypeScript is transpiled, so
 * neither the `typescript` package nor its load time (seconds) is needed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { descriptorOf, type Descriptor, type DescriptorCode } from '../emit/descriptor.js';
import { generate } from '../index.js';
import { makeDirs } from '../mkdirs.js';

/** What the descriptor uses of a generated `parse.js` (see its parse.d.ts). */
export interface ParseModule {
  MAX_DEPTH: number;
  parseMessage(text: string): { ok: boolean; value?: unknown };
  validateMessage(data: unknown): { ok: boolean; value?: unknown };
}

/** A code table keyed by code name, as protocol.ts writes it (close codes also say `terminal`). */
function codeTable(codes: DescriptorCode[], close: boolean): Record<string, object> {
  return Object.fromEntries(codes.map((c) => [c.name, close ? { value: c.value, retryable: c.retryable, terminal: !c.retryable, description: c.description } : { value: c.value, retryable: c.retryable, description: c.description }]));
}

/**
 * The runtime descriptor object of `d`, key for key what the generated
 * protocol.ts (templates/ts/protocol.ts.hbs) exports, with `parse`, `validate`
 * and `maxDepth` from the generated parse.js. Each message type's `is` is the
 * full validation of the root schema (`validateMessage`) plus its tag: the
 * verdict of the generated `is<Name>` guard.
 */
export function assembleDescriptor(d: Descriptor, parse: ParseModule): Record<string, unknown> {
  const tag = d.tag;
  const isOfType = (type: string) => (x: unknown): boolean => {
    const r = parse.validateMessage(x);
    return r.ok && tag !== null && (r.value as Record<string, unknown>)[tag] === type;
  };
  return {
    name: d.name,
    version: d.version,
    schemaHash: d.schemaHash,
    tagged: d.tagged,
    tag,
    maxDepth: parse.MAX_DEPTH,
    parse: parse.parseMessage,
    validate: parse.validateMessage,
    messages: Object.fromEntries(d.messages.map((m) => [m.tag, { name: m.name, direction: m.direction, priority: m.priority, role: m.role, fields: m.fields, is: isOfType(m.tag) }])),
    roles: Object.fromEntries(d.roles),
    fields: Object.fromEntries(d.fields),
    capabilities: d.capabilities,
    errorCodes: codeTable(d.errorCodes, false),
    closeCodes: codeTable(d.closeCodes, true),
    closeCodeRanges: d.closeCodeRanges,
    enums: Object.fromEntries(d.enums.map((e) => [e.name, e.values])),
  };
}

/**
 * Generates `schema` (folder or root file) and returns its `protocol`
 * descriptor, equal to the one a generated `protocol.ts` exports. Throws
 * WsgenError: any error of the schema (WSGEN_REF, WSGEN_ROLE…). `tmpRoot`
 * (where the temp folder goes, default the OS temp folder) is a seam for tests.
 */
export async function loadProtocol(schema: string, tmpRoot = tmpdir()): Promise<unknown> {
  const { files, ir } = await generate({ schema, targets: ['ts'] });
  const dir = mkdtempSync(join(tmpRoot, 'wsgen-serve-'));
  try {
    for (const [path, text] of files) {
      if (!path.startsWith('ts/') || !path.endsWith('.js')) continue;
      const target = join(dir, path);
      makeDirs(dirname(target));
      writeFileSync(target, text);
    }
    const parse = (await import(pathToFileURL(join(dir, 'ts/parse.js')).href)) as ParseModule;
    return assembleDescriptor(descriptorOf(ir), parse);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
