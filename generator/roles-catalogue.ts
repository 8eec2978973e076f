/**
 * The role catalogue: what each `x-wsgen-role` means to the runtimes, which
 * fields a message role needs, and which values a field role must accept.
 * Plain data, read by roles.ts (the checks) and by the docs tests; the prose
 * is docs/roles.md.
 */
import { STANDARD_CLOSE_CODES } from '../runtime/protocol/close-codes.js';

/** Roles of message types (`x-wsgen-role` on a union variant). Each names at most one message type. */
export const MESSAGE_ROLES = ['session-created', 'session-resume', 'session-updated', 'session-expired', 'ping', 'pong', 'error', 'stream-chunk', 'stream-end'] as const;
/** A message role. */
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** Roles of fields (`x-wsgen-role` on a property of a message type or of an object it includes through allOf). One property name per role across the protocol. */
export const FIELD_ROLES = [
  'correlation-id', 'sequence', 'last-sequence', 'stream-epoch', 'stream-index', 'session-id', 'session-status', 'error-code', 'error-text', 'error-details', 'schema-hash', 'stream-content',
] as const;
/** A field role. */
export type FieldRole = (typeof FIELD_ROLES)[number];

/** Roles of enums (`x-wsgen-role` on an enum): the code tables. Each names at most one enum. */
export const ENUM_ROLES = ['error-codes', 'close-codes'] as const;
/** An enum role. */
export type EnumRole = (typeof ENUM_ROLES)[number];

/** What a runtime can do beyond typed, validated send and receive, reconnect with backoff and a bounded queue (which every protocol gets). */
export const CAPABILITIES = ['heartbeat', 'resume', 'streams', 'error-replies'] as const;
/** A capability. */
export type Capability = (typeof CAPABILITIES)[number];

/** Message priorities (`x-wsgen-priority`): under backpressure `low` messages are dropped first, before they take a sequence number. */
export const PRIORITIES = ['low', 'normal'] as const;
/** A priority. */
export type Priority = (typeof PRIORITIES)[number];

/** Who sends a message type (`x-direction`; absent means `both`). */
export const DIRECTIONS = ['client', 'server', 'both'] as const;
/** A direction. */
export type Direction = (typeof DIRECTIONS)[number];

/** What a message role demands: who may send it and the field roles it must require. */
export interface MessageRoleSpec {
  directions: readonly Direction[];
  /** Field roles the message must have as required properties. */
  required: readonly FieldRole[];
  /** The capability the role belongs to. */
  capability: Capability;
}

/** The demands of each message role. */
export const MESSAGE_ROLE_SPECS: Readonly<Record<MessageRole, MessageRoleSpec>> = {
  'session-created': { directions: ['server'], required: ['session-id', 'stream-epoch'], capability: 'resume' },
  'session-resume': { directions: ['client'], required: ['session-id', 'last-sequence', 'stream-epoch'], capability: 'resume' },
  'session-updated': { directions: ['server'], required: ['session-status'], capability: 'resume' },
  'session-expired': { directions: ['server'], required: [], capability: 'resume' },
  ping: { directions: ['client', 'both'], required: [], capability: 'heartbeat' },
  pong: { directions: ['server', 'both'], required: ['correlation-id'], capability: 'heartbeat' },
  error: { directions: ['server', 'both'], required: ['error-code'], capability: 'error-replies' },
  'stream-chunk': { directions: ['server', 'both'], required: ['correlation-id', 'stream-index'], capability: 'streams' },
  'stream-end': { directions: ['server', 'both'], required: ['correlation-id'], capability: 'streams' },
};

/** The message roles a capability needs all of (session-expired is optional within resume). */
export const CAPABILITY_ROLES: Readonly<Record<Capability, readonly MessageRole[]>> = {
  heartbeat: ['ping', 'pong'],
  resume: ['session-created', 'session-resume', 'session-updated'],
  streams: ['stream-chunk', 'stream-end'],
  'error-replies': ['error'],
};

/**
 * The value kinds of field roles. `string`: a string that must accept every
 * sample (the values the runtimes write); `counter`: an integer with
 * `minimum: 0` (RFC 6455 says nothing here: these are wsgen's own counters);
 * `error-code`: the enum that has role error-codes; `object`: an open object;
 * `any`: no constraint.
 */
export type FieldKind =
  | {
      kind: 'string';
      samples: readonly string[];
      /** The samples are the only values the runtimes write (not examples of generated ones): an enum or const of strings holding them all will do. */
      closed?: true;
      /** The role library's `$defs` entry of this kind (schema/wsgen/roles.schema.json), when it has one. */
      library?: string;
    }
  | { kind: 'counter' }
  | { kind: 'error-code' }
  | { kind: 'object' }
  | { kind: 'any' };

/** The value each field role must take. Samples are values the runtimes generate (a UUID, a 16-character base64url epoch, a SHA-256 hex digest). */
export const FIELD_KINDS: Readonly<Record<FieldRole, FieldKind>> = {
  'correlation-id': { kind: 'string', samples: ['0b7c3d5e-9f4a-4b2c-8d1e-6f0a2b3c4d5e'], library: 'MessageId' },
  sequence: { kind: 'counter' },
  'last-sequence': { kind: 'counter' },
  'stream-epoch': { kind: 'string', samples: ['Ab-_0123456789xy'], library: 'StreamEpoch' },
  'stream-index': { kind: 'counter' },
  'session-id': { kind: 'string', samples: [], library: 'SessionId' },
  'session-status': { kind: 'string', samples: ['resumed', 'resumed_with_gap'], closed: true },
  'error-code': { kind: 'error-code' },
  'error-text': { kind: 'string', samples: [] },
  'error-details': { kind: 'object' },
  'schema-hash': { kind: 'string', samples: ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'], library: 'SchemaHash' },
  'stream-content': { kind: 'any' },
};

/** Error codes the runtimes send themselves: an error-codes table must list them (RECOVERY_FAILED only with resume). */
export const RUNTIME_ERROR_CODES = ['INVALID_MESSAGE', 'UNSUPPORTED_TYPE', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED', 'INTERNAL_ERROR'] as const;
/** The error code a resume with a gap reports. */
export const RESUME_ERROR_CODE = 'RECOVERY_FAILED';

/**
 * Close codes the runtimes close with (name and value): a close-codes table must
 * list them. 4000–4499 are retryable and 4500–4999 terminal (PROTOCOL.md "Close codes").
 * The table itself is the server runtime's (runtime/protocol/close-codes.ts), so the two cannot drift.
 */
export const RUNTIME_CLOSE_CODES: Readonly<Record<string, number>> = STANDARD_CLOSE_CODES;

/** The retryable application close codes (RFC 6455 §7.4.2 leaves 4000–4999 to applications; wsgen splits them). */
export const RETRYABLE_CLOSE_RANGE = [4000, 4499] as const;
/** The terminal application close codes. */
export const TERMINAL_CLOSE_RANGE = [4500, 4999] as const;
