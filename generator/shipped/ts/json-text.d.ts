import type { AjvError } from './validators/index.js';
import type { ParseResult, ValidationIssue } from './parse.js';
/** Whether the JSON text holds a \u escape of a lone UTF-16 surrogate (Python's parser refuses those; I-JSON, RFC 7493 §2.1). */
export declare function hasLoneSurrogateEscape(text: string): boolean;
/** Whether the text has no lone UTF-16 surrogate, so that it can be UTF-8. */
export declare const isWellFormed: (text: string) => boolean;
/**
 * Parses one message's JSON text and hands the value to `run`. Never throws: a text that is not
 * well-formed Unicode, not JSON (RFC 8259), or escapes a lone surrogate gives one issue (`unicode` or `json`, path "").
 */
export declare function readJsonText<T>(text: string, run: (data: unknown) => ParseResult<T>): ParseResult<T>;
/** An ajv error as a ValidationIssue. */
export declare function toIssue(e: AjvError): ValidationIssue;
