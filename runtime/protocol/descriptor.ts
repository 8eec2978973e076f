/**
 * The protocol descriptor (docs/roles.md): the structural type every generated
 * `protocol.ts` satisfies, read by the server core and the client alike. The
 * runtimes import no generated protocol: they are given a descriptor.
 */
import type { Direction } from './messages.js';

/** Message roles (docs/roles.md "Message roles"). */
export type MessageRole = 'session-created' | 'session-resume' | 'session-updated' | 'session-expired' | 'ping' | 'pong' | 'error' | 'stream-chunk' | 'stream-end';

/** Field roles (docs/roles.md "Field roles"). */
export type FieldRole =
  | 'correlation-id'
  | 'sequence'
  | 'last-sequence'
  | 'stream-epoch'
  | 'stream-index'
  | 'session-id'
  | 'session-status'
  | 'error-code'
  | 'error-text'
  | 'error-details'
  | 'schema-hash'
  | 'stream-content';

/** What the roles enable (docs/roles.md "Capabilities"). */
export type Capability = 'heartbeat' | 'resume' | 'streams' | 'error-replies';

/** One validation problem, as the generated validators report it (ajv's error shape, `parse.d.ts`). */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) to the offending value ("" for the whole message). */
  readonly path: string;
  /** The JSON Schema 2020-12 keyword that failed, or `json`, `unicode`, `depth`, `direction`, `order` for wire-level rules. */
  readonly keyword: string;
  /** A human-readable sentence. */
  readonly message: string;
  /** Keyword parameters (for example `{limit: 1}`), as ajv reports them. */
  readonly params: Record<string, unknown>;
}

/** The outcome of a descriptor's `parse` or `validate`: never thrown. */
export type ParseOutcome<T = unknown> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly ValidationIssue[] };

/** One message type of a descriptor. */
export interface MessageInfo {
  /** The schema name of the type (for example `UserMessage`). */
  readonly name: string;
  readonly direction: Direction;
  /** `low` messages are dropped first under backpressure, before they take a sequence number. */
  readonly priority: 'low' | 'normal';
  readonly role: MessageRole | null;
  /** The field roles the type carries. */
  readonly fields: readonly FieldRole[];
  /** The full validating type guard of the type. */
  readonly is: (value: unknown) => boolean;
}

/** A row of the error code table. */
export interface ErrorCodeInfo {
  readonly value: string;
  readonly retryable: boolean;
  readonly description: string;
}

/** A row of the close code table (RFC 6455 §7.4.2 application range 4000–4999). */
export interface CloseCodeInfo {
  /** The code, 4000–4999. */
  readonly value: number;
  /** Reconnecting may succeed. */
  readonly retryable: boolean;
  /** The client stops (no reconnect). */
  readonly terminal: boolean;
  /** What it means. */
  readonly description: string;
}

/**
 * A generated protocol descriptor (`generated/ts/protocol.ts` or the one of any
 * schema `wsgen generate` was run on). Everything the server core knows about a
 * protocol comes from here.
 */
export interface ProtocolDescriptor {
  readonly name: string;
  readonly version: string;
  /** SHA-256 hex digest of the canonical schema. */
  readonly schemaHash: string;
  /**
   * Whether the root of the schema is a union with a discriminator. A generated descriptor of any other
   * root says `false` (and `tag: null`): the runtimes refuse it (UntaggedRootError).
   */
  readonly tagged?: boolean;
  /** The property that selects the message type. */
  readonly tag: string;
  readonly messages: { readonly [type: string]: MessageInfo };
  readonly roles: { readonly [R in MessageRole]?: string };
  readonly fields: { readonly [R in FieldRole]?: string };
  readonly capabilities: readonly Capability[];
  readonly errorCodes: { readonly [name: string]: ErrorCodeInfo };
  readonly closeCodes: { readonly [name: string]: CloseCodeInfo };
  /** The retryable and terminal application ranges of close codes (RFC 6455 §7.4.2 private use). */
  readonly closeCodeRanges: { readonly retryable: readonly [number, number]; readonly terminal: readonly [number, number] };
  /** Every enum of the schema, by name, in schema order. */
  readonly enums: { readonly [name: string]: readonly (string | number)[] };
  /** Parses and validates one JSON text. */
  parse(text: string): ParseOutcome;
  /** Validates an already-parsed value. */
  validate(value: unknown): ParseOutcome;
}

/** The values of enum `E` of a descriptor. */
export type EnumValue<P extends ProtocolDescriptor, E extends keyof P['enums']> = P['enums'][E][number];

/** Stable code of an {@link UntaggedRootError}. */
export const UNTAGGED_ROOT_CODE = 'WSGEN_UNTAGGED_ROOT';

/** The hint of an {@link UntaggedRootError}. */
const UNTAGGED_ROOT_HINT =
  'the runtimes need a root oneOf with a discriminator: {"discriminator": {"propertyName": "type"}, "oneOf": [{"$ref": "#/$defs/..."}]}; parseMessage and validateMessage work without one';

/**
 * A protocol descriptor whose schema root is no tagged union (generated with `tagged: false`, `tag: null`):
 * createServer, WebSocketClient and WebSocketService need the tag to dispatch and build messages, so they
 * refuse it at construction, before anything listens or connects.
 */
export class UntaggedRootError extends Error {
  /** Always {@link UNTAGGED_ROOT_CODE}. */
  readonly code = UNTAGGED_ROOT_CODE;
  /** The protocol's name. */
  readonly where: string;
  /** What to change. */
  readonly hint = UNTAGGED_ROOT_HINT;

  constructor(name: string) {
    super(`${UNTAGGED_ROOT_CODE}: protocol ${name} has no root union with a discriminator, which the runtimes need`);
    this.name = 'UntaggedRootError';
    this.where = name;
  }
}

/**
 * Refuses a descriptor without a tag property.
 * @throws {UntaggedRootError} (code WSGEN_UNTAGGED_ROOT) when `d.tagged` is false or `d.tag` is no string.
 */
export function requireTaggedRoot(d: Pick<ProtocolDescriptor, 'name' | 'tag' | 'tagged'>): void {
  if (d.tagged === false || typeof d.tag !== 'string') throw new UntaggedRootError(String(d.name));
}
