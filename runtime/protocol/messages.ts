// The message types a generic runtime derives from a protocol descriptor (docs/roles.md), shared by the
// server core and the client: type-level only, so it adds nothing to a bundle.

/** Who sends a message type: `client`, `server` or `both` (the schema's `x-direction`). */
export type Direction = 'client' | 'server' | 'both';

/**
 * The part of a descriptor the message types come from: per message type (the tag value), its direction and
 * its full validating type guard. Every generated `protocol.ts` satisfies it.
 */
export interface MessageTable {
  readonly messages: { readonly [type: string]: { readonly direction: Direction; readonly is: (value: unknown) => boolean } };
}

/** Every message type (tag value) of protocol `P`. */
export type MessageType<P extends MessageTable> = keyof P['messages'] & string;

/**
 * The wire form of message type `K` of protocol `P`: what the type's guard narrows to and a sender
 * writes. A property with a schema `default` may be absent in it.
 */
export type InputOf<P extends MessageTable, K extends MessageType<P>> = P['messages'][K]['is'] extends (v: unknown) => v is infer T ? T : Record<string, unknown>;

/** What the descriptor's `parse` gives on success (the parsed union, defaults filled), or never when the descriptor has no typed `parse`. */
type ParsedUnion<P> = P extends { parse(text: string): infer R } ? (R extends { readonly ok: true; readonly value: infer T } ? T : never) : never;

/** The member of union `U` whose property `G` (the tag) is `K`. */
type Tagged<U, G extends string, K> = U extends { readonly [k in G]: K } ? U : never;

/**
 * The message of type `K` of protocol `P` as parsing gives it: a property with a schema `default` is
 * present (README "Supported JSON Schema", `default`). The parse result's member with tag `K` when the
 * descriptor has a typed `parse` and a `tag`, else what the type's guard narrows to ({@link InputOf}).
 */
export type MessageOf<P extends MessageTable, K extends MessageType<P>> = P extends { readonly tag: infer G extends string }
  ? [Tagged<ParsedUnion<P>, G, K>] extends [never]
    ? InputOf<P, K>
    : Tagged<ParsedUnion<P>, G, K>
  : InputOf<P, K>;

/** Types a client may send (direction `client` or `both`). */
export type ClientType<P extends MessageTable> = { [K in MessageType<P>]: P['messages'][K]['direction'] extends 'server' ? never : K }[MessageType<P>];

/** Types a server may send (direction `server` or `both`). */
export type ServerType<P extends MessageTable> = { [K in MessageType<P>]: P['messages'][K]['direction'] extends 'client' ? never : K }[MessageType<P>];

/** Any message a server may send under `P`, as parsing gives it (what a client receives). */
export type ServerMessageOf<P extends MessageTable> = { [K in ServerType<P>]: MessageOf<P, K> }[ServerType<P>];

/** Any message a client may send under `P`, as parsing gives it (what a server receives). */
export type ClientMessageOf<P extends MessageTable> = { [K in ClientType<P>]: MessageOf<P, K> }[ClientType<P>];

/** Any message a server may send under `P`, in its wire form (what a server writes: defaulted properties may be left out). */
export type ServerInputOf<P extends MessageTable> = { [K in ServerType<P>]: InputOf<P, K> }[ServerType<P>];

/** Any message a client may send under `P`, in its wire form (what a client writes: defaulted properties may be left out). */
export type ClientInputOf<P extends MessageTable> = { [K in ClientType<P>]: InputOf<P, K> }[ClientType<P>];
