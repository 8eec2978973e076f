// The role library's standard close codes: the one table the server runtime closes with and the generator checks
// a protocol's close-codes enum against (generator/roles-catalogue.ts re-exports it). Plain data with no imports,
// so the generator can load it without pulling in any runtime code.

/**
 * The standard close codes of the role library (docs/roles.md "Code tables"), name to value. A protocol's
 * close-codes table must list them; the server uses them when the protocol's own table lacks the name (a
 * protocol without roles). RFC 6455 §7.4.2 leaves 4000–4999 to applications: 4000–4499 are retryable,
 * 4500–4999 terminal (PROTOCOL.md "Close codes").
 */
export const STANDARD_CLOSE_CODES = {
  SERVER_OVERLOADED: 4000,
  SLOW_CONSUMER: 4001,
  HEARTBEAT_TIMEOUT: 4002,
  SESSION_EXPIRED: 4003,
  UNAUTHORIZED: 4500,
  FORBIDDEN: 4501,
  TOO_MANY_CONNECTIONS: 4502,
  RATE_LIMIT_EXCEEDED: 4503,
  PROTOCOL_MISMATCH: 4504,
  REPLACED: 4505,
} as const;

/** Names of the standard close codes. */
export type CloseName = keyof typeof STANDARD_CLOSE_CODES;
