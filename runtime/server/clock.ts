// The monotonic clock readings of one server (performance.now(), ms), shared so
// that one reading serves several uses. Reading a clock is not free: on the
// benchmark machine (a Firecracker VM) performance.now() and Date.now() cost
// about 85 ns each in the frame loop, and a frame used to read the clock three
// times (the frame's epoch reading, and the start and end of the chat app's
// handler-duration histogram), a third of the runtime's own work per frame.
// Now the frames of one socket read that are handled back to back (the
// transport says so: ConnectionHandle.onMessage's `continued`) reuse the
// server's latest reading: the end reading of the previous frame's handler, or
// the read's first reading (see pipeline.ts, FrameClock). Each server has its
// own FrameClock, so a reading taken for one server never serves another's
// frame (two servers in one process, or a handler of one calling into another).

/**
 * Most frames of one read that share a reading, counting the first (the frame that took it): the frame after them
 * reads the clock again, so a frame's reading is at most `MAX_SHARED_READING - 1` earlier frames' handling old even
 * when no handler reads the clock in between.
 */
export const MAX_SHARED_READING = 16;

/**
 * The monotonic clock of one server, as a handler sees it (`ConnectionContext.clock`): the reading of the frame being
 * handled, and a read that the server's next frame of the same socket read may reuse.
 */
export interface ServerClock {
  /**
   * The monotonic reading (performance.now() ms) of the frame being handled, taken at its arrival, before its parse
   * and validation; the frames of one socket read may share a reading (at most {@link MAX_SHARED_READING}: the read's
   * first reading, or the latest {@link read} of a handler before them). Read it during the handler's synchronous
   * call: the next frame of the server replaces it (0 before the server's first frame).
   */
  readonly frameAt: number;
  /**
   * Reads the monotonic clock (performance.now() ms). The reading becomes the server's latest: the next frame of the
   * same socket read takes it as its {@link frameAt} instead of reading the clock (for example, the chat app's
   * handler-duration end reading).
   */
  read(): number;
}

/**
 * The clock of the frames one server handles: a frame that the transport reports as `continued` (it follows a frame
 * of the same connection handled in the same synchronous run, so within microseconds) takes the epoch reading of the
 * run's first frame ({@link now}) and this server's latest monotonic reading ({@link frameAt}: the previous handler's
 * end, when the handler read the clock with {@link read}), up to {@link MAX_SHARED_READING} frames counting the
 * first; any other frame reads both clocks. One per server (the pipeline's): no state is shared between servers.
 */
export class FrameClock implements ServerClock {
  /** The epoch reading (Date.now() ms) of the frame being handled (0 before the first). */
  now = 0;
  frameAt = 0;
  /** The latest monotonic reading of this server: a frame's, or a later {@link read}. */
  private latest = 0;
  /** Frames that took the current reading after the one that read it (starts at the bound: the first frame reads). */
  private shared = MAX_SHARED_READING - 1;

  read(): number {
    return (this.latest = performance.now());
  }

  /** Sets {@link now} and {@link frameAt} for the next frame; `continued`: it follows a frame of the same read. */
  frame(continued: boolean): void {
    if (continued && this.shared < MAX_SHARED_READING - 1) {
      this.shared++;
      this.frameAt = this.latest;
    } else {
      this.shared = 0;
      this.now = Date.now();
      this.frameAt = this.read();
    }
  }
}

/** A clock outside any frame: its `frameAt` reads the clock (for a call made outside a server's frame loop, such as a test's). */
export const UNFRAMED_CLOCK: ServerClock = {
  get frameAt(): number {
    return performance.now();
  },
  read: () => performance.now(),
};
