/**
 * The protocol's semantic version: `x-wsgen-version` of the root schema, a
 * version as semver.org 2.0.0 defines it (MAJOR.MINOR.PATCH, optional
 * pre-release and build parts). `wsgen breaking` reads the major part.
 */
import { GeneratorErrorCode as E, WsgenError } from './errors.js';
import type { Bundle } from './load.js';

/** The official semver 2.0.0 grammar (semver.org, "Is there a suggested regular expression"). */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Whether `v` is a semantic version (semver.org 2.0.0). */
export function isSemver(v: string): boolean {
  return SEMVER.test(v);
}

/** The major part of a semantic version (the caller checked it with {@link isSemver}). */
export function majorOf(v: string): number {
  return Number(v.split('.')[0]);
}

/** Throws WSGEN_VERSION when the root's `x-wsgen-version` is present but not a semantic version string. */
export function checkVersion(bundle: Bundle): void {
  const v = bundle.root.json['x-wsgen-version'];
  if (v === undefined) return;
  if (typeof v !== 'string' || !isSemver(v)) {
    throw new WsgenError(E.VERSION, `x-wsgen-version ${JSON.stringify(v)} is not a semantic version`, { file: bundle.root.file, pointer: '/x-wsgen-version' },
      'write MAJOR.MINOR.PATCH as a string, such as "2.1.0" (semver.org 2.0.0): bump MAJOR for a change that breaks deployed peers (see wsgen breaking)');
  }
}
