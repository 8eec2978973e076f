/** One keyword a value fails, as ajv writes it: a JSON pointer into the value, the keyword, its params and message. */
export interface KeywordError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}
/**
 * The subschemas of one checked document (`{"$defs": {...}}`, every `$ref` `#/$defs/<key>`), compiled once
 * (JSON Schema 2020-12, with the annotations unevaluated* read); throws for a document outside the contract.
 */
export declare class KeywordSchemas {
  constructor(document: unknown, formats: Readonly<Record<string, (s: string) => boolean>>);
  /** Whether `value` (a parsed JSON value) is valid under the subschema `key`. */
  isValid(key: string, value: unknown): boolean;
  /** The keywords `value` fails under `key` (empty when valid), at most `limit` (50), in ajv's allErrors order. */
  errors(key: string, value: unknown, limit?: number): KeywordError[];
}
