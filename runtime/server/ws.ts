// The thin `ws` adapter: HTTP upgrade routing (noServer), refusals before the
// upgrade, frame plumbing into the core, the metrics/health HTTP endpoints,
// compression opt-in and shutdown of the listener.
import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { parseProtocols } from './auth.js';
import { makeServer, type AcceptedHandshake, type ConnectionHandle, type ServerCore } from './core.js';
import { ListenError } from './errors.js';
import type { ProtocolDescriptor } from './descriptor.js';
import type { EndpointSpecs } from './endpoints.js';
import type { ServerOptions } from './options.js';
import type { TransportSocket } from './types.js';
import { serializedBytes } from './wire.js';
import { textFrame } from './ws-frame.js';
import { closeWithReason, receiverErrorListener } from './ws-receiver.js';

/** Options of {@link createServer}: the core's, plus where to listen or attach. */
export interface WsServerOptions<P extends ProtocolDescriptor = ProtocolDescriptor, E extends EndpointSpecs<P> = EndpointSpecs<P>> extends ServerOptions<P, E> {
  /** An existing HTTP server to attach to (upgrade routing only; mount {@link WsgenServer.handleHttp} yourself for metrics). */
  server?: HttpServer;
  /** Interface to bind when standalone (default 127.0.0.1). */
  host?: string;
  /** Port when standalone (default 0: a free port). */
  port?: number;
  /** Path of the Prometheus endpoint (default "/metrics"; false disables). */
  metricsPath?: string | false;
  /** Path of the JSON health endpoint (default "/healthz"; false disables). */
  healthPath?: string | false;
  /** permessage-deflate: off by default (see README: memory fragmentation at scale). Opt in with a size threshold in bytes. */
  compression?: false | { threshold?: number };
  /**
   * Coalesce the replies produced while handling one read from a socket into
   * one write (cork the TCP socket on the first frame of a read that more
   * bytes follow, uncork on process.nextTick, after every frame of that read
   * was handled). Default true: fewer write syscalls when a client pipelines
   * messages; the reply to a frame alone in its read is written at once.
   */
  coalesceWrites?: boolean;
}

/** A running server of protocol `P`: the core, the ws server and the HTTP server. */
export interface WsgenServer<P extends ProtocolDescriptor = ProtocolDescriptor> {
  readonly core: ServerCore<P>;
  readonly wss: WebSocketServer;
  readonly httpServer: HttpServer;
  /** The bound address (standalone or attached once listening). */
  address(): AddressInfo;
  /** `ws://host:port` + path. */
  url(path: string): string;
  /** The upgrade handler (already attached to `httpServer`). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Serves the metrics and health endpoints; returns false when the request is for another path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * Graceful shutdown: upgrades (and the health endpoint) are answered 503 with Retry-After while connections are
   * closed (jittered, with a deadline) and sessions flushed; then the listener closes. Settles in every case; a second
   * call returns the same promise.
   */
  close(): Promise<void>;
}

/** WebSocket.OPEN (ws's readyState of an open connection). */
const OPEN = 1;
/** ws.send options of a text frame given as a Buffer. */
const TEXT = { binary: false } as const;
class WsSocket implements TransportSocket {
  private readonly ws: WebSocket;
  /**
   * The TCP socket, when the adapter may write whole frames to it itself: no extension was negotiated (a
   * permessage-deflate socket sends through ws, which compresses and queues). ws's sender then never queues (it
   * queues only while deflating or reading a Blob), so a frame written here keeps its place among ws's own writes
   * (close, ping).
   */
  private readonly direct: Duplex | undefined;
  constructor(ws: WebSocket) {
    this.ws = ws;
    const socket = (ws as unknown as { _socket?: Duplex | null })._socket;
    this.direct = ws.extensions === '' && socket ? socket : undefined;
  }
  send(text: string): void {
    // One buffer with the frame's header and payload, one write (ws.send would
    // build two buffers, two option objects and write twice); a Buffer of the
    // shared pool either way, so the socket takes the all-buffers writev path.
    const socket = this.direct;
    if (socket !== undefined && this.ws.readyState === OPEN) socket.write(textFrame(text, serializedBytes(text)));
    else this.ws.send(Buffer.from(text), TEXT); // closing, closed or compressed: ws decides
  }
  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }
  terminate(): void {
    this.ws.terminate();
  }
  ping(): void {
    this.ws.ping();
  }
  cork(): void {
    const socket = (this.ws as unknown as { _socket?: Duplex | null })._socket;
    if (socket && socket.writableCorked === 0) {
      socket.cork();
      process.nextTick(uncorkSocket, socket);
    }
  }
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
}

