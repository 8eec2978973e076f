// The runtime view of a descriptor: which capabilities are on, the property
// names of the field roles, the close codes, and builders for the messages the
// runtime itself sends (session created/updated/expired, pong, error replies).
// Built once per server; every hot-path question is a field read.
import { STANDARD_CLOSE_CODES, type CloseName } from '../protocol/close-codes.js';
import type { Capability, FieldRole, MessageRole, ProtocolDescriptor } from './descriptor.js';
import { requireTaggedRoot } from '../protocol/descriptor.js';
import { MAX_TEXT, truncateText, wellFormed } from './text.js';
import type { Endpoint, SessionInfo } from './types.js';

export { STANDARD_CLOSE_CODES, type CloseName };

/** A message as the core handles it: a plain object keyed by the protocol's property names. */
export type Message = Record<string, unknown>;

/**
 * Error codes whose error reply is connection-level: the answer to one frame, sent to the connection that sent it,
 * with no sequence number, never buffered or replayed (PROTOCOL.md "Which replies carry a seq"). Every other error
 * reply belongs to the session stream and is numbered.
 */
export const CONNECTION_LEVEL_ERROR_CODES: ReadonlySet<string> = new Set(['INVALID_MESSAGE', 'UNSUPPORTED_TYPE', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED', 'RECOVERY_FAILED']);

/** Where a runtime-built message goes: its session and endpoint (for {@link Decorate}). */
export interface MessageScope {
  readonly session: SessionInfo;
  readonly endpoint: Endpoint;
}

/**
 * Adds the application's own fields to a message the runtime builds (called right after the tag is set, before
 * the role fields): for example the bundled protocol's `timestamp`, `realm` and `agent`. `scope` is undefined for
 * a reply built before a session is known.
 */
export type Decorate = (msg: Message, scope: MessageScope | undefined) => void;

/** Optional parts of an error reply. */
export interface ErrorExtras {
  /** The correlation id of the request it answers. */
  ref?: string | undefined;
  sessionId?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

/** The runtime view of one protocol descriptor. */
export interface RuntimeProtocol {
  readonly descriptor: ProtocolDescriptor;
  /** The tag property. */
  readonly tag: string;
  /** Property name of each field role present in the protocol. */
  readonly field: { readonly [R in FieldRole]?: string };
  /** Message type of each message role present. */
  readonly role: { readonly [R in MessageRole]?: string };
  has(capability: Capability): boolean;
  /** Whether clients may send `type` (direction client or both). */
  isClientType(type: string): boolean;
  /** Types dropped first under backpressure (priority low). */
  readonly lowPriority: readonly string[];
  /** The close code of a standard name: the protocol's table, else the role library's. */
  closeCode(name: CloseName): number;
  /** Whether `msg` is connection-level (no seq, not buffered): session created, pong, or a per-frame error reply. */
  isConnectionLevel(msg: Message): boolean;
  /** An error reply, or undefined when the protocol has no error role. The text is well-formed and cut to MAX_TEXT. */
  error(code: string, text: string, extras: ErrorExtras, scope: MessageScope | undefined): Message | undefined;
  /** A pong answering a ping with correlation id `ref` (heartbeat capability). */
  pong(ref: string, scope: MessageScope): Message | undefined;
  /** The session-created message of a link (resume capability), with the stream's epoch and latest seq. */
  created(scope: MessageScope, epoch: string, seq: number): Message | undefined;
  /** The session-updated message closing a resume. */
  updated(scope: MessageScope, status: 'resumed' | 'resumed_with_gap', ref: string | undefined): Message | undefined;
  /** The session-expired message, if the protocol has one. */
  expired(scope: MessageScope): Message | undefined;
  /** Sets field role `r` on `msg` when the message's type carries it. */
  setField(msg: Message, r: FieldRole, value: unknown): void;
  /** A new message of `type` with the application's fields (decorate): the start of any runtime-built message. */
  message(type: string, scope: MessageScope | undefined): Message;
}

/** Builds the runtime view of `d`; `decorate` adds the application's fields to runtime-built messages. */
export function bindProtocol(d: ProtocolDescriptor, decorate?: Decorate): RuntimeProtocol {
  requireTaggedRoot(d);
  const tag = d.tag;
  const field = d.fields;
  const role = d.roles;
  const caps = new Set(d.capabilities);
  const clientTypes = new Set(Object.keys(d.messages).filter((t) => d.messages[t]!.direction !== 'server'));
  const lowPriority = Object.keys(d.messages).filter((t) => d.messages[t]!.priority === 'low');
  const createdType = role['session-created'];
  const pongType = role.pong;
  const errorType = role.error;
  const codeField = field['error-code'];

  function setField(msg: Message, r: FieldRole, value: unknown): void {
    const name = field[r];
    if (name === undefined || value === undefined) return;
    const info = d.messages[msg[tag] as string];
    if (info !== undefined && info.fields.includes(r)) msg[name] = value;
  }
  function start(type: string | undefined, scope: MessageScope | undefined): Message | undefined {
    if (type === undefined) return undefined;
    const m: Message = { [tag]: type };
    decorate?.(m, scope);
    return m;
  }
  return {
    descriptor: d,
    tag,
    field,
    role,
    lowPriority,
    has: (c) => caps.has(c),
    isClientType: (t) => clientTypes.has(t),
    closeCode: (name) => d.closeCodes[name]?.value ?? STANDARD_CLOSE_CODES[name],
    isConnectionLevel(msg) {
      const t = msg[tag];
      return t === createdType || t === pongType || (t === errorType && CONNECTION_LEVEL_ERROR_CODES.has(msg[codeField!] as string));
    },
    setField,
    message: (type, scope) => start(type, scope)!,
    error(code, text, extras, scope) {
      const m = start(errorType, scope);
      if (m === undefined) return undefined;
      setField(m, 'error-code', code);
      setField(m, 'error-text', truncateText(wellFormed(text), MAX_TEXT));
      setField(m, 'correlation-id', extras.ref);
      setField(m, 'session-id', extras.sessionId);
      setField(m, 'error-details', extras.details);
      return m;
    },
    pong(ref, scope) {
      const m = start(pongType, scope);
      if (m !== undefined) setField(m, 'correlation-id', ref);
      return m;
    },
    created(scope, epoch, seq) {
      const m = start(createdType, scope);
      if (m === undefined) return undefined;
      setField(m, 'session-id', scope.session.sessionId);
      setField(m, 'schema-hash', d.schemaHash);
      setField(m, 'stream-epoch', epoch);
      setField(m, 'sequence', seq);
      return m;
    },
    updated(scope, status, ref) {
      const m = start(role['session-updated'], scope);
      if (m === undefined) return undefined;
      setField(m, 'session-id', scope.session.sessionId);
      setField(m, 'session-status', status);
      setField(m, 'correlation-id', ref);
      return m;
    },
    expired(scope) {
      const m = start(role['session-expired'], scope);
      if (m !== undefined) setField(m, 'session-id', scope.session.sessionId);
      return m;
    },
  };
}
