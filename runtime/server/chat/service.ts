// ChatService: routes validated user messages to agent handlers registered per
// agent (guide) and per pillar (liaison), turns their results into
// agent_message, or agent_streaming chunks closed by agent_complete (through
// the generic stream reply, streams.ts), and enforces a deadline. Replies go
// to the session stream, not the socket, so that they survive a reconnect
// (they are numbered and buffered).
import {
  ErrorCode,
  type AgentMessage,
  type AgentType,
  type FileSelected,
  type PillarType,
  type Protocol,
  type UserMessage,
} from '../../../generated/ts/index.js';
import type { ServerMessageOf } from '../descriptor.js';
import type { Message, RuntimeProtocol } from '../roles.js';
import type { Stream } from '../sessions.js';
import { UNFRAMED_CLOCK, type ServerClock } from '../clock.js';
import { RequestTracker, type PendingRequest } from '../requests.js';
import { sendStream, type StreamShape } from '../streams.js';
import { codePoints, MAX_TEXT, splitText, wellFormed } from '../text.js';
import type { Endpoint, Logger, SessionInfo } from '../types.js';
import { timestamp } from '../wire.js';
import { chatEndpoint, type ChatEndpoint } from './endpoints.js';
import { agentMessageJson } from './serialize.js';

/** Any message a server may send in the bundled protocol. */
export type ServerMessage = ServerMessageOf<Protocol>;

/** A complete reply: text, or text plus structured data. */
export type AgentReply = string | { message: string; data?: unknown; metadata?: Record<string, unknown> };
/** One chunk of a streamed reply (a text longer than MAX_TEXT code points is sent as several chunks). */
export type AgentChunk = string | { message: string; data?: unknown };
/**
 * What a handler returns: one reply, an async iterable of chunks (streamed),
 * or nothing when it sent everything itself through `request.emit`.
 */
export type AgentResult = AgentReply | AsyncIterable<AgentChunk> | void | undefined;

/** What a handler receives. */
export interface AgentRequest {
  /** The validated client message (user_message or file_selected). */
  readonly message: UserMessage | FileSelected;
  /** The authenticated session. */
  readonly session: SessionInfo;
  /** The endpoint the message arrived on (guide, or a pillar's liaison). */
  readonly endpoint: ChatEndpoint;
  /** The connection the message arrived on. */
  readonly connectionId: string;
  /**
   * The message_id replies carry: the request's; for a request sent without one, undefined until a stream reply
   * answers it, which gives it a server id `s<n>` (agent_streaming and agent_complete require message_id).
   */
  readonly messageId: string | undefined;
  /** Aborted on timeout, session expiry or shutdown. */
  readonly signal: AbortSignal;
  /** Sends any other server message (progress_update, visualization_data...) into the session stream. */
  emit(msg: ServerMessage): boolean;
}

/** An agent handler: sync or async, returning one reply or a stream. */
export type AgentHandler = (req: AgentRequest) => AgentResult | Promise<AgentResult>;

/** Options of the {@link ChatService}. */
export interface ChatOptions {
  /** Deadline for a reply, and for each next chunk of a stream, in ms (default 30 000). */
  timeoutMs: number;
  /** Most requests handled at once per session stream (default 16); beyond it RATE_LIMITED. */
  maxInFlight: number;
  /** Whether handler error texts reach clients (default false: a generic text; details go to logs). */
  exposeErrors: boolean;
  logger: Logger;
  /** The latency series of an agent and outcome (cached per agent by the service). */
  series(agent: string, outcome: 'ok' | 'error' | 'timeout'): { observe(seconds: number): void };
  /** Builds an error_message of a stream (the core's error role builder, with the app's fields). */
  error(code: ErrorCode, text: string, messageId: string | undefined, stream: Stream): Message;
  /** The protocol bound with the app's fields (its stream messages get agent, realm, pillar and is_streaming there). */
  protocol: RuntimeProtocol;
}

/** One piece of a streamed answer: the text of one agent_streaming chunk, and data on the first piece of an agent chunk. */
interface Piece {
  readonly message: string;
  readonly data?: unknown;
}

/** An agent chunk as pieces of at most MAX_TEXT code points (lone surrogates replaced); `data` rides on the first. */
function piecesOf(text: string, data: unknown): Piece[] {
  return splitText(wellFormed(text)).map((message, i) => (i === 0 && data !== undefined ? { message, data } : { message }));
}

