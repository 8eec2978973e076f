// The protocol descriptor as the server core reads it: a structural type that
// every generated `protocol.ts` (docs/roles.md) satisfies, and the type-level
// helpers that derive message types from it. The core imports nothing from
// generated/: it is given a descriptor.

import type { Direction } from '../protocol/messages.js';

export type { Direction, MessageType, MessageOf, ClientType, ServerType, ServerMessageOf } from '../protocol/messages.js';

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

/** One validation issue (JSON pointer `path`, JSON Schema `keyword`, a sentence, ajv's `params`). */
export interface Issue {
  readonly path: string;
  readonly keyword: string;
  readonly message: string;
  readonly params: Record<string, unknown>;
}

/** The outcome of `parse` or `validate`: never throws. */
export type CheckResult<T = unknown> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly Issue[] };

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
  readonly value: number;
  readonly retryable: boolean;
  readonly terminal: boolean;
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
  /** The property that selects the message type. */
  readonly tag: string;
  readonly messages: { readonly [type: string]: MessageInfo };
  readonly roles: { readonly [R in MessageRole]?: string };
  readonly fields: { readonly [R in FieldRole]?: string };
  readonly capabilities: readonly Capability[];
  readonly errorCodes: { readonly [name: string]: ErrorCodeInfo };
  readonly closeCodes: { readonly [name: string]: CloseCodeInfo };
  /** Every enum of the schema, by name, in schema order. */
  readonly enums: { readonly [name: string]: readonly (string | number)[] };
  /** Parses and validates one JSON text. */
  parse(text: string): CheckResult;
  /** Validates an already-parsed value. */
  validate(value: unknown): CheckResult;
}


/** The values of enum `E` of a descriptor. */
export type EnumValue<P extends ProtocolDescriptor, E extends keyof P['enums']> = P['enums'][E][number];
