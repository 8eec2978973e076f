/**
 * What one dial of a connection needs before its socket exists: the token (a
 * provider is called on every dial, so a refreshed token is used), the WebSocket
 * implementation, the URL (with `failoverUrls`, the next one after each failure)
 * and the subprotocols (options.ts, {@link dialTarget}).
 */
import { ConnectionClosedError } from './errors.js';
import { dialTarget, type ResolvedConnectionOptions } from './options.js';
import type { ProtocolDescriptor } from './protocol.js';
import { resolveWebSocket, type SocketLike, type WebSocketCtor } from './transport.js';

/** The token and the constructor of one dial. Rejects with TransportUnavailableError, or with what a token provider threw. */
export async function prepareDial(opts: ResolvedConnectionOptions, preferred: WebSocketCtor | undefined): Promise<{ token: string | null | undefined; Ctor: WebSocketCtor }> {
  const t = opts.token;
  const token = typeof t === 'function' ? await t() : t;
  return { token, Ctor: await resolveWebSocket(preferred) };
}

/** The URL of dial number `n` after the first failure: `url`, then each of `failoverUrls` in turn, round and round. */
export function pickUrl(url: string, failoverUrls: readonly string[], n: number): string {
  const i = n % (failoverUrls.length + 1);
  return i === 0 ? url : failoverUrls[i - 1]!;
}

/**
 * Opens the socket of connection `connectionId` to `url` with `token`, offering the subprotocols of
 * {@link dialTarget} for protocol `schema`. Throws ConnectionClosedError when the constructor refuses (a
 * malformed URL, a bad subprotocol: retrying cannot help).
 */
export function openSocket(Ctor: WebSocketCtor, url: string, opts: ResolvedConnectionOptions, token: string | null | undefined, schema: ProtocolDescriptor, connectionId: string): SocketLike {
  const target = dialTarget(url, opts, token, schema);
  try {
    return target.protocols.length > 0 ? new Ctor(target.url, target.protocols) : new Ctor(target.url);
  } catch (e) {
    throw new ConnectionClosedError(undefined, `cannot open ${url}: ${e instanceof Error ? e.message : String(e)}`, { connectionId, cause: e });
  }
}
