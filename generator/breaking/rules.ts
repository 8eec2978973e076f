/**
 * The rules of `wsgen breaking`. wsgen's objects are closed and its unions
 * strict on both sides, so a change breaks deployed peers in two ways:
 *
 * - it **narrows** what the new schema accepts (a value valid before is
 *   rejected now): old clients sending a message type of direction `client`
 *   or `both` are refused by the new server;
 * - it **widens** what the new schema allows (a value invalid before is valid
 *   now): a new server sends, in a message of direction `server` or `both`,
 *   what old clients reject (an unknown field, an unknown enum value or
 *   message type).
 *
 * A removed message type breaks both directions: old clients may send it, and
 * old clients may wait for it. So does a changed default: the receiver fills an
 * omitted field in, and old and new peers fill in different values. A message
 * type without `x-direction` counts as `both`. README "wsgen breaking" lists every rule.
 */

/** How a change moves the set of valid messages. */
export interface Effect {
  /** Something valid before is invalid now. */
  narrows: boolean;
  /** Something invalid before is valid now. */
  widens: boolean;
}

/** Every rule: its id, and what it detects. */
export const RULES = {
  MESSAGE_REMOVED: 'a message type was removed (breaks either direction)',
  MESSAGE_ADDED: 'a message type was added (widens: old clients reject its tag when a server sends it)',
  MESSAGE_DIRECTION_REMOVED: 'clients may no longer send a message type (narrows: the new server refuses it)',
  FIELD_REMOVED: 'a field was removed (narrows: the closed object refuses it now; a required one also widens)',
  FIELD_ADDED_REQUIRED: 'a required field was added (narrows: old senders omit it; widens: old receivers refuse it)',
  FIELD_ADDED_OPTIONAL: 'an optional field was added (widens: old receivers refuse the unknown field)',
  FIELD_MADE_REQUIRED: 'an optional field became required (narrows)',
  FIELD_MADE_OPTIONAL: 'a required field became optional (widens: old receivers require it)',
  TYPE_CHANGED: "a field's type changed (narrows and widens, or one of them to or from any JSON value)",
  NULL_ADDED: 'a field now allows null (widens)',
  NULL_REMOVED: 'a field no longer allows null (narrows)',
  CONSTRAINT_NARROWED: 'a bound, length, item count, pattern or format was added or tightened (narrows)',
  CONSTRAINT_WIDENED: 'a bound, length, item count, pattern or format was removed or loosened (widens)',
  PATTERN_CHANGED: 'a pattern or format was replaced by another (narrows and widens)',
  CONST_CHANGED: 'a constant changed (narrows and widens)',
  ENUM_VALUE_ADDED: 'an enum value was added (widens: old receivers refuse it)',
  ENUM_VALUE_REMOVED: 'an enum value was removed (narrows: old senders may still send it)',
  UNION_BRANCH_ADDED: 'a branch was added to a discriminated union inside a message (widens: old receivers refuse its tag)',
  UNION_BRANCH_REMOVED: 'a branch was removed from a discriminated union inside a message (narrows: old senders may still send it)',
  DEFAULT_CHANGED: "a field's default was added, removed or changed (an omitted field now means another value to one side: breaks either direction)",
} as const;

/** A rule id. */
export type RuleId = keyof typeof RULES;

/** The `x-direction` of a message type: who sends it. */
export type Direction = 'client' | 'server' | 'both';

/** One change found between two schemas, before the direction decides whether it breaks. */
export interface Change extends Effect {
  rule: RuleId;
  /** The schema file and JSON pointer (RFC 6901) of the change: in the new schema, or in the old one for what was removed (`schema`). */
  file: string;
  pointer: string;
  /** Which schema `file` and `pointer` are in: `old` (the `--against` one) for a removed message type or field, else `new`. */
  schema: SchemaSide;
  message: string;
}

/** The schema a finding's place is in: `old` (the one given by `--against`) or `new`. */
export type SchemaSide = 'old' | 'new';

/** A breaking change: a change and the message type direction that makes it break. */
export interface Finding {
  rule: RuleId;
  /** The direction of the message type(s) through which the change breaks. */
  direction: Direction;
  /** The message type tag(s) it was found in. */
  messages: string[];
  file: string;
  pointer: string;
  /** Which schema `file` and `pointer` are in (see Change). */
  schema: SchemaSide;
  message: string;
}

/** Whether a change breaks old clients for a message type sent in `direction`. */
export function breaks(change: Change, direction: Direction): boolean {
  if (change.rule === 'MESSAGE_REMOVED' || change.rule === 'DEFAULT_CHANGED') return true;
  const clientsSend = direction === 'client' || direction === 'both';
  const serversSend = direction === 'server' || direction === 'both';
  return (change.narrows && clientsSend) || (change.widens && serversSend);
}
