/**
 * The version half of `wsgen breaking`: which bump of `x-wsgen-version` a schema change needs so that the
 * connection handshake (PROTOCOL.md "Versions"; runtime/server/versions.ts, runtime/python versions.py) serves
 * exactly the peers that still understand each other.
 *
 * The handshake serves a client that has the server's semantic hash, or an older minor (or another patch) of the
 * server's compatibility line (`MAJOR`, or `0.MINOR` below 1.0.0, as semver.org §4 promises nothing there); it
 * refuses another line, a newer minor, and the same version with another hash. So:
 *
 * - a change that breaks old clients facing the new server needs a new line (`major`; `0.MINOR+1` below 1.0.0);
 * - a change that breaks new clients facing an old server (a client may now send what the old server refuses, or
 *   refuse what it sends) needs a newer `minor`, which old servers refuse (below 1.0.0 a patch, since the
 *   handshake cannot refuse a newer patch there: deploy servers first);
 * - any other change of what validation reads (the semantic hash) needs at least a `patch`, or servers refuse
 *   every client of the other side with "same version, different schema".
 */
import type { IR } from '../ir.js';
import { findBreaking } from './compare.js';
import type { Finding } from './rules.js';
import { placeText } from '../errors.js';

/** A version bump, from none to a new compatibility line. */
export type Bump = 'none' | 'patch' | 'minor' | 'major';

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** Why a version is refused by the gate. */
export type VersionRule = 'VERSION_NOT_BUMPED' | 'MINOR_NOT_BUMPED' | 'MAJOR_NOT_BUMPED' | 'VERSION_LOWERED';

/** The gate's verdict on the versions of two schemas. */
export interface VersionVerdict {
  /** The bump the change needs. */
  required: Bump;
  /** The bump written (`major` also for a new `0.MINOR` line); `lowered` when the new version is older. */
  written: Bump | 'lowered';
  /** Whether the written bump is enough. */
  ok: boolean;
  /** Set when it is not. */
  rule?: VersionRule;
  /** What the finding says, and the smallest version that passes. */
  message?: string;
  suggested?: string;
}

type Parts = { major: number; minor: number; patch: number };

function parts(v: string): Parts {
  const [major, minor, patch] = v.split(/[.+-]/).map(Number);
  return { major: major!, minor: minor!, patch: patch! };
}

/** The bump from `a` to `b`, with a new `0.MINOR` line counted as `major` (the handshake's compatibility line). */
export function bumpOf(a: string, b: string): Bump | 'lowered' {
  const x = parts(a);
  const y = parts(b);
  const order = y.major - x.major || y.minor - x.minor || y.patch - x.patch;
  if (order < 0) return 'lowered';
  if (y.major !== x.major || (x.major === 0 && y.minor !== x.minor)) return 'major';
  if (y.minor !== x.minor) return 'minor';
  return order > 0 || a !== b ? 'patch' : 'none';
}

/** The smallest version after `v` that is a bump of `kind`. */
export function bumped(v: string, kind: Bump): string {
  const { major, minor, patch } = parts(v);
  if (kind === 'major') return major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  if (kind === 'minor') return major === 0 ? `0.${minor}.${patch + 1}` : `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/**
 * Judges the version bump from `before` to `after`, given the breaking changes `findings` (old clients, new server)
 * already found. Reads the semantic hashes and compares the schemas the other way round (new clients, old server).
 */
export function judgeVersions(before: IR, after: IR, findings: readonly Finding[]): VersionVerdict {
  const backwards: Finding[] = findings.length > 0 ? [] : findBreaking(after, before);
  let required: Bump = 'none';
  if (findings.length > 0) required = 'major';
  else if (backwards.length > 0) required = parts(after.version).major === 0 && parts(before.version).major === 0 ? 'patch' : 'minor';
  else if (before.semanticHash !== after.semanticHash) required = 'patch';
  const written = bumpOf(before.version, after.version);
  if (written === 'lowered' && required !== 'none') {
    return { required, written, ok: false, rule: 'VERSION_LOWERED', message: `x-wsgen-version went down (${before.version} → ${after.version}) while the schema changed`, suggested: bumped(before.version, required) };
  }
  if (written === 'lowered' || RANK[written] >= RANK[required]) return { required, written, ok: true };
  const suggested = bumped(before.version, required);
  if (required === 'major') {
    return { required, written, ok: false, rule: 'MAJOR_NOT_BUMPED', message: `${findings.length} breaking change(s) without a new major version (${before.version} → ${after.version}): bump x-wsgen-version to ${suggested}, or undo them`, suggested };
  }
  if (written === 'none') {
    return {
      required, written, ok: false, rule: 'VERSION_NOT_BUMPED', suggested,
      message: `the schema changed (semantic hash ${before.semanticHash.slice(0, 12)}… → ${after.semanticHash.slice(0, 12)}…) but x-wsgen-version stayed ${after.version}: servers and clients of the two schemas refuse each other with 4504 "same version, different schema". Bump x-wsgen-version to ${suggested}`,
    };
  }
  const first = backwards[0]!;
  return {
    required, written, ok: false, rule: 'MINOR_NOT_BUMPED', suggested,
    message: `new clients may meet servers still on ${before.version} (the handshake serves another patch), and ${backwards.length} change(s) make them disagree, the first at ${placeText(first.file, first.pointer)}. Bump x-wsgen-version to ${suggested} so that old servers refuse new clients (4504), and deploy servers first`,
  };
}