/** The pieces of an agent's stream of chunks, in order. */
async function* streamPieces(chunks: AsyncIterable<AgentChunk>): AsyncGenerator<Piece> {
  for await (const chunk of chunks) yield* typeof chunk === 'string' ? piecesOf(chunk, undefined) : piecesOf(chunk.message, chunk.data);
}

/** Sets an agent_streaming chunk's text (and data) from a piece. */
function fillChunk(m: Message, value: unknown): void {
  const p = value as Piece;
  m['message'] = p.message;
  if (p.data !== undefined) m['data'] = p.data;
}

/** One request to an agent: what its handler gets, and (once its result is async) its pending request in the tracker. */
class Pending implements AgentRequest {
  done = false;
  /** The tracker's record once the result is async (its deadline moves on with each chunk). */
  tracked: PendingRequest | undefined;
  private ctl: AbortController | undefined;
  readonly message: UserMessage | FileSelected;
  readonly stream: Stream;
  readonly endpoint: ChatEndpoint;
  readonly connectionId: string;
  messageId: string | undefined;
  readonly started: number;
  constructor(message: UserMessage | FileSelected, stream: Stream, endpoint: ChatEndpoint, connectionId: string, messageId: string | undefined, started: number) {
    this.message = message;
    this.stream = stream;
    this.endpoint = endpoint;
    this.connectionId = connectionId;
    this.messageId = messageId;
    this.started = started;
  }
  get session(): SessionInfo {
    return this.stream.owner.info;
  }
  get signal(): AbortSignal {
    return (this.ctl ??= new AbortController()).signal;
  }
  abort(reason: string): void {
    this.ctl?.abort(new Error(reason));
  }
  emit(msg: ServerMessage): boolean {
    return !this.done && this.stream.send(msg as unknown as Message);
  }
}

