import type { StandaloneValidator } from './validators/index.js';
/** RFC 3339 date-time, narrowed as PROTOCOL.md's wire rules say; at most `maxFraction` (default 9) fraction digits. */
export declare function isDateTime(s: string, maxFraction?: number): boolean;
/** A UUID in 8-4-4-4-12 hex form. */
export declare function isUuid(s: string): boolean;
/** Whether `x` is an exact decimal multiple of `digits × 10^exponent` (README "Numbers"). */
export declare function decimalMultiple(x: number, digits: bigint, exponent: number): boolean;
/** Length in Unicode code points. */
export declare function ucs2length(str: string): number;
/** Equality of JSON scalars. */
export declare function equal(a: unknown, b: unknown): boolean;
/**
 * The validator of a message type that narrows a shared base: `own` (the object, required, closed set,
 * the `narrowed` fields) and `fields` (the base's fields); the first error as the flat schema reports it.
 */
export declare function composed(own: StandaloneValidator, fields: StandaloneValidator, order: readonly string[], narrowed: readonly string[]): StandaloneValidator;
/** `composed` reporting every error (ajv's allErrors), in the flat schema's order. */
export declare function composedAll(own: StandaloneValidator, fields: StandaloneValidator, order: readonly string[], narrowed: readonly string[]): StandaloneValidator;
/** The validator of a type with a fast verdict: `accepts` decides, `errorsOf` runs only on a refused value, for its errors. */
export declare function verdictFirst(accepts: (data: unknown) => boolean, errorsOf: StandaloneValidator): StandaloneValidator;
/** An error as ajv reports it, built by the standalone validators. */
export declare function ajvError(instancePath: string, schemaPath: string, keyword: string, params: Record<string, unknown>, message: string): import('./validators/index.js').AjvError;
/** One field of a shared base made ready to check (an entry of `fieldTable`). */
export interface Field {
  readonly name: string;
}
/**
 * The fields of a shared base from a table of their JSON Schemas in schema order (enum, const, string,
 * number, integer, boolean, null and open-object entries), ready to check as ajv does.
 */
export declare function fieldTable(table: ReadonlyArray<readonly [string, Record<string, unknown>]>, checkers: Readonly<Record<string, (s: string) => boolean>>): readonly Field[];
/** Whether the present value `x` of string field `f` is valid. */
export declare function isStringField(f: Field, x: unknown): boolean;
/** Whether the present value `x` of number or integer field `f` is valid. */
export declare function isNumberField(f: Field, x: unknown): boolean;
/** Whether the present value `x` of enum or const field `f` is one of its values. */
export declare function isEnumField(f: Field, x: unknown): boolean;
/** Whether `x` is a JSON object (not null, not an array). */
export declare function isJsonObject(x: unknown): boolean;
/** The errors of a base's fields as ajv reports them, set on `validate.errors`; returns the verdict. */
export declare function fieldErrors(validate: StandaloneValidator, fields: readonly Field[], data: unknown, options: { instancePath: string } | undefined, all: boolean, ownProperties: boolean): boolean;
