/**
 * Structured errors of the wsgen generator. Every error has a stable code, a
 * location (file plus JSON pointer) and a hint, so that a CLI user, an editor
 * integration or a CI log can point at the exact place in the schema.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { WsgenNotice } from './default-notices.js';

/** Stable error codes of the generator. Documented in README.md. */
export const GeneratorErrorCode = {
  /** A schema file or folder cannot be read. */
  IO: 'WSGEN_IO',
  /** A schema file is not valid JSON. */
  JSON: 'WSGEN_JSON',
  /** A `$ref` does not resolve, or points somewhere wsgen does not follow. */
  REF: 'WSGEN_REF',
  /** The schema breaks the JSON Schema 2020-12 metaschema. */
  META: 'WSGEN_META',
  /** No root union (or more than one) was found. */
  ROOT: 'WSGEN_ROOT',
  /** A command or runtime needs the root union with a discriminator, and the root is another type (issue 9 row 11). */
  UNTAGGED_ROOT: 'WSGEN_UNTAGGED_ROOT',
  /** The discriminated union is malformed (missing const, duplicate tag, …). */
  DISCRIMINATOR: 'WSGEN_DISCRIMINATOR',
  /** A keyword (or a keyword value) that a target cannot enforce exactly. */
  UNSUPPORTED: 'WSGEN_UNSUPPORTED',
  /** An enum lists the same value twice. */
  ENUM_DUPLICATE: 'WSGEN_ENUM_DUPLICATE',
  /** A type or member name is invalid, clashes, or ends in a digit. */
  NAME: 'WSGEN_NAME',
  /** allOf branches or overrides that cannot be intersected. */
  MERGE: 'WSGEN_MERGE',
  /** A pattern uses regex syntax that JS and Python read differently. */
  PATTERN: 'WSGEN_PATTERN',
  /** A required property that the object does not define. */
  REQUIRED: 'WSGEN_REQUIRED',
  /** An `x-wsgen-role`, `x-wsgen-priority` or `x-direction` annotation that is unknown or inconsistent with the protocol. */
  ROLE: 'WSGEN_ROLE',
  /** wsgen.config.json is not valid JSON, breaks its JSON Schema, or names overlapping output folders. */
  CONFIG: 'WSGEN_CONFIG',
  /** `x-wsgen-version` of the root is not a semantic version (semver.org 2.0.0). */
  VERSION: 'WSGEN_VERSION',
  /** An output folder holds files wsgen did not write (no wsgen banner): nothing was changed. */
  FOREIGN_FILES: 'WSGEN_FOREIGN_FILES',
  /** `wsgen breaking --against` names something that is not a git ref, folder or file. */
  AGAINST: 'WSGEN_AGAINST',
  /** `wsgen init` would overwrite files that exist: nothing was written. */
  EXISTS: 'WSGEN_EXISTS',
  /** A property `default` that the targets could not fill alike, in a union whose branch they may choose differently (generator/defaults.ts; a default that is not applied is a warning, default-notices.ts). */
  DEFAULT: 'WSGEN_DEFAULT',
  /** `wsgen validate` was given an input (file or stdin) that holds no message: empty, or JSON whitespace only. */
  EMPTY_INPUT: 'WSGEN_EMPTY_INPUT',
  WATCH_ROOT: 'WSGEN_WATCH_ROOT',
} as const;

/** A generator error code. */
export type GeneratorErrorCode = (typeof GeneratorErrorCode)[keyof typeof GeneratorErrorCode];

/**
 * A place as people and tools read it: `file#/pointer`, or the file alone when the pointer is empty (the whole
 * file, or a file that is no JSON document: `file#` opens nowhere).
 */
export function placeText(file: string, pointer: string): string {
  return pointer === '' ? file : `${file}#${pointer}`;
}

/** Where an error is: the schema file (relative to the schema root) and a JSON pointer into it. */
export interface SchemaLocation {
  file: string;
  pointer: string;
}

