/**
 * Stage 2: validate. Every schema document must be valid JSON Schema 2020-12
 * (checked against the metaschema), without OpenAPI's `nullable` (openapi-nullable.ts); a root with a
 * `discriminator` must be a union (any other root is a type of its own: root.ts).
 */
import { METASCHEMA_ID, METASCHEMA_OPTIONS, importBuilt } from './built.js';
import { GeneratorErrorCode as E, ErrorList, WsgenError } from './errors.js';
import { type Bundle, isObject } from './load.js';
import { openApiNullables } from './openapi-nullable.js';
import { deadNullsBesideRefs } from './ref-type-null.js';

/** A compiled metaschema check, with ajv's errors of the last call. */
type MetaCheck = ((schema: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

/** The metaschema check the build precompiled (ajv needs ~30 ms to compile it), else compiled here. */
async function loadMetaCheck(): Promise<MetaCheck> {
  const built = await importBuilt<{ validate: MetaCheck }>('./metaschema.js');
  if (built !== undefined) return built.validate;
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  return new Ajv2020(METASCHEMA_OPTIONS).getSchema(METASCHEMA_ID) as MetaCheck;
}

const checkMeta = await loadMetaCheck();

/**
 * Throws WSGEN_META or WSGEN_ROOT: the first metaschema error of every file that has one, and the root
 * error, in one run (issue 9 "All errors in one run"; the later stages need valid documents, so they wait).
 */
export function validateBundle(bundle: Bundle): void {
  const errors = new ErrorList();
  for (const doc of bundle.docs) {
    if (doc.json.$schema !== undefined && doc.json.$schema !== METASCHEMA_ID) {
      errors.add(new WsgenError(E.META, `unsupported $schema ${JSON.stringify(doc.json.$schema)}`, { file: doc.file, pointer: '/$schema' }, `wsgen reads JSON Schema draft 2020-12: "$schema": "${METASCHEMA_ID}"`));
    } else if (!checkMeta(doc.json)) {
      const err = checkMeta.errors![0]!;
      errors.add(new WsgenError(E.META, `not valid JSON Schema 2020-12: ${err.instancePath || '(root)'} ${err.message ?? ''}`.trim(), { file: doc.file, pointer: err.instancePath }, `fix the keyword at that pointer; the metaschema is ${METASCHEMA_ID}`));
    }
    for (const e of openApiNullables(doc.json, doc.file)) errors.add(e);
    for (const e of deadNullsBesideRefs(bundle, doc.json, doc.file)) errors.add(e);
  }
  const root = bundle.root.json;
  if (root.discriminator !== undefined && (!isObject(root.discriminator) || !Array.isArray(root.oneOf) || root.oneOf.length === 0)) {
    errors.add(new WsgenError(E.ROOT, 'a root with "discriminator" must be a union: "discriminator" plus a non-empty "oneOf"', { file: bundle.root.file, pointer: '' },
      'write the message union at the top level of the root file: {"discriminator": {"propertyName": "type"}, "oneOf": [{"$ref": "#/$defs/..."}]}'));
  }
  errors.throwIfAny();
}
