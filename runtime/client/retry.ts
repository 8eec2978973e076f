/**
 * Whether to reconnect after a close, by close code. The table:
 *
 * | code | meaning | decision |
 * |---|---|---|
 * | 1000 | normal closure | stop if the client asked for it; retry if the server closed on its own (the app still wants the connection) |
 * | 1001, 1005, 1006, 1011, 1012, 1013, 1014 | going away, no status, abnormal, internal error, restart, try again later, bad gateway | retry |
 * | 1002, 1003, 1007, 1008, 1009, 1010 | protocol error, unsupported data, bad payload, policy, too big, extension | stop |
 * | 1004, 1015, other 1016–2999 | reserved, TLS failure, unassigned | stop |
 * | 3000–3999 | registered by libraries/frameworks | retry |
 * | the descriptor's `closeCodeRanges.retryable` (4000–4499) | overloaded, slow consumer, heartbeat timeout, session expired (token refreshed) | retry |
 * | 4500 UNAUTHORIZED | token refused | stop, auth error |
 * | 4504 PROTOCOL_MISMATCH | schema differs | stop, protocol-mismatch error |
 * | other codes of `closeCodeRanges.terminal` (4500–4999) | forbidden, too many connections, flooding, replaced | stop |
 *
 * The ranges and descriptions come from the protocol descriptor; 4500 and 4504 are the role library's
 * standard codes (docs/roles.md), the same in every protocol.
 *
 * Errors that are not close events (ECONNREFUSED, DNS, a failed token provider) are retryable.
 */
import type { ProtocolDescriptor } from './protocol.js';
import { AuthError, ConnectionClosedError, parseVersionRefusal, ProtocolMismatchError, type WsClientError } from './errors.js';

/** What kind of close it was. */
export type CloseKind = 'normal' | 'transient' | 'terminal' | 'auth' | 'protocol';

/** The outcome of {@link decideRetry}. */
export interface RetryDecision {
  /** Reconnect (after a backoff delay)? */
  retry: boolean;
  /** Category, which selects the error that is surfaced when not retrying. */
  kind: CloseKind;
  /** Why, in words. */
  reason: string;
}

const RETRY_STANDARD = new Map<number, string>([
  [1001, 'going away'],
  [1005, 'no status received'],
  [1006, 'abnormal closure (no close frame)'],
  [1011, 'server internal error'],
  [1012, 'service restart'],
  [1013, 'try again later'],
  [1014, 'bad gateway'],
]);

const STOP_STANDARD = new Map<number, string>([
  [1002, 'protocol error'],
  [1003, 'unsupported data'],
  [1007, 'invalid frame payload'],
  [1008, 'policy violation'],
  [1009, 'message too big'],
  [1010, 'mandatory extension missing'],
  [1004, 'reserved code'],
  [1015, 'TLS handshake failure'],
]);

function inRange(code: number, r: readonly [number, number]): boolean {
  return code >= r[0] && code <= r[1];
}

/** The role library's close code for a refused token (docs/roles.md). */
export const CLOSE_UNAUTHORIZED = 4500;
/** The role library's close code for a schema mismatch (docs/roles.md). */
export const CLOSE_PROTOCOL_MISMATCH = 4504;

/** The close code tables a decision reads: a protocol descriptor's. */
export type CloseTables = Pick<ProtocolDescriptor, 'closeCodes' | 'closeCodeRanges'>;

function describeCode(tables: CloseTables, code: number): string | undefined {
  for (const k in tables.closeCodes) if (tables.closeCodes[k]?.value === code) return tables.closeCodes[k]?.description;
  return undefined;
}

/**
 * Decides whether to reconnect after close code `code` under the close code tables of a protocol.
 * @param clientInitiated true when this client called close (disconnect) itself.
 */
export function decideRetry(tables: CloseTables, code: number, clientInitiated = false): RetryDecision {
  if (code === 1000) {
    return clientInitiated
      ? { retry: false, kind: 'normal', reason: 'closed by the client' }
      : { retry: true, kind: 'transient', reason: 'server closed normally while the client still wants the connection' };
  }
  const std = RETRY_STANDARD.get(code);
  if (std !== undefined) return { retry: true, kind: 'transient', reason: std };
  const stop = STOP_STANDARD.get(code);
  if (stop !== undefined) return { retry: false, kind: 'terminal', reason: stop };
  if (code < 3000) return { retry: false, kind: 'terminal', reason: `unassigned close code ${code}` };
  if (code < 4000) return { retry: true, kind: 'transient', reason: `library close code ${code}` };
  const info = describeCode(tables, code);
  if (inRange(code, tables.closeCodeRanges.retryable)) return { retry: true, kind: 'transient', reason: info ?? `retryable app code ${code}` };
  if (inRange(code, tables.closeCodeRanges.terminal)) {
    const kind: CloseKind = code === CLOSE_UNAUTHORIZED ? 'auth' : code === CLOSE_PROTOCOL_MISMATCH ? 'protocol' : 'terminal';
    return { retry: false, kind, reason: info ?? `terminal app code ${code}` };
  }
  return { retry: false, kind: 'terminal', reason: `close code ${code} outside the protocol` };
}

/**
 * Whether a refused upgrade (HTTP status, seen by Node's `ws` only) is worth retrying:
 * 401/403 are auth failures, other 4xx are terminal except 408 and 429, 5xx are retryable.
 */
export function decideHttpRetry(status: number): RetryDecision {
  if (status === 401 || status === 403) return { retry: false, kind: 'auth', reason: `HTTP ${status} before upgrade` };
  if (status === 408 || status === 429 || status >= 500) return { retry: true, kind: 'transient', reason: `HTTP ${status} before upgrade` };
  return { retry: false, kind: 'terminal', reason: `HTTP ${status} before upgrade` };
}

/** What a socket close means for the connection: reconnect (with why), or stop with this error. */
export type CloseOutcome = { retry: true; reason: string } | { retry: false; error: WsClientError };

/**
 * Decides a close of connection `connectionId`: by the HTTP status of a refused upgrade when there
 * was one ({@link decideHttpRetry}), else by the close code ({@link decideRetry}). A stop carries its
 * error: AuthError (401/403, 4500), ProtocolMismatchError (4504, naming both versions when the reason does)
 * or ConnectionClosedError.
 */
export function closeOutcome(protocol: ProtocolDescriptor, code: number, reason: string, httpStatus: number | undefined, connectionId: string): CloseOutcome {
  const ctx = { connectionId };
  if (httpStatus !== undefined) {
    const d = decideHttpRetry(httpStatus);
    if (d.retry) return { retry: true, reason: d.reason };
    return { retry: false, error: d.kind === 'auth' ? new AuthError({ httpStatus }, ctx) : new ConnectionClosedError(code, d.reason, ctx) };
  }
  const d = decideRetry(protocol, code, false);
  if (d.retry) return { retry: true, reason: reason || d.reason };
  const error =
    d.kind === 'auth'
      ? new AuthError({ closeCode: code }, ctx)
      : d.kind === 'protocol'
        ? new ProtocolMismatchError(protocol.schemaHash, '', ctx, { client: protocol.version, refusal: parseVersionRefusal(reason) })
        : new ConnectionClosedError(code, reason || d.reason, ctx);
  return { retry: false, error };
}
