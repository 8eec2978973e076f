/** Injectable time and randomness, so tests can use fake timers and fixed random numbers. */

/** A timer handle as returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** Time source and timers. The default reads `globalThis` at call time, so `vi.useFakeTimers()` works. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Schedules `fn` after `ms`. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer from {@link Clock.setTimeout}. */
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock (globalThis timers and Date.now, looked up on every call). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const h = globalThis.setTimeout(fn, ms) as unknown as { unref?: () => void };
    // In Node, timers must not keep the process alive on their own: sockets do.
    if (typeof h === 'object' && h !== null && typeof h.unref === 'function') h.unref();
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

/**
 * UTF-8 length of a string, without allocating: Node's native Buffer.byteLength
 * where there is one (it counts every frame sent and received, and a JS loop is
 * several times slower), else a loop; both count a lone surrogate as U+FFFD.
 */
export const utf8Length: (s: string) => number =
  nodeBuffer !== undefined && typeof nodeBuffer.byteLength === 'function' ? (s) => nodeBuffer.byteLength(s, 'utf8') : utf8LengthLoop;

/** The plain-JS count, for tests that hold it to the native one. */
export const utf8LengthFallback = utf8LengthLoop;

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
