/**
 * The protocol descriptor as the client runtime reads it (docs/roles.md), and the
 * message types inferred from it. The runtime imports no generated protocol: a
 * service is constructed with a descriptor (`generated/ts/protocol.ts` of any
 * wsgen protocol) and typed by it, so `send(id, 'user_message', {...})` is
 * checked against that protocol at compile time.
 */

/** One validation problem, as the generated validators report it (a JSON pointer, the JSON Schema 2020-12 keyword, a sentence). */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) to the offending value ("" for the whole message). */
  path: string;
  /** The keyword that failed, or `json`, `unicode`, `depth`, `direction`, `order` for wire-level rules. */
  keyword: string;
  /** A human-readable sentence. */
  message: string;
  /** Keyword parameters (for example `{limit: 1}`). */
  params: Record<string, unknown>;
}

/** The outcome of a descriptor's `parse` or `validate`: never thrown. */
export type ParseOutcome = { ok: true; value: unknown } | { ok: false; errors: ValidationIssue[] };

import type { ClientMessageOf, ClientType, Direction, MessageOf, MessageType, ServerMessageOf } from '../protocol/messages.js';

export type { Direction, MessageType, MessageOf, ClientType, ServerType } from '../protocol/messages.js';

/** What the descriptor says about one message type. */
export interface MessageTypeInfo {
  /** Who may send it. */
  readonly direction: Direction;
  /** `low` messages are dropped first under backpressure. */
  readonly priority: 'low' | 'normal';
  /** Its message role (docs/roles.md), or null. */
  readonly role: string | null;
  /** The field roles it carries. */
  readonly fields: readonly string[];
  /** Its full validating type guard; its type predicate gives the message type. */
  readonly is: (x: unknown) => boolean;
}

/** A close code's row in the descriptor's table. */
export interface CloseCodeInfo {
  /** The code, 4000–4999 (RFC 6455 §7.4.2, private use). */
  readonly value: number;
  /** Reconnecting may succeed. */
  readonly retryable: boolean;
  /** What it means. */
  readonly description: string;
}

/** What a generic runtime reads: the shape of every wsgen `protocol` descriptor. */
export interface ProtocolDescriptor {
  /** The schema's title. */
  readonly name: string;
  /** The schema's version (`x-wsgen-version`). */
  readonly version: string;
  /** SHA-256 of the schema, hex, without a prefix. */
  readonly schemaHash: string;
  /** The property that selects the message type. */
  readonly tag: string;
  /** Parses and validates JSON text. */
  readonly parse: (text: string) => ParseOutcome;
  /** Validates a parsed value. */
  readonly validate: (value: unknown) => ParseOutcome;
  /** Per message type (the tag value). */
  readonly messages: { readonly [type: string]: MessageTypeInfo };
  /** Message role → message type. */
  readonly roles: { readonly [role: string]: string };
  /** Field role → property name. */
  readonly fields: { readonly [role: string]: string };
  /** `heartbeat`, `resume`, `streams`, `error-replies`: what the roles enable. */
  readonly capabilities: readonly string[];
  /** The error code table (`retryable` per code). */
  readonly errorCodes: { readonly [code: string]: { readonly value: string; readonly retryable: boolean } };
  /** The close code table. */
  readonly closeCodes: { readonly [name: string]: CloseCodeInfo };
  /** The retryable and terminal application ranges of close codes. */
  readonly closeCodeRanges: { readonly retryable: readonly [number, number]; readonly terminal: readonly [number, number] };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Any message a server may send. */
export type ServerMessage<P extends ProtocolDescriptor> = ServerMessageOf<P>;
/** Any message a client may send. */
export type ClientMessage<P extends ProtocolDescriptor> = ClientMessageOf<P>;
/** The property name of field role `R` in `P` (never when the protocol has no such field). */
export type FieldName<P extends ProtocolDescriptor, R extends string> = P['fields'] extends { readonly [K in R]: infer N extends string } ? N : never;

/** Properties the runtime fills when they are left out: the correlation id, and the fields of the service's `fill` option (`F`). */
export type Filled<P extends ProtocolDescriptor, F extends string> = FieldName<P, 'correlation-id'> | F;

/**
 * What `send(id, type, body)` takes for type `K`: the message without its tag, where
 * the filled fields ({@link Filled}) may be left out.
 */
export type Body<P extends ProtocolDescriptor, K extends MessageType<P>, F extends string = never> = DistributiveOmit<MessageOf<P, K>, P['tag'] | Filled<P, F>> &
  Partial<Pick<MessageOf<P, K>, Extract<keyof MessageOf<P, K>, Filled<P, F>>>>;

/** What `sendMessage(id, message)` takes: a whole client message whose filled fields may be left out. */
export type Outbound<P extends ProtocolDescriptor, F extends string = never> = { [K in ClientType<P>]: Body<P, K, F> & { readonly [T in P['tag']]: K } }[ClientType<P>];
