/**
 * Stage 2: validate. Every schema document must be valid JSON Schema 2020-12
 * (checked against the metaschema), and the root must be a discriminated union.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { GeneratorErrorCode as E, WsgenError } from './errors.js';
import { type Bundle, isObject } from './load.js';

const meta = new Ajv2020({ strict: false, allErrors: false, validateSchema: true });

/** Throws WSGEN_META or WSGEN_ROOT on the first problem. */
export function validateBundle(bundle: Bundle): void {
  for (const doc of bundle.docs) {
    if (doc.json.$schema !== undefined && doc.json.$schema !== 'https://json-schema.org/draft/2020-12/schema') {
      throw new WsgenError(E.META, `unsupported $schema ${JSON.stringify(doc.json.$schema)}`, { file: doc.file, pointer: '/$schema' }, 'wsgen reads JSON Schema draft 2020-12: "$schema": "https://json-schema.org/draft/2020-12/schema"');
    }
    if (!meta.validateSchema(doc.json)) {
      const err = meta.errors![0]!;
      throw new WsgenError(E.META, `not valid JSON Schema 2020-12: ${err.instancePath || '(root)'} ${err.message ?? ''}`.trim(), { file: doc.file, pointer: err.instancePath }, 'fix the keyword at that pointer; the metaschema is https://json-schema.org/draft/2020-12/schema');
    }
  }
  const root = bundle.root.json;
  if (!isObject(root.discriminator) || !Array.isArray(root.oneOf) || root.oneOf.length === 0) {
    throw new WsgenError(E.ROOT, 'the root schema must be a union: "discriminator" plus a non-empty "oneOf"', { file: bundle.root.file, pointer: '' },
      'write the message union at the top level of the root file: {"discriminator": {"propertyName": "type"}, "oneOf": [{"$ref": "#/$defs/..."}]}');
  }
}
