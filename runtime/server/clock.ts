// The server's monotonic clock readings (performance.now(), ms), shared so that
// one reading serves several uses. Reading a clock is not free: on the
// benchmark machine (a Firecracker VM) performance.now() and Date.now() cost
// about 85 ns each in the frame loop, and a frame used to read the clock three
// times (the frame's epoch reading, and the start and end of the chat app's
// handler-duration histogram), a third of the runtime's own work per frame.
// Now the frames of one socket read that are handled back to back (the
// transport says so: ConnectionHandle.onMessage's `continued`) reuse the
// latest reading: the end reading of the previous frame's handler, or the
// read's first reading (see pipeline.ts, frameClock).

let latest = 0;

/** Reads the monotonic clock (performance.now(), ms); the reading becomes the {@link latestReading}. */
export function readClock(): number {
  return (latest = performance.now());
}

/** The latest reading taken with {@link readClock} (performance.now() ms; 0 before the first). */
export function latestReading(): number {
  return latest;
}

/**
 * Most frames of one read that share a reading, counting the first: the frame after them reads the clock again, so
 * a frame's clock is at most this many frames' handling old even when no handler reads the clock in between.
 */
export const MAX_SHARED_READING = 16;

/** The clock of one frame: its epoch reading (`now`, Date.now() ms) and its monotonic one (`at`, performance.now() ms). */
export interface FrameTime {
  now: number;
  at: number;
}

/**
 * The clock of the frames a pipeline handles: a frame that the transport reports as `continued` (it follows a frame
 * of the same connection handled in the same synchronous run, so within microseconds) takes the epoch reading of the
 * run's first frame and the latest monotonic reading (the previous handler's end, when the handler read the clock), up
 * to {@link MAX_SHARED_READING} frames; any other frame reads both clocks. `time` is written in place and returned
 * (no allocation per frame).
 */
export class FrameClock {
  private readonly time: FrameTime = { now: 0, at: 0 };
  /** Frames that shared the current reading after the one that took it (starts full: the first frame reads). */
  private shared = MAX_SHARED_READING;

  /** The clock of the next frame (the same object every call: read its fields before the next call). */
  frame(continued: boolean): FrameTime {
    const t = this.time;
    if (continued && this.shared < MAX_SHARED_READING - 1) {
      this.shared++;
      t.at = latest;
    } else {
      this.shared = 0;
      t.now = Date.now();
      t.at = readClock();
    }
    return t;
  }
}
