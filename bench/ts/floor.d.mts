// Types of floor.mjs (plain ESM, read by the benchmarks and by test/conformance/bench-floor.test.ts).

/** Whether parsed value `d` is a valid message of the bundled protocol (every key visited once, in one pass). */
export function floorValid(d: unknown): boolean;
/** Whether JSON text `text` is a valid message: well-formed Unicode, JSON, no escaped lone surrogate, and floorValid. */
export function floorParse(text: string): boolean;
/** The value of `text` when it is a valid message (floorParse's checks), else undefined. */
export function floorRead(text: string): Record<string, unknown> | undefined;
