/**
 * The heartbeat capability (ping and pong roles), a plugin: {@link heartbeat}.
 * Application-level heartbeat: a `ping` every `intervalMs`; a connection with no
 * `pong` (same message_id) within `timeoutMs` counts as dead. Only one ping is
 * outstanding at a time. Pings are never queued: if the socket cannot send, the
 * ping is skipped and the timeout still runs.
 */
import type { Capability, ConnectionHost, HeartbeatPart } from './capability.js';
import { uuid, type Clock, type TimerHandle } from './clock.js';
import { control, idOf, type WireMessage } from './wire.js';

/** Heartbeat settings. */
export interface HeartbeatOptions {
  /** Time between pings, ms. Default 30 000. 0 disables the heartbeat. */
  intervalMs: number;
  /** Time to wait for the pong, ms. Default 10 000. */
  timeoutMs: number;
}

/** Defaults of {@link HeartbeatOptions}. */
export const DEFAULT_HEARTBEAT: HeartbeatOptions = { intervalMs: 30_000, timeoutMs: 10_000 };

/** What the heartbeat drives. */
export interface HeartbeatHooks {
  /** Sends a ping with this message_id; returns false when it could not be sent. */
  sendPing(messageId: string): boolean;
  /** No pong in time: the socket is dead. */
  onTimeout(): void;
  /** A pong arrived after `rttMs`. */
  onRtt(rttMs: number): void;
  /** Makes a message_id. */
  newId(): string;
}

/** One heartbeat per live socket. */
export class Heartbeat {
  #tick: TimerHandle | null = null;
  #deadline: TimerHandle | null = null;
  #pending: { id: string; sentAt: number } | null = null;
  #running = false;

  readonly #opts: HeartbeatOptions;
  readonly #clock: Clock;
  readonly #hooks: HeartbeatHooks;

  /** Pings every `opts.intervalMs` on `clock`, calling `hooks` to send and to report. */
  constructor(opts: HeartbeatOptions, clock: Clock, hooks: HeartbeatHooks) {
    this.#opts = opts;
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** Starts pinging (first ping after one interval). */
  start(): void {
    this.stop();
    if (this.#opts.intervalMs <= 0) return;
    this.#running = true;
    this.#schedule();
  }

  /** Stops all timers and forgets the outstanding ping. */
  stop(): void {
    this.#running = false;
    if (this.#tick !== null) this.#clock.clearTimeout(this.#tick);
    if (this.#deadline !== null) this.#clock.clearTimeout(this.#deadline);
    this.#tick = this.#deadline = null;
    this.#pending = null;
  }

  /** Pings now (unless a ping is already outstanding), e.g. on `online` or `visibilitychange`. */
  probe(): void {
    if (!this.#running || this.#pending) return;
    if (this.#tick !== null) this.#clock.clearTimeout(this.#tick);
    this.#tick = null;
    this.#ping();
  }

  /** Feeds a pong; returns true when it answered the outstanding ping. */
  handlePong(messageId: string): boolean {
    const p = this.#pending;
    if (!p || p.id !== messageId) return false;
    this.#pending = null;
    if (this.#deadline !== null) this.#clock.clearTimeout(this.#deadline);
    this.#deadline = null;
    this.#hooks.onRtt(Math.max(0, this.#clock.now() - p.sentAt));
    if (this.#running) this.#schedule();
    return true;
  }

  #schedule(): void {
    this.#tick = this.#clock.setTimeout(() => {
      this.#tick = null;
      this.#ping();
    }, this.#opts.intervalMs);
  }

  #ping(): void {
    const id = this.#hooks.newId();
    this.#pending = { id, sentAt: this.#clock.now() };
    this.#hooks.sendPing(id);
    this.#deadline = this.#clock.setTimeout(() => {
      this.#deadline = null;
      if (!this.#running) return;
      this.stop();
      this.#hooks.onTimeout();
    }, this.#opts.timeoutMs);
  }
}

/**
 * The heartbeat plugin: on a protocol with the ping and pong roles, each connection pings every
 * `heartbeat.intervalMs` once its session is established, takes a connection whose pong is late as dead
 * (it reconnects; close code 4002 recorded), measures the round trip (`health.rttMs`, `avgRttMs`: EMA,
 * α = 0.2), answers the server's pings, and pings at once on `probe()`. Inert without those roles.
 */
export function heartbeat(): Capability {
  return { name: 'heartbeat', connection: heartbeatPart };
}

function heartbeatPart(host: ConnectionHost): HeartbeatPart | undefined {
  const w = host.wire;
  const { ping, pong } = w.r;
  if (!w.heartbeat || ping === undefined || pong === undefined) return undefined;
  const h = host.health;
  const beat = new Heartbeat({ ...DEFAULT_HEARTBEAT, ...host.options.heartbeat }, host.clock, {
    newId: uuid,
    sendPing: (id) => host.sendControl(control(w, ping, [[w.f.id, id]], host.fill)),
    onTimeout: () => host.abandon(4002, 'heartbeat timeout: no pong'),
    onRtt: (ms) => {
      h.rttMs = ms;
      h.avgRttMs = h.avgRttMs === null ? ms : h.avgRttMs * 0.8 + ms * 0.2;
    },
  });
  return {
    start: () => beat.start(),
    stop: () => beat.stop(),
    probe: () => beat.probe(),
    frame: (type: string, msg: WireMessage) => {
      if (type === pong) beat.handlePong(idOf(w, msg) ?? '');
      else if (type === ping) host.sendControl(control(w, pong, [[w.f.id, idOf(w, msg)]], host.fill));
    },
  };
}
