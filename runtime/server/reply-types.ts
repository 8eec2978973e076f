// What a handler may reply, typed by the protocol descriptor (type-level only: nothing here reaches a bundle or
// the per-frame path). With the base ProtocolDescriptor (a core that knows no protocol) every type falls back to
// the untyped `Message`, so the runtime core stays generic.
import type { InputOf, MessageType, ProtocolDescriptor, ServerType } from './descriptor.js';
import type { Message } from './roles.js';

/** True when `P` is a concrete protocol (its message types are literals), false for the base descriptor. */
type Concrete<P extends ProtocolDescriptor> = string extends MessageType<P> ? false : true;

/** The property name of field role `R` in `P`, or never when `P` lacks the role. */
type FieldName<P extends ProtocolDescriptor, R extends string> = P extends { readonly fields: { readonly [k in R]: infer N extends string } } ? N : never;

/** The message type of message role `R` in `P`, or never when `P` lacks the role. */
type RoleType<P extends ProtocolDescriptor, R extends string> = P extends { readonly roles: { readonly [k in R]: infer T extends string } } ? (T & MessageType<P>) : never;

/** `T` with the properties `K` optional. */
type Optional<T, K extends PropertyKey> = T extends unknown ? Omit<T, K & keyof T> & Partial<Pick<T, K & keyof T>> : never;

/**
 * A message `reply()` accepts under `P`: one of the types a server may send (direction `server` or `both`), in its
 * wire form (a property with a schema `default` may be left out); the sequence number is optional, since the
 * session stream writes it. A client-only type, an unknown type, a missing or mistyped field do not compile.
 * Under the base descriptor: any `Message`.
 */
export type ReplyOf<P extends ProtocolDescriptor> = Concrete<P> extends true
  ? { [K in ServerType<P>]: Optional<InputOf<P, K>, FieldName<P, 'sequence'>> }[ServerType<P>]
  : Message;

/**
 * One chunk `replyStream()` accepts under `P`: the type of the stream-chunk message's `stream-content` field (its
 * value becomes that field). `unknown` under the base descriptor or without those roles.
 */
export type StreamChunkOf<P extends ProtocolDescriptor> = [RoleType<P, 'stream-chunk'>] extends [never]
  ? unknown
  : [FieldName<P, 'stream-content'>] extends [never]
    ? unknown
    : InputOf<P, RoleType<P, 'stream-chunk'>> extends infer M
      ? FieldName<P, 'stream-content'> extends keyof M
        ? M[FieldName<P, 'stream-content'>]
        : unknown
      : unknown;

/**
 * The stream end's own fields `replyStream()` may set under `P`: any property of the stream-end message type except
 * its tag, correlation id, stream index and sequence (the runtime writes those), all optional. A property the end
 * type lacks, or a mistyped value, does not compile. `Message` under the base descriptor or without the role.
 */
export type StreamEndFieldsOf<P extends ProtocolDescriptor> = [RoleType<P, 'stream-end'>] extends [never]
  ? Message
  : Partial<Omit<InputOf<P, RoleType<P, 'stream-end'>>, P['tag'] | FieldName<P, 'correlation-id'> | FieldName<P, 'stream-index'> | FieldName<P, 'sequence'>>>;

/** What a handler's connection accepts: the reply, one stream chunk and the stream end's fields. */
export interface ReplyTypes {
  readonly reply: unknown;
  readonly chunk: unknown;
  readonly end: unknown;
}

/** The untyped replies of a connection that knows no protocol: any message, any chunk, any end fields. */
export interface UntypedReplies {
  readonly reply: Message;
  readonly chunk: unknown;
  readonly end: Message;
}

/** The replies of protocol `P`: {@link ReplyOf}, {@link StreamChunkOf}, {@link StreamEndFieldsOf}. */
export type RepliesOf<P extends ProtocolDescriptor> = {
  readonly reply: ReplyOf<P>;
  readonly chunk: StreamChunkOf<P>;
  readonly end: StreamEndFieldsOf<P>;
};
