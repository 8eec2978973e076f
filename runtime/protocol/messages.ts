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

/** The message of type `K` of protocol `P`: what the type's guard narrows to. */
export type MessageOf<P extends MessageTable, K extends MessageType<P>> = P['messages'][K]['is'] extends (v: unknown) => v is infer T ? T : Record<string, unknown>;

/** Types a client may send (direction `client` or `both`). */
export type ClientType<P extends MessageTable> = { [K in MessageType<P>]: P['messages'][K]['direction'] extends 'server' ? never : K }[MessageType<P>];

/** Types a server may send (direction `server` or `both`). */
export type ServerType<P extends MessageTable> = { [K in MessageType<P>]: P['messages'][K]['direction'] extends 'client' ? never : K }[MessageType<P>];

/** Any message a server may send under `P`. */
export type ServerMessageOf<P extends MessageTable> = { [K in ServerType<P>]: MessageOf<P, K> }[ServerType<P>];

/** Any message a client may send under `P`. */
export type ClientMessageOf<P extends MessageTable> = { [K in ClientType<P>]: MessageOf<P, K> }[ClientType<P>];
