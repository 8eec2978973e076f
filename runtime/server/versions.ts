// The schema-version check of the handshake (PROTOCOL.md "Versions"): what a
// client offers in Sec-WebSocket-Protocol, and whether the server serves it.

/** Prefix of the subprotocol entry that carries the client's schema version: `wsgen.version.<x-wsgen-version>`. */
export const VERSION_PROTOCOL_PREFIX = 'wsgen.version.';
/** Prefix of the subprotocol entry that carries the client's semantic schema hash: `wsgen.hash.<64 hex digits>`. */
export const HASH_PROTOCOL_PREFIX = 'wsgen.hash.';

/** Versions longer than this are refused as malformed (and are shortened in a close reason). */
const MAX_VERSION_LENGTH = 64;
/** A semantic version (semver.org 2.0.0 §2, §9, §10): MAJOR.MINOR.PATCH, optional pre-release and build. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** What a client offered about its schema. Absent entries are undefined (an older client offers none). */
export interface SchemaOffer {
  version: string | undefined;
  hash: string | undefined;
}

/** Reads the `wsgen.version.` and `wsgen.hash.` entries of the offered subprotocols (the first of each). */
export function readSchemaOffer(protocols: readonly string[]): SchemaOffer {
  let version: string | undefined;
  let hash: string | undefined;
  for (const p of protocols) {
    if (version === undefined && p.startsWith(VERSION_PROTOCOL_PREFIX)) version = p.slice(VERSION_PROTOCOL_PREFIX.length);
    else if (hash === undefined && p.startsWith(HASH_PROTOCOL_PREFIX)) hash = p.slice(HASH_PROTOCOL_PREFIX.length);
  }
  return { version, hash };
}

/** The subprotocol entries a client adds to announce its schema (`version`, and `hash` without a `sha256:` prefix). */
export function schemaProtocols(version: string, hash: string): string[] {
  return [VERSION_PROTOCOL_PREFIX + version, HASH_PROTOCOL_PREFIX + hash.replace(/^sha256:/, '')];
}

/** Why a client's schema is refused. */
export type VersionRefusalKind = 'malformed' | 'major' | 'newer' | 'unversioned-change';

/** The verdict of {@link judgeSchemaOffer}: serve it, or refuse it with a reason and a hint. */
export type SchemaVerdict = { ok: true } | { ok: false; refusal: VersionRefusalKind; message: string; hint: string };

/** The major and minor numbers of a semantic version, or undefined when it is not one. */
function parse(v: string): { major: number; minor: number } | undefined {
  if (v.length > MAX_VERSION_LENGTH) return undefined;
  const m = SEMVER.exec(v);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/**
 * Decides whether a server on schema `server` serves a client that offered `offer` (PROTOCOL.md "Versions"):
 * - no version offered (an older client): served; the client compares schema hashes itself;
 * - the same semantic hash: served, whatever the versions say (a documentation-only change keeps the hash);
 * - a version that is not a semantic version (or longer than 64 characters): refused, `malformed`;
 * - another major version: refused, `major` (with major 0, the minor counts as the major, as npm's caret
 *   ranges read 0.y.z: semver.org §4 promises nothing below 1.0.0);
 * - a newer minor than the server's: refused, `newer` (the server may refuse what the client sends);
 * - the same version with another hash: refused, `unversioned-change` (the schema changed without a version bump);
 * - otherwise (an older minor, or another patch): served.
 */
export function judgeSchemaOffer(server: { version: string; hash: string }, offer: SchemaOffer): SchemaVerdict {
  if (offer.version === undefined) return { ok: true };
  const serverHash = server.hash.replace(/^sha256:/, '');
  if (offer.hash !== undefined && offer.hash === serverHash) return { ok: true };
  const c = parse(offer.version);
  const s = parse(server.version);
  const regenerate = 'regenerate the client from the schema the server runs (wsgen generate), or deploy matching versions';
  if (c === undefined || s === undefined) {
    return { ok: false, refusal: 'malformed', message: 'the client version is not a semantic version', hint: 'a client offers wsgen.version.<MAJOR.MINOR.PATCH>' };
  }
  const key = (v: { major: number; minor: number }): string => (v.major === 0 ? `0.${v.minor}` : String(v.major));
  if (key(c) !== key(s)) return { ok: false, refusal: 'major', message: 'major versions differ', hint: regenerate };
  if (c.minor > s.minor) return { ok: false, refusal: 'newer', message: 'the client is on a newer minor version', hint: 'deploy the server before its clients, or ' + regenerate };
  if (offer.version === server.version && offer.hash !== undefined) {
    return { ok: false, refusal: 'unversioned-change', message: 'same version, different schema', hint: 'bump x-wsgen-version when the schema changes, then regenerate both sides' };
  }
  return { ok: true };
}

/** Shortens a version for a close reason (RFC 6455 §5.5.1 caps a close reason at 123 bytes). */
const shown = (v: string | undefined): string => {
  const ascii = (v ?? '?').replace(/[^0-9A-Za-z.+-]/g, '?');
  return ascii.length > 40 ? ascii.slice(0, 39) + '~' : ascii;
};

/**
 * The close reason of a refused version: `server=<version> client=<version>: <message>`, at most
 * 123 bytes (RFC 6455 §5.5.1). Clients read both versions from it (PROTOCOL.md "Versions").
 */
export function versionCloseReason(serverVersion: string, clientVersion: string | undefined, message: string): string {
  return `server=${shown(serverVersion)} client=${shown(clientVersion)}: ${message}`.slice(0, 123);
}
