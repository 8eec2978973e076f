// The endpoint-parameter rule (PROTOCOL.md "Endpoints"): a message whose field is named like a path parameter of
// its connection's endpoint and holds another value is refused with FORBIDDEN (a client connected to
// /lobbies/{lobby} = l1 may not act on lobby l2 by naming it in a message). The Python runtime applies the same
// rule with the same reply text (wsgen_runtime/pipeline.py `_forbidden`).
import type { Message } from './roles.js';
import type { Endpoint } from './types.js';

/** A field that names another value than its endpoint's path parameter of the same name. */
export interface ParamMismatch {
  /** The parameter's name (the field's wire name). */
  readonly name: string;
  /** The field's value as path text (`String(value)`: `2`, `true`, `mage`). */
  readonly given: string;
}

/**
 * The first path parameter of `endpoint` (path order) whose same-named field of `m` holds another value, or
 * undefined. A field the message does not carry (absent or null) is no mismatch; a value is compared as the path
 * text it would be (`String(value)`, so the field `level: 2` matches the parameter `'2'`). No allocation when the
 * endpoint has no parameter.
 */
export function paramMismatch(m: Message, endpoint: Endpoint): ParamMismatch | undefined {
  const params = endpoint.params;
  for (const name in params) {
    const v = m[name];
    if (v === undefined || v === null) continue;
    const given = String(v);
    if (given !== params[name]) return { name, given };
  }
  return undefined;
}

/** The text of the FORBIDDEN reply to a {@link ParamMismatch} (the same text on the Python runtime). */
export function paramMismatchText(p: ParamMismatch, endpoint: Endpoint): string {
  return `${p.name} ${p.given} is not served on ${endpoint.key}`;
}
