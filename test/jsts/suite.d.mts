// Types of suite.mjs.

/** The repository root. */
export const ROOT: string;
/** The draft whose tests are read. */
export const DRAFT: string;
/** Base of the suite's remotes. */
export const REMOTE_BASE: string;

/** One test of a group. */
export interface SuiteTest {
  description: string;
  valid: boolean;
  data: unknown;
  /** The instance exactly as written in the suite file. */
  text: string;
}

/** One group of a suite file. */
export interface SuiteGroup {
  file: string;
  index: number;
  description: string;
  schema: unknown;
  schemaText: string;
  tests: SuiteTest[];
}

/** A parsed JSON value with the source span [start, end) of it and of its members or items. */
export interface Spanned {
  value: unknown;
  start: number;
  end: number;
  members?: Map<string, Spanned>;
  items?: Spanned[];
}

/** The suite's folder: $WSGEN_JSTS_DIR, or ../shared/json-schema-test-suite beside the repo. */
export function suiteDir(): string;
/** The suite's folder, or throws naming where it was looked for. */
export function requireSuite(): string;
/** Parses JSON text keeping the source span of every value. */
export function parseWithSpans(text: string): Spanned;
/** The groups of one suite file. */
export function readGroups(dir: string, file: string): SuiteGroup[];
/** The measured files: top-level and optional/format. */
export function suiteFiles(dir: string): { main: string[]; format: string[] };
/** A remote document under REMOTE_BASE, if the suite has it. */
export function readRemote(dir: string, url: string): { text: string; json: unknown } | undefined;
