// Handshake helpers: token extraction, the Origin allow-list, session
// validation and endpoint authorization. Everything here runs before the
// WebSocket upgrade, so refusals are plain HTTP statuses (401, 403, 404).
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Endpoint, SessionInfo, SessionValidation, SessionValidator } from './types.js';

/** The subprotocol the server selects when a client offers it. */
export const SUBPROTOCOL = 'wsgen.v1';
/** Prefix of the subprotocol entry that carries the session token: `wsgen.token.<token>`. */
export const TOKEN_PROTOCOL_PREFIX = 'wsgen.token.';

/**
 * The `protocols` argument a client passes to `new WebSocket(url, protocols)`:
 * the server selects {@link SUBPROTOCOL}, never echoing the token entry.
 * The token must consist of RFC 7230 token characters (base64url and JWTs do).
 */
export function tokenProtocols(token: string): string[] {
  return [SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX + token];
}

/** Where the token was found. */
export type TokenSource = 'protocol' | 'query';

/**
 * Extracts the session token from the offered subprotocols (`wsgen.token.<t>`),
 * or else from the `session_token` query parameter (older clients).
 */
export function extractToken(protocols: readonly string[], url: string): { token: string; source: TokenSource } | undefined {
  for (const p of protocols) {
    if (p.startsWith(TOKEN_PROTOCOL_PREFIX) && p.length > TOKEN_PROTOCOL_PREFIX.length) {
      return { token: p.slice(TOKEN_PROTOCOL_PREFIX.length), source: 'protocol' };
    }
  }
  const q = url.indexOf('?');
  if (q !== -1) {
    const t = new URLSearchParams(url.slice(q + 1)).get('session_token');
    if (t) return { token: t, source: 'query' };
  }
  return undefined;
}

/** Parses a Sec-WebSocket-Protocol header into its entries. */
export function parseProtocols(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Whether `origin` may connect: always when no allow-list is set or the request has no Origin (non-browser). */
export function originAllowed(origin: string | undefined, allowList: readonly string[] | undefined): boolean {
  if (!allowList || allowList.length === 0 || origin === undefined) return true;
  return allowList.includes(origin);
}

/**
 * Default endpoint authorization: the session needs `'*'`, the endpoint key
 * (`'guide'`, `'liaison:content'`...) or, for an endpoint with path parameters,
 * `'<name>:*'` (`'liaison:*'` for any liaison).
 */
export function defaultAuthorize(session: SessionInfo, endpoint: Endpoint): boolean {
  const p = session.permissions;
  return p.includes('*') || p.includes(endpoint.key) || (endpoint.key !== endpoint.name && p.includes(endpoint.name + ':*'));
}

/** Constant-time string equality (for comparing tokens). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What {@link InMemorySessionValidator.issue} accepts. */
export interface IssueOptions {
  userId?: string;
  tenant?: string;
  /** The realm (default: the validator's `defaultRealm`). */
  realm?: string;
  permissions?: readonly string[];
  /** Lifetime in ms from now; absent means no expiry. */
  ttlMs?: number;
  /** A fixed session id (default: a random UUID). */
  sessionId?: string;
  /** A fixed token (default: 32 random bytes, base64url). */
  token?: string;
}

/**
 * An in-memory session validator for development and tests. `issue()` mints a
 * token; `revoke()` forgets it. Expired tokens are refused.
 */
export class InMemorySessionValidator implements SessionValidator {
  private readonly sessions = new Map<string, SessionInfo>();
  /** The realm of sessions issued without one. */
  readonly defaultRealm: string;

  /** `defaultRealm`: the realm of sessions issued without one (default "default"). */
  constructor(o: { defaultRealm?: string } = {}) {
    this.defaultRealm = o.defaultRealm ?? 'default';
  }

  /** Mints a token for a new session and returns both. */
  issue(o: IssueOptions = {}): { token: string; session: SessionInfo } {
    const token = o.token ?? randomBytes(32).toString('base64url');
    const session: SessionInfo = {
      sessionId: o.sessionId ?? randomUUID(),
      userId: o.userId ?? 'dev-user',
      tenant: o.tenant ?? 'dev-tenant',
      realm: o.realm ?? this.defaultRealm,
      permissions: o.permissions ?? ['*'],
      ...(o.ttlMs !== undefined ? { expiresAt: Date.now() + o.ttlMs } : {}),
    };
    this.sessions.set(token, session);
    return { token, session };
  }

  /** Forgets a token. */
  revoke(token: string): void {
    this.sessions.delete(token);
  }

  /** {@inheritDoc SessionValidator.validateSession} */
  validateSession(token: string): SessionValidation {
    const s = this.sessions.get(token);
    if (!s) return { ok: false, reason: 'unknown token' };
    if (s.expiresAt !== undefined && s.expiresAt <= Date.now()) return { ok: false, reason: 'session expired' };
    return { ok: true, session: s };
  }
}
