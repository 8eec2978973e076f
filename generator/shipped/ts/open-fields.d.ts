import type { ValidationIssue } from './parse.js';
/** Deepest nesting a message may have: no value sits inside more than this many arrays or objects. */
export declare const MAX_DEPTH: number;
/** The largest integer every target reads exactly, 2^53 − 1 (I-JSON, RFC 7493 §2.2). */
export declare const MAX_SAFE_INTEGER: number;
/** One validation problem (`params` defaults to `{}`). */
export declare function issue(path: string, keyword: string, message: string, params?: Record<string, unknown>): ValidationIssue;
/** Bit of `scan`'s result: a number beyond ±MAX_SAFE_INTEGER. */
export declare const UNSAFE: number;
/** Bit of `scan`'s result: nesting past MAX_DEPTH. */
export declare const DEEP: number;
/** Walks an open value sitting at `depth` (the message is 0): DEEP, else UNSAFE, else 0. */
export declare function scan(value: unknown, depth: number): number;
/** The issue of an open field at `path` nesting deeper than MAX_DEPTH. */
export declare function tooDeep(path: string): ValidationIssue;
/** The issue of an open field at `path` holding a number beyond ±MAX_SAFE_INTEGER. */
export declare function unsafeNumber(path: string): ValidationIssue;
/** For types without open fields: nothing in them can nest or hold any number. */
export declare function noOpenIssue(d?: object): undefined;
/**
 * The first issue of the open values at any depth of a schema-valid object of a type whose open positions are
 * `positions` (open.js's table; `table`: every type's, by name): depth first, then the range of numbers.
 */
export declare function positionsIssue(d: Record<string, unknown>, positions: readonly unknown[][], table: ReadonlyMap<string, readonly unknown[][]>): ValidationIssue | undefined;
