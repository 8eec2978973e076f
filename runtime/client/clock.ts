/** Injectable time and randomness, so tests can use fake timers and fixed random numbers. */

/** A timer handle as returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** Time source and timers. The default reads `globalThis` at call time, so `vi.useFakeTimers()` works. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Schedules `fn` after `ms`. In Node a timer does not keep the process alive on its own (open sockets do),
   * unless `keepAlive` is true: the reconnect wait, when no socket is open, must keep it alive.
   */
  setTimeout(fn: () => void, ms: number, keepAlive?: boolean): TimerHandle;
  /** Cancels a timer from {@link Clock.setTimeout}. */
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock (globalThis timers and Date.now, looked up on every call). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms, keepAlive = false) => {
    const h = globalThis.setTimeout(fn, ms) as unknown as { unref?: () => void };
    if (!keepAlive && typeof h === 'object' && h !== null && typeof h.unref === 'function') h.unref();
    return h;
  },
  clearTimeout: (h) => globalThis.clearTimeout(h as Parameters<typeof globalThis.clearTimeout>[0]),
};

/** A random number in [0, 1). */
export type RandomSource = () => number;

/** UTF-8 length of a string in plain JS: the fallback of {@link utf8Length}. */
function utf8LengthLoop(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3; // a lone surrogate is sent as U+FFFD, 3 bytes
  }
  return n;
}

const nodeBuffer = (globalThis as { Buffer?: { byteLength(s: string, encoding: 'utf8'): number } }).Buffer;
const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : undefined;
/** Strings longer than this are counted by the loop, so the scratch buffer stays under 3 × 256 KiB. */
const ENCODE_MAX_CHARS = 256 * 1024;
let scratch = new Uint8Array(0);

/** UTF-8 length through TextEncoder.encodeInto (browsers): native, into one reused buffer. */
function utf8LengthEncode(s: string): number {
  if (encoder === undefined || s.length > ENCODE_MAX_CHARS) return utf8LengthLoop(s);
  if (scratch.length < s.length * 3) scratch = new Uint8Array(Math.max(s.length * 3, 4096));
  return encoder.encodeInto(s, scratch).written;
}

/**
 * UTF-8 length of a string (every frame sent and received is counted): Node's
 * native Buffer.byteLength, else TextEncoder.encodeInto into a reused buffer,
 * else a JS loop, which is several times slower. All count a lone surrogate as
 * U+FFFD, as it is sent.
 */
export const utf8Length: (s: string) => number =
  nodeBuffer !== undefined && typeof nodeBuffer.byteLength === 'function' ? (s) => nodeBuffer.byteLength(s, 'utf8') : utf8LengthEncode;

/** The browser and plain-JS counts, for tests that hold them to the native one. */
export const utf8LengthFallbacks = { encode: utf8LengthEncode, loop: utf8LengthLoop };

/** A v4 UUID from `crypto.randomUUID`, with a fallback for insecure browser contexts. */
export function uuid(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const h = '0123456789abcdef';
  let s = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) s += '-';
    else if (i === 14) s += '4';
    else if (i === 19) s += h[8 + Math.floor(Math.random() * 4)];
    else s += h[Math.floor(Math.random() * 16)];
  }
  return s;
}
