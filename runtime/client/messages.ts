/**
 * Outbound messages: the fields the runtime fills (the correlation id, when the
 * type has one, and the service's `fill` fields), the direction rule of the
 * descriptor, and the protocol's own validator.
 */
import type { ValidationIssue } from './protocol.js';
import { isClientSendable, tagPath, type Wire, type WireMessage } from './wire.js';

/** Fills the fields left out of a message: see {@link makeFiller}. */
export type Filler = (msg: WireMessage) => void;

/**
 * A filler for protocol `w`: sets the correlation id (when the message's type carries that field role)
 * to `newId()`, and each field of `fill` to its function's value, wherever the message leaves them out.
 */
export function makeFiller(w: Wire, newId: () => string, fill: Readonly<Record<string, () => unknown>> = {}): Filler {
  const idField = w.f.id;
  const extra = Object.entries(fill);
  return (msg) => {
    if (idField !== undefined && msg[idField] === undefined) {
      const info = w.protocol.messages[msg[w.tag] as string];
      if (info?.fields.includes('correlation-id')) msg[idField] = newId();
    }
    for (const [k, f] of extra) if (msg[k] === undefined) msg[k] = f();
  };
}

/** The outcome of {@link prepareOutbound}. */
export type Prepared = { ok: true; value: WireMessage; messageId: string | undefined } | { ok: false; messageId: string | undefined; issues: readonly ValidationIssue[] };

/**
 * Fills a copy of `msg` and validates it as a client message of protocol `w`.
 * Returns the complete message, or the issues (a type the client may not send is a `direction` issue).
 */
export function prepareOutbound(w: Wire, msg: WireMessage, fill: Filler): Prepared {
  const type = msg[w.tag];
  // Object.assign, not spread: V8 gives the spread copy a shape the validator's for-in walks ~6x slower.
  const full = Object.assign({}, msg) as WireMessage;
  fill(full);
  const id = w.f.id === undefined ? undefined : full[w.f.id];
  const messageId = typeof id === 'string' ? id : undefined;
  if (typeof type !== 'string' || !isClientSendable(w, type)) {
    return { ok: false, messageId, issues: [{ path: tagPath(w), keyword: 'direction', message: `a client may not send ${w.tag} ${JSON.stringify(type)}`, params: { type } }] };
  }
  const r = w.protocol.validate(full);
  if (!r.ok) return { ok: false, messageId, issues: r.errors };
  return { ok: true, value: full, messageId };
}
