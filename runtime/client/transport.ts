/**
 * The WebSocket implementation: the native one in browsers, the `ws` package in
 * Node (it reports the HTTP status of a refused upgrade, which native sockets hide),
 * or whatever constructor the app injects.
 */
import { TransportUnavailableError } from './errors.js';

/** The event shape the runtime reads (a subset of DOM and `ws` events). */
export interface SocketEvent {
  /** Frame payload (message events). */
  data?: unknown;
  /** Close code (close events). */
  code?: number;
  /** Close reason (close events). */
  reason?: string;
  /** Error text (`ws` error events). */
  message?: string;
  /** Underlying error (`ws` error events). */
  error?: unknown;
}

/** The part of a WebSocket the runtime uses. Both the DOM WebSocket and `ws` fit. */
export interface SocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes accepted by send() but not yet on the wire. */
  readonly bufferedAmount?: number;
  /** The subprotocol the server selected. */
  readonly protocol?: string;
  onopen: ((ev: SocketEvent) => void) | null;
  onmessage: ((ev: SocketEvent) => void) | null;
  onerror: ((ev: SocketEvent) => void) | null;
  onclose: ((ev: SocketEvent) => void) | null;
  /** Sends a text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** `ws` only: destroys the socket at once. */
  terminate?(): void;
}

/** A WebSocket constructor (DOM `WebSocket`, `ws`'s `WebSocket`, or a test fake). */
export type WebSocketCtor = new (url: string, protocols?: string | string[]) => SocketLike;

/** readyState OPEN. */
export const OPEN = 1;

// Kept in a variable so bundlers (Vite) leave the Node-only import alone.
const WS_SPECIFIER = 'ws';
let wsImport: Promise<WebSocketCtor | null> | null = null;

function globalCtor(): WebSocketCtor | null {
  const g = globalThis as { WebSocket?: unknown };
  return typeof g.WebSocket === 'function' ? (g.WebSocket as unknown as WebSocketCtor) : null;
}

/** True in a browser or a browser-like test environment (jsdom). */
export function isBrowserLike(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window === 'object' && g.window !== null && typeof g.document === 'object';
}

/**
 * Finds a WebSocket constructor: `preferred` if given; the global one in browsers;
 * `ws` in Node; else the global one (Node 22+). Throws {@link TransportUnavailableError}.
 */
export async function resolveWebSocket(preferred?: WebSocketCtor): Promise<WebSocketCtor> {
  if (preferred) return preferred;
  const g = globalCtor();
  if (g && isBrowserLike()) return g;
  wsImport ??= import(/* @vite-ignore */ WS_SPECIFIER).then(
    (m: { default?: unknown; WebSocket?: unknown }) => ((m.WebSocket ?? m.default) as WebSocketCtor | undefined) ?? null,
    () => null,
  );
  const ws = await wsImport;
  if (ws) return ws;
  if (g) return g;
  throw new TransportUnavailableError(['options.WebSocket', 'globalThis.WebSocket', "import('ws')"]);
}

/** Text of an error event, from `ws` (message) or the DOM (nothing useful). */
export function describeErrorEvent(ev: SocketEvent | undefined): string {
  if (!ev) return 'socket error';
  if (typeof ev.message === 'string' && ev.message) return ev.message;
  if (ev.error instanceof Error) return ev.error.message;
  return 'socket error';
}

/** HTTP status of a refused upgrade, parsed from `ws`'s "Unexpected server response: 401". */
export function httpStatusOf(text: string): number | undefined {
  const m = /Unexpected server response: (\d{3})/.exec(text);
  return m ? Number(m[1]) : undefined;
}

const noop = (): void => {};

/** Unhooks the runtime from a socket it gave up. `ws` throws on an 'error' event nobody listens to, so a no-op listener stays. */
export function detach(s: SocketLike): void {
  s.onopen = noop;
  s.onmessage = noop;
  s.onclose = noop;
  s.onerror = noop;
}
