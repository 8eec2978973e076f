// The handshake decision, before any WebSocket exists: endpoint routing, the
// Origin allow-list, token extraction and validation, the schema check of the
// session, authorization, the client's schema version, and 503 with Retry-After
// while shutting down.
import { defaultAuthorize, extractToken, originAllowed, SUBPROTOCOL } from './auth.js';
import { matchEndpoint } from './endpoints.js';
import type { ServerMetrics } from './metrics.js';
import type { ServerOptions } from './options.js';
import type { RuntimeProtocol } from './roles.js';
import type { Endpoint, Logger, SessionInfo } from './types.js';
import { judgeSchemaOffer, readSchemaOffer, versionCloseReason } from './versions.js';

/** The transport-neutral facts of an upgrade request. */
export interface HandshakeRequest {
  /** The request target (path and query). Never logged with its query. */
  url: string;
  /** The Origin header, if any. */
  origin?: string | undefined;
  /** The offered subprotocols (Sec-WebSocket-Protocol entries). */
  protocols: readonly string[];
}

/** A handshake that may proceed to the upgrade. */
export interface AcceptedHandshake {
  ok: true;
  endpoint: Endpoint;
  session: SessionInfo;
  token: string;
  /** The subprotocol to select, if the client offered it. */
  protocol: string | undefined;
}

/** A handshake refused before the upgrade (or, with `close`, right after it). */
export interface RefusedHandshake {
  ok: false;
  /**
   * 401 (token), 403 (origin, permission), 404 (path, pillar), 503 (shutting down), or 400 (the client's
   * schema version: sent only by a transport that cannot close after the upgrade, see `close`).
   */
  status: 400 | 401 | 403 | 404 | 503;
  reason: string;
  /** With 503: seconds after which a retry may succeed (the HTTP Retry-After header, RFC 9110 §10.2.3). */
  retryAfter?: number;
  /**
   * Set when the refusal must reach a browser, which sees a refused upgrade only as close code 1006: the
   * transport completes the upgrade (selecting `protocol`) and closes at once with this code and reason
   * (RFC 6455 §7.4: 4504 PROTOCOL_MISMATCH naming both versions), before any message.
   */
  close?: { code: number; reason: string; protocol: string | undefined };
}

/** The handshake outcome. */
export type HandshakeResult = AcceptedHandshake | RefusedHandshake;

/** What {@link decideHandshake} needs from the core. */
export interface HandshakeContext {
  readonly options: ServerOptions;
  readonly protocol: RuntimeProtocol;
  /** Concrete endpoints by path. */
  readonly endpoints: ReadonlyMap<string, Endpoint>;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** Whether the server is shutting down (read twice: before and after the async token validation). */
  closing(): boolean;
  /** Retry-After (seconds) of a 503 while shutting down. */
  retryAfter(): number;
}

/** A stream epoch of the right shape (16 base64url characters), for the session check. */
const SAMPLE_EPOCH = 'AAAAAAAAAAAAAAAA';

/**
 * Whether the messages built from a validated session (session created first)
 * can be valid: the session created message it implies (with the application's
 * fields) is checked by the protocol's validator, so the rule is the schema's.
 * Always true for a protocol without the session-created role.
 */
function sessionFitsSchema(rt: RuntimeProtocol, session: SessionInfo, endpoint: Endpoint): boolean {
  const created = rt.created({ session, endpoint }, SAMPLE_EPOCH, 0);
  return created === undefined || rt.descriptor.validate(created).ok;
}

/**
 * Decides an upgrade request: 404 (path, pillar), 403 (Origin, permission), 401 (token missing or refused, validator
 * failure, a session the schema cannot carry), 503 with Retry-After (shutting down), or accepted.
 */
export async function decideHandshake(ctx: HandshakeContext, req: HandshakeRequest): Promise<HandshakeResult> {
  const { options, metrics, logger } = ctx;
  const authorize = options.authorize ?? defaultAuthorize;
  const refuse = (status: RefusedHandshake['status'], reason: string): RefusedHandshake => {
    metrics.countRefused(status);
    const q = req.url.indexOf('?');
    logger.log('info', 'handshake_refused', { status, reason, path: q === -1 ? req.url : req.url.slice(0, q) });
    return { ok: false, status, reason };
  };
  const shuttingDown = (): RefusedHandshake => ({ ...refuse(503, 'shutting down'), retryAfter: ctx.retryAfter() });
  if (ctx.closing()) return shuttingDown();
  const endpoint = matchEndpoint(ctx.endpoints, req.url);
  if (endpoint === undefined) return refuse(404, 'unknown endpoint');
  if (!originAllowed(req.origin, options.allowedOrigins)) return refuse(403, 'origin not allowed');
  const found = extractToken(req.protocols, req.url);
  if (found === undefined) return refuse(401, 'missing session token');
  let v;
  try {
    v = await options.validator.validateSession(found.token);
  } catch (err) {
    logger.log('error', 'validator_failed', { code: 'INTERNAL_ERROR', error: err instanceof Error ? err.message : String(err), hint: 'the session validator threw' });
    return refuse(401, 'session validation failed');
  }
  if (!v.ok) return refuse(401, v.reason);
  if (!sessionFitsSchema(ctx.protocol, v.session, endpoint)) {
    logger.log('error', 'invalid_session', { code: 'INTERNAL_ERROR', hint: 'the session validator returned a session id or realm that the session created message cannot carry (schema)' });
    return refuse(401, 'session validation failed');
  }
  if (ctx.closing()) return shuttingDown();
  if (!authorize(v.session, endpoint)) return refuse(403, `session may not use ${endpoint.key}`);
  const protocol = req.protocols.includes(SUBPROTOCOL) ? SUBPROTOCOL : undefined;
  return refuseVersion(ctx, req.protocols, protocol) ?? { ok: true, endpoint, session: v.session, token: found.token, protocol };
}

/**
 * The refusal of a client whose schema version the server does not serve ({@link judgeSchemaOffer}):
 * logged (`protocol_mismatch`, warn, with both versions, the close code and a hint), counted as a 4504
 * close, and closed right after the upgrade so that a browser can read the code and reason. Undefined
 * when the client is served.
 */
function refuseVersion(ctx: HandshakeContext, protocols: readonly string[], protocol: string | undefined): RefusedHandshake | undefined {
  const d = ctx.protocol.descriptor;
  const offer = readSchemaOffer(protocols);
  const verdict = judgeSchemaOffer({ version: d.version, hash: d.schemaHash }, offer);
  if (verdict.ok) return undefined;
  const code = d.closeCodes['PROTOCOL_MISMATCH']?.value ?? 4504;
  const reason = versionCloseReason(d.version, offer.version, verdict.message);
  ctx.metrics.countClose(code);
  ctx.logger.log('warn', 'protocol_mismatch', {
    code, refusal: verdict.refusal, server_version: d.version, client_version: offer.version, client_hash: offer.hash, server_hash: d.schemaHash, hint: verdict.hint,
  });
  return { ok: false, status: 400, reason, close: { code, reason, protocol } };
}