function isThenable(x: unknown): x is PromiseLike<AgentResult> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}
function isAsyncIterable(x: unknown): x is AsyncIterable<AgentChunk> {
  return typeof x === 'object' && x !== null && typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

let idCounter = 0;

/** Routes user messages to agents and streams their replies. */
export class ChatService {
  private readonly byAgent = new Map<AgentType, AgentHandler>();
  private readonly byPillar = new Map<PillarType, AgentHandler>();
  /** Async requests, their deadlines and the in-flight counts (the generic server's tracker, requests.ts). */
  private readonly requests: RequestTracker;
  /** Latency series of the `ok` outcome by agent (the hot path: one Map lookup, one array increment). */
  private readonly okSeries = new Map<string, { observe(seconds: number): void }>();
  private readonly opts: ChatOptions;
  /**
   * The routing of the endpoint of the last dispatch (its chat view, handler and `ok` latency series), reused while
   * messages keep arriving on that endpoint: a dispatch then does no WeakMap or Map lookup. Cleared by a registration.
   */
  private last: { readonly endpoint: Endpoint; readonly view: ChatEndpoint; readonly handler: AgentHandler | undefined; readonly ok: { observe(seconds: number): void } } | undefined;

  /** A service with no agent registered yet. */
  constructor(opts: ChatOptions) {
    this.opts = opts;
    this.requests = new RequestTracker(opts.timeoutMs, { settled() {}, timedOut: (r) => this.timedOut(r.owner as Pending) });
  }

  private observe(agent: string, outcome: 'ok' | 'error' | 'timeout', seconds: number): void {
    if (outcome !== 'ok') return this.opts.series(agent, outcome).observe(seconds);
    this.series(agent).observe(seconds);
  }

  /** The `ok` latency series of an agent (looked up once per agent). */
  private series(agent: string): { observe(seconds: number): void } {
    let s = this.okSeries.get(agent);
    if (s === undefined) this.okSeries.set(agent, (s = this.opts.series(agent, 'ok')));
    return s;
  }

  /** Registers the handler of an agent (the guide, or a liaison agent for every endpoint it serves). */
  registerAgent(agent: AgentType, handler: AgentHandler): this {
    this.byAgent.set(agent, handler);
    this.last = undefined;
    return this;
  }

  /** Registers the handler of a liaison pillar (takes precedence over registerAgent for that pillar). */
  registerPillar(pillar: PillarType, handler: AgentHandler): this {
    this.byPillar.set(pillar, handler);
    this.last = undefined;
    return this;
  }

  /** The handler serving an endpoint, if any. */
  handlerFor(endpoint: ChatEndpoint): AgentHandler | undefined {
    if (endpoint.pillar !== undefined) {
      const h = this.byPillar.get(endpoint.pillar);
      if (h !== undefined) return h;
    }
    return this.byAgent.get(endpoint.agent);
  }

  /** Requests being handled. */
  get inFlight(): number {
    return this.requests.size;
  }

  /**
   * Dispatches one validated message of a connection to the agent of its endpoint. `now` (epoch ms) is the frame's
   * clock reading, which stamps the replies; `clock` is the server's (`ConnectionContext.clock`): the handler
   * duration is timed from `clock.frameAt`, the frame's arrival (so it includes the frame's parse and validation;
   * clock.ts), to a `clock.read()` after the reply, which the next frame of the same socket read may reuse. Called
   * outside a frame (no `clock`), the duration starts at the call.
   */
  dispatch(stream: Stream, connectionId: string, msg: UserMessage | FileSelected, now: number = Date.now(), clock: ServerClock = UNFRAMED_CLOCK): void {
    let last = this.last;
    if (last === undefined || last.endpoint !== stream.endpoint) {
      const view = chatEndpoint(stream.endpoint);
      this.last = last = { endpoint: stream.endpoint, view, handler: this.handlerFor(view), ok: this.series(view.agent) };
    }
    const ep = last.view;
    const messageId = msg.message_id;
    const handler = last.handler;
    if (handler === undefined) {
      stream.send(this.opts.error(ErrorCode.AGENT_UNAVAILABLE, `no agent serves ${ep.key}`, messageId, stream));
      return;
    }
    if (stream.inFlight >= this.opts.maxInFlight) {
      stream.send(this.opts.error(ErrorCode.RATE_LIMITED, `too many requests in flight (limit ${this.opts.maxInFlight})`, messageId, stream));
      return;
    }
    const started = clock.frameAt;
    const req = new Pending(msg, stream, ep, connectionId, messageId, started);
    let result: AgentResult | Promise<AgentResult>;
    try {
      result = handler(req);
    } catch (err) {
      this.fail(req, err);
      return;
    }
    if (typeof result === 'string' || (typeof result === 'object' && result !== null && !isThenable(result) && !isAsyncIterable(result))) {
      // Fast path: a synchronous single reply, no promise, no timer; the frame's clock reading is reused.
      let streamed: Promise<unknown> | undefined;
      try {
        streamed = this.reply(req, result, now);
      } catch (err) {
        this.fail(req, err); // the reply could not be sent (outbound validation refused it): AGENT_ERROR instead
        return;
      }
      // The end reading is also the clock of the next frame of the same read (clock.ts).
      if (streamed === undefined) last.ok.observe((clock.read() - started) / 1000);
      else streamed.then(() => this.observe(ep.agent, 'ok', (performance.now() - started) / 1000), (err: unknown) => this.fail(req, err));
      return;
    }
    if (result === undefined) {
      this.observe(ep.agent, 'ok', (clock.read() - started) / 1000);
      return;
    }
    req.tracked = this.requests.track(this.runAsync(req, result), stream, messageId, ep.agent, connectionId, started, req);
  }

  /**
   * Streams `pieces` as the answer to `req` through the generic stream reply: agent_streaming chunks indexed from 0,
   * then agent_complete (with the reply's data and metadata, if any). Each chunk moves the deadline on; a request
   * that timed out or was aborted stops the stream.
   */
  private stream(req: Pending, pieces: AsyncIterable<Piece> | Iterable<Piece>, r?: Exclude<AgentReply, string>): Promise<unknown> {
    const timeoutMs = this.opts.timeoutMs;
    const shape: StreamShape = {
      chunk: fillChunk,
      end(m) {
        if (r?.data !== undefined) m['data'] = r.data;
        if (r?.metadata !== undefined) m['metadata'] = r.metadata;
      },
      watch() {
        if (req.done) return false;
        if (req.tracked !== undefined) req.tracked.deadline = performance.now() + timeoutMs;
        return true;
      },
    };
    const s = req.stream;
    // A request sent without a message_id gets a server id here: the stream's chunks and end require one (docs/roles.md).
    const id = (req.messageId ??= 's' + (++idCounter).toString(16));
    if (req.tracked !== undefined) req.tracked.ref = id;
    return sendStream(this.opts.protocol, s, { session: s.owner.info, endpoint: s.endpoint }, id, pieces, shape);
  }

  /**
   * One complete reply: an agent_message, or, when its text is longer than
   * one message may be (MAX_TEXT code points), the same text as a stream of
   * chunks closed by agent_complete (which carries the data and metadata), sent at once: the returned promise is
   * then already settled (rejected when a chunk could not be sent).
   */
  private reply(req: Pending, r: AgentReply, now: number = Date.now()): Promise<unknown> | undefined {
    const s = req.stream;
    const info = s.owner.info;
    const text = wellFormed(typeof r === 'string' ? r : r.message);
    if (text.length > MAX_TEXT && codePoints(text) > MAX_TEXT) return this.stream(req, piecesOf(text, undefined), typeof r === 'string' ? undefined : r);
    const ep = req.endpoint;
    const id = req.messageId;
    const realm = info.realm as AgentMessage['realm'];
    // Two literals rather than a spread of an optional message_id: a spread builds and copies a temporary object per reply.
    const m: AgentMessage =
      id !== undefined
        ? { type: 'agent_message', message_id: id, timestamp: timestamp(now), session_id: info.sessionId, agent: ep.agent, realm, message: text }
        : { type: 'agent_message', timestamp: timestamp(now), session_id: info.sessionId, agent: ep.agent, realm, message: text };
    if (ep.pillar !== undefined) m.pillar = ep.pillar;
    if (typeof r === 'object') {
      if (r.data !== undefined) m.data = r.data;
      if (r.metadata !== undefined) m.metadata = r.metadata;
    }
    s.sendWith(m as AgentMessage & Message, agentMessageJson, now);
    return undefined;
  }

  private async runAsync(req: Pending, result: AgentResult | Promise<AgentResult>): Promise<void> {
    const agent = req.endpoint.agent;
    try {
      let r = result;
      if (isThenable(r)) r = await r;
      if (req.done) return;
      if (isAsyncIterable(r)) await this.stream(req, streamPieces(r));
      else if (r !== undefined) await this.reply(req, r);
      if (req.done) return;
      this.finish(req);
      this.observe(agent, 'ok', (performance.now() - req.started) / 1000);
    } catch (err) {
      if (!req.done) this.fail(req, err);
    }
  }

  /** Ends a request: later chunks and emits are dropped (the tracker drops it from the in-flight count when it settles). */
  private finish(req: Pending): void {
    req.done = true;
  }

  private fail(req: Pending, err: unknown): void {
    this.finish(req);
    const agent = req.endpoint.agent;
    const text = err instanceof Error ? err.message : String(err);
    this.opts.logger.log('warn', 'agent_error', { code: ErrorCode.AGENT_ERROR, connection_id: req.connectionId, message_id: req.messageId, agent, error: text, hint: 'the handler threw or its stream failed' });
    this.observe(agent, 'error', (performance.now() - req.started) / 1000);
    req.stream.send(this.opts.error(ErrorCode.AGENT_ERROR, this.opts.exposeErrors ? `agent failed: ${text}` : 'the agent failed while handling the message', req.messageId, req.stream));
  }

  /** A request past its deadline: aborted, logged, AGENT_TIMEOUT into its stream. */
  private timedOut(req: Pending): void {
    if (req.done) return;
    this.finish(req);
    req.abort('timeout');
    const agent = req.endpoint.agent;
    this.opts.logger.log('warn', 'agent_timeout', { code: ErrorCode.AGENT_TIMEOUT, connection_id: req.connectionId, message_id: req.messageId, agent, hint: `no answer within ${this.opts.timeoutMs} ms` });
    this.observe(agent, 'timeout', (performance.now() - req.started) / 1000);
    req.stream.send(this.opts.error(ErrorCode.AGENT_TIMEOUT, `the agent did not answer within ${this.opts.timeoutMs} ms`, req.messageId, req.stream));
  }

  /** Times out requests past their deadline (runs on a timer; exposed for tests). */
  sweep(now: number = performance.now()): void {
    this.requests.sweep(now);
  }

  /** Aborts every pending request (shutdown, session expiry of `stream`). */
  abortAll(stream?: Stream): void {
    for (const r of this.requests.abortAll(stream)) {
      const req = r.owner as Pending;
      this.finish(req);
      req.abort('aborted');
    }
  }
}