const HANDLE = Symbol('wsgen.handle');
type WsWithHandle = WebSocket & { [HANDLE]: ConnectionHandle };
const handleOf = (ws: WebSocket): ConnectionHandle => (ws as WsWithHandle)[HANDLE];
function onWsMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  handleOf(this).onMessage(isBinary ? '' : data.toString(), isBinary);
}
function uncorkSocket(socket: Duplex): void {
  socket.uncork();
}
/** The ws 8 internals the write coalescing reads (private fields: ws is pinned, test/server/serialize.test.ts checks them). */
type WsInternals = { _socket?: Duplex | null; _receiver?: { _bufferedBytes?: unknown } | null };
/**
 * Whether a frame just received on `ws` is followed by more bytes of the same read (another frame, or part of one):
 * then its reply is worth holding back so that the replies of the whole read leave in one write. ws emits a frame
 * after removing it from its receiver's buffer, so what is left there is the rest of the read. When the receiver
 * cannot be read, the answer is yes (every read is coalesced, as if the frame were not the last).
 */
function moreOfTheRead(ws: WsInternals): boolean {
  const left = ws._receiver?._bufferedBytes;
  return typeof left !== 'number' || left > 0;
}
/**
 * onWsMessage with write coalescing: a frame followed by more of the same read corks the socket until the next tick,
 * so the replies to every frame of the read leave in one write; the last (or only) frame of a read corks nothing, so
 * the reply to a lone frame is written at once (one message at a time pays no cork, uncork or tick).
 */
function onWsMessageCoalesced(this: WebSocket, data: RawData, isBinary: boolean): void {
  const w = this as unknown as WsInternals;
  const socket = w._socket; // ws keeps the net.Socket there (private: absent means no coalescing)
  // A socket corked on arrival was corked by an earlier frame of this read (wsgen corks only until the next tick, and
  // ws's own corks last one call): this frame continues that read, in the same synchronous run.
  const continued = socket != null && socket.writableCorked !== 0;
  if (socket && !continued && moreOfTheRead(w)) {
    socket.cork();
    process.nextTick(uncorkSocket, socket);
  }
  handleOf(this).onMessage(isBinary ? '' : data.toString(), isBinary, continued);
}
function onWsPong(this: WebSocket): void {
  handleOf(this).onPong();
}
function onWsClose(this: WebSocket, code: number, reason: Buffer): void {
  handleOf(this).onClose(code, reason.toString());
}
/** The error listener of a socket refused right after its upgrade (it has no connection to report to). */
function ignoreError(): void {}
/** The pre-upgrade error listener: a shared function, so that no closure keeps the request (and its read buffer) alive. */
function destroySocket(this: Duplex): void {
  this.destroy();
}

/** Close codes of ws receiver errors (ws closes the socket itself; we record the code). */
const WS_ERROR_CLOSE: Record<string, [number, string]> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: [1009, 'size'],
  WS_ERR_INVALID_UTF8: [1007, 'utf8'],
};