/** An error of the generator pipeline, carrying code, location and hint. */
export class WsgenError extends Error {
  readonly code: GeneratorErrorCode;
  readonly location: SchemaLocation;
  readonly hint: string;
  /** Every file the error is about, when there are several (WSGEN_FOREIGN_FILES lists each one). */
  readonly files: readonly string[] | undefined;
  /**
   * The absolute folder `location.file` is relative to, when it is a schema file (set by the pipeline entry points,
   * index.ts): {@link path} then names the file from the working directory. Unset for other files (config, output,
   * input), whose `file` is the path as given or absolute already.
   */
  root: string | undefined = undefined;
  /**
   * The warnings the failing run could still give (generate(): the defaults of the definitions that built, each as a
   * passing run gives it), so that a user fixing errors sees them in the same run. Empty unless set.
   */
  notices: readonly WsgenNotice[] = [];
  /** The errors the same run found after this one (schema errors of other definitions), up to MAX_REPORTED_ERRORS in all. */
  more: readonly WsgenError[] = [];

  constructor(code: GeneratorErrorCode, message: string, location: SchemaLocation, hint: string, files?: readonly string[]) {
    super(message);
    this.name = 'WsgenError';
    this.code = code;
    this.location = location;
    this.hint = hint;
    this.files = files;
  }

  /** `file#/pointer` with `file` as {@link SchemaLocation} has it (relative to the schema root); the file alone for an empty pointer. */
  get where(): string {
    return placeText(this.location.file, this.location.pointer);
  }

  /**
   * The file as a path from the working directory (`/` separators), which editors, problem matchers and CI
   * annotations open: a schema file's (with {@link root} set) resolved against the schema root, relative to the
   * working directory when it lies inside it, else absolute; any other file as given.
   */
  get path(): string {
    if (this.root === undefined) return this.location.file;
    const abs = resolve(this.root, this.location.file);
    const rel = relative(process.cwd(), abs);
    // Outside the working directory: the absolute path (a run of `../` is harder to read and to open).
    return (rel === '' ? '.' : isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) ? abs : rel).split(sep).join('/');
  }

  /** Sets {@link root} on this error and every error in `more` that has none (the pipeline's schema errors). */
  inSchema(root: string): this {
    for (const e of this.all()) if (e.root === undefined && e.code !== 'WSGEN_IO') e.root = root;
    return this;
  }

  /** A multi-line, human-readable rendering for the CLI: this error, then every error in `more`. */
  format(): string {
    const all = this.all();
    if (all.length === 1) return this.formatOwn();
    return [...all.map((e) => e.formatOwn()), `${all.length} errors`].join('\n');
  }

  /** A copy of this error without its `more`. */
  alone(): WsgenError {
    const copy = new WsgenError(this.code, this.message, this.location, this.hint, this.files);
    copy.root = this.root;
    copy.notices = this.notices;
    return copy;
  }

  /** This error alone, without its `more`; the list of files only when it says more than the location (one location per error). */
  private formatOwn(): string {
    const more = this.files !== undefined && !(this.files.length === 1 && this.files[0] === this.location.file);
    const list = more ? this.files!.map((f) => `\n    ${f}`).join('') : '';
    return `error ${this.code}: ${this.message}${list}\n  at ${placeText(this.path, this.location.pointer)}\n  hint: ${this.hint}`;
  }

  /** This error and the ones found after it in the same run, flattened (an error in `more` may carry a `more` of its own), each once. */
  all(): WsgenError[] {
    const out = new Set<WsgenError>();
    const visit = (e: WsgenError): void => {
      if (out.has(e)) return;
      out.add(e);
      for (const m of e.more) visit(m);
    };
    visit(this);
    return [...out];
  }

  /**
   * A plain object for `--json` output: `file` relative to the schema root for a schema file (stable across working
   * directories), `path` the same file from the working directory ({@link path}), `files` only when the error lists several.
   */
  toJSON(): { code: string; message: string; file: string; path: string; pointer: string; hint: string; files?: string[] } {
    return { code: this.code, message: this.message, file: this.location.file, path: this.path, pointer: this.location.pointer, hint: this.hint, ...(this.files ? { files: [...this.files] } : {}) };
  }
}

