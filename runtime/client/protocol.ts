/**
 * The protocol descriptor as the client runtime reads it (docs/roles.md), and the
 * message types inferred from it. The runtime imports no generated protocol: a
 * service is constructed with a descriptor (`generated/ts/protocol.ts` of any
 * wsgen protocol) and typed by it, so `send(id, 'user_message', {...})` is
 * checked against that protocol at compile time.
 */

import type { ClientInputOf, ClientType, InputOf, MessageType, ServerMessageOf } from '../protocol/messages.js';
import type { ProtocolDescriptor } from '../protocol/descriptor.js';

export type { Direction, MessageType, MessageOf, InputOf, ClientType, ServerType } from '../protocol/messages.js';
export type { CloseCodeInfo, MessageInfo, ParseOutcome, ProtocolDescriptor, ValidationIssue } from '../protocol/descriptor.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Any message a server may send, as the client's parse gives it (schema defaults filled). */
export type ServerMessage<P extends ProtocolDescriptor> = ServerMessageOf<P>;
/** Any message a client may send, in its wire form (properties with a schema default may be left out). */
export type ClientMessage<P extends ProtocolDescriptor> = ClientInputOf<P>;
/** The property name of field role `R` in `P` (never when the protocol has no such field). */
export type FieldName<P extends ProtocolDescriptor, R extends string> = P['fields'] extends { readonly [K in R]: infer N extends string } ? N : never;

/** Properties the runtime fills when they are left out: the correlation id, and the fields of the service's `fill` option (`F`). */
export type Filled<P extends ProtocolDescriptor, F extends string> = FieldName<P, 'correlation-id'> | F;

/**
 * What `send(id, type, body)` takes for type `K`: the message in its wire form ({@link InputOf}:
 * properties with a schema default may be left out) without its tag, where the filled fields
 * ({@link Filled}) may be left out too.
 */
export type Body<P extends ProtocolDescriptor, K extends MessageType<P>, F extends string = never> = DistributiveOmit<InputOf<P, K>, P['tag'] | Filled<P, F>> &
  Partial<Pick<InputOf<P, K>, Extract<keyof InputOf<P, K>, Filled<P, F>>>>;

/** What `sendMessage(id, message)` takes: a whole client message whose filled fields may be left out. */
export type Outbound<P extends ProtocolDescriptor, F extends string = never> = { [K in ClientType<P>]: Body<P, K, F> & { readonly [T in P['tag']]: K } }[ClientType<P>];