/** Writes an HTTP refusal of an upgrade request and closes the socket; `retryAfter` (seconds) adds Retry-After (RFC 9110 §10.2.3). */
function writeRefusal(socket: Duplex, status: number, reason: string, retryAfter?: number): void {
  if (!socket.writable) return void socket.destroy();
  const body = `${status} ${STATUS_CODES[status] ?? ''}: ${reason}\n`;
  const retry = retryAfter !== undefined ? `Retry-After: ${retryAfter}\r\n` : '';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n${retry}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Creates the server for a protocol descriptor: the core plus a `ws` server in noServer mode, attached
 * to `opts.server` or to a new HTTP server listening on host:port.
 * @throws {ListenError} (code WSGEN_LISTEN) when the standalone server cannot listen (busy or forbidden port, bad host).
 * @throws {ConfigError} (code WSGEN_CONFIG) when the endpoints or handlers cannot work with the protocol.
 */
export async function createServer<P extends ProtocolDescriptor, const E extends EndpointSpecs<P> = EndpointSpecs<P>>(opts: WsServerOptions<P, E>): Promise<WsgenServer<P>> {
  const core = makeServer(opts);
  const chosen = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: core.options.maxPayload,
    perMessageDeflate: opts.compression
      ? { threshold: opts.compression.threshold ?? 1024, serverNoContextTakeover: true, clientNoContextTakeover: true, concurrencyLimit: 10 }
      : false,
    handleProtocols: (_set, req) => chosen.get(req) ?? false,
  });
  const standalone = opts.server === undefined;
  const httpServer = opts.server ?? createHttpServer();
  const metricsPath = opts.metricsPath === undefined ? '/metrics' : opts.metricsPath;
  const coalesce = opts.coalesceWrites ?? true;
  const healthPath = opts.healthPath === undefined ? '/healthz' : opts.healthPath;

  // One set of listener functions for every socket (`this` is the WebSocket;
  // its handle sits in a field): no closures per connection.
  function onWsError(this: WebSocket, err: Error & { code?: string }): void {
    const h = handleOf(this);
    const mapped = err.code !== undefined ? WS_ERROR_CLOSE[err.code] : undefined;
    if (mapped) core.metrics.countInvalid(mapped[1]);
    core.logger.log('info', 'socket_error', { connection_id: h.id, error: err.code ?? err.message });
    h.onClose(mapped?.[0] ?? 1002, err.code ?? 'socket error');
  }

  const onReceiverError = receiverErrorListener(core.options.maxPayload);

  function wire(ws: WebSocket, accepted: AcceptedHandshake): void {
    closeWithReason(ws, onReceiverError);
    const w = ws as WsWithHandle;
    w[HANDLE] = core.open(new WsSocket(ws), accepted);
    ws.on('message', coalesce ? onWsMessageCoalesced : onWsMessage);
    ws.on('pong', onWsPong);
    ws.on('close', onWsClose);
    ws.on('error', onWsError);
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', destroySocket);
    const origin = req.headers.origin;
    const protocols = parseProtocols(req.headers['sec-websocket-protocol']);
    core.handshake({ url: req.url ?? '/', origin, protocols }).then(
      (r) => {
        if (!r.ok && r.close === undefined) return writeRefusal(socket, r.status, r.reason, r.retryAfter);
        if (socket.destroyed) return;
        const refusal = r.ok ? undefined : r.close;
        const protocol = r.ok ? r.protocol : refusal?.protocol;
        if (protocol !== undefined) chosen.set(req, protocol);
        wss.handleUpgrade(req, socket, head, (ws) => {
          socket.off('error', destroySocket); // ws has its own listener now
          if (r.ok) return wire(ws, r);
          ws.on('error', ignoreError); // refused after the upgrade: no connection, the close is all it gets
          ws.close(refusal?.code ?? 1008, refusal?.reason ?? r.reason);
        });
      },
      () => writeRefusal(socket, 500, 'internal error'),
    );
  }

  function handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '/').split('?')[0];
    if (metricsPath !== false && path === metricsPath) {
      core.metrics.text().then(
        (text) => {
          res.writeHead(200, { 'content-type': core.metrics.contentType });
          res.end(text);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
      return true;
    }
    if (healthPath !== false && path === healthPath) {
      const body = JSON.stringify({ status: core.closing ? 'closing' : 'ok', connections: core.registry.size, sessions: core.sessions.sessionCount, inFlight: core.inFlight });
      if (core.closing) res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(core.retryAfter), connection: 'close' });
      else res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
      return true;
    }
    return false;
  }

  await core.ready; // a shared store's node is announced (presence) before it takes a connection
  httpServer.on('upgrade', handleUpgrade);
  if (standalone) {
    httpServer.on('request', (req, res) => {
      if (!handleHttp(req, res)) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
      }
    });
    const host = opts.host ?? '127.0.0.1';
    const port = opts.port ?? 0;
    try {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      await core.close({ quiet: true }); // nothing is connected and nothing listened: stops the core's timers at once, logs no shutdown
      throw new ListenError(host, port, err);
    }
  }

  let closed: Promise<void> | undefined;
  const address = (): AddressInfo => {
    const a = httpServer.address();
    if (a === null || typeof a === 'string') throw new Error('server is not listening on TCP');
    return a;
  };
  return {
    core,
    wss,
    httpServer,
    address,
    url(path: string) {
      const a = address();
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      return `ws://${host}:${a.port}${path}`;
    },
    handleUpgrade,
    handleHttp,
    close() {
      // The listener stays open while the core shuts down, so that a client
      // connecting then gets 503 with Retry-After (not a refused connection);
      // it closes (and the upgrade handler is detached) once the core is done.
      closed ??= (async () => {
        await core.close();
        const listening = standalone ? new Promise<void>((r) => httpServer.close(() => r())) : undefined; // stop accepting first
        httpServer.off('upgrade', handleUpgrade);
        await new Promise<void>((r) => wss.close(() => r()));
        if (listening !== undefined) {
          httpServer.closeAllConnections();
          await listening;
        }
      })();
      return closed;
    },
  };
}