/** Most schema errors one run reports (the first, then those it found after it). */
export const MAX_REPORTED_ERRORS = 50;

/**
 * The schema errors of independent checks, kept so that one run reports all of them (issue 9 "All errors
 * in one run") instead of stopping at the first: each check runs in {@link ErrorList.attempt}, and
 * {@link ErrorList.throwIfAny} throws the first error found with the others (up to MAX_REPORTED_ERRORS in
 * all) as its `more`. Any exception other than a WsgenError (a bug) propagates at once.
 */
export class ErrorList {
  /** The errors found so far, in the order found (an error's own `more` follow it). */
  readonly found: WsgenError[] = [];

  /** Runs `step`; a WsgenError it throws (one `keep` accepts, when given; any other propagates) is kept (with its `more`) and `undefined` returned. */
  attempt<T>(step: () => T, keep?: (err: WsgenError) => boolean): T | undefined {
    try {
      return step();
    } catch (err) {
      if (!(err instanceof WsgenError) || (keep !== undefined && !keep(err))) throw err;
      this.add(err);
      return undefined;
    }
  }

  /** Keeps an error (with its `more`) found without a throw; one equal to an error kept already (code, place, message: a shared base failing again for each user) is left out. */
  add(err: WsgenError): void {
    for (const e of err.all()) {
      if (!this.found.some((f) => f.code === e.code && f.where === e.where && f.message === e.message)) this.found.push(e);
    }
  }

  /** Whether no error was found. */
  get empty(): boolean {
    return this.found.length === 0;
  }

  /** Whether an error was found; narrows the list to a {@link FailedErrorList}, which {@link throwAll} needs. */
  failed(): this is FailedErrorList {
    return this.found.length > 0;
  }

  /**
   * Throws the first error found, with the others as its `more` (capped at MAX_REPORTED_ERRORS in all). Returns
   * `never`, and only a list known to hold an error ({@link failed}) has it, so the type checker knows that no
   * code runs after it and no caller needs a fallback throw.
   */
  throwAll(this: FailedErrorList): never {
    const [first, ...rest] = this.found;
    first.more = rest.slice(0, MAX_REPORTED_ERRORS - 1);
    throw first;
  }

  /** Throws as {@link throwAll} when an error was found; returns when none was. */
  throwIfAny(): void {
    if (this.failed()) this.throwAll();
  }
}

/** An {@link ErrorList} known to hold at least one error (narrowed by {@link ErrorList.failed}). */
export type FailedErrorList = ErrorList & { readonly found: [WsgenError, ...WsgenError[]] };

/**
 * Runs `step` for each item, collecting WsgenErrors instead of stopping at the first;
 * throws the first with the others (up to MAX_REPORTED_ERRORS in all) as its `more`.
 * Any other exception (a bug) propagates at once.
 */
export function collectErrors<T>(items: Iterable<T>, step: (item: T) => void): void {
  const errors = new ErrorList();
  for (const item of items) errors.attempt(() => step(item));
  errors.throwIfAny();
}

/** A reference token that needs escaping in a JSON pointer (RFC 6901 §3: `~` and `/`). */
const POINTER_SPECIAL = /[~/]/;

/** Appends escaped tokens to a JSON pointer (RFC 6901). */
export function pointerJoin(pointer: string, ...tokens: Array<string | number>): string {
  let out = pointer;
  for (const t of tokens) {
    const s = String(t);
    out += '/' + (POINTER_SPECIAL.test(s) ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s);
  }
  return out;
}
