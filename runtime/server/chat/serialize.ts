// A specialized serializer for the chat app's hottest message, agent_message:
// exactly JSON.stringify's output, about 3x faster for a 400-byte reply.
import type { AgentMessage } from '../../../generated/ts/index.js';
import { markPlain } from '../wire.js';

// A character JSON.stringify would escape (", \, controls, lone surrogates are
// covered by "not printable ASCII") or that takes more than one UTF-8 byte.
const NOT_PLAIN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
let plain = true;

/** A JSON string literal: exactly JSON.stringify(s). */
function str(s: string): string {
  if (NOT_PLAIN.test(s)) {
    plain = false;
    return JSON.stringify(s);
  }
  return '"' + s + '"';
}

/**
 * A JSON string literal of a value that repeats from reply to reply (a connection's session id, its realm), with its
 * plainness: the last value and its literal are kept, so the replies of one connection scan it once. A different
 * string (another connection's) is scanned again.
 */
class RepeatedString {
  private last: string | undefined;
  private json = '';
  private plain = true;
  /** JSON.stringify(s), clearing the serializer's `plain` flag when `s` is not plain ASCII. */
  literal(s: string): string {
    if (s !== this.last) {
      const wasPlain = plain;
      plain = true;
      this.json = str(s);
      this.plain = plain;
      plain = wasPlain;
      this.last = s;
    }
    if (!this.plain) plain = false;
    return this.json;
  }
}
const sessionIds = new RepeatedString();
const realms = new RepeatedString();

/**
 * JSON.stringify(m) for an agent_message built by the ChatService (fields in
 * its insertion order, seq last), about 3x faster than JSON.stringify on Node
 * 20 for a 400-byte reply. Falls back to JSON.stringify when the message
 * carries data or metadata (open values). Expects what the ChatService builds:
 * a message_id that passed the schema (or a server id), a timestamp from
 * `timestamp()`, and an endpoint's agent and pillar. A text built only from
 * plain ASCII is marked so (wire.ts markPlain): its byte size is its length.
 */
export function agentMessageJson(m: AgentMessage): string {
  if (m.data !== undefined || m.metadata !== undefined || typeof m.message_id !== 'string' || typeof m.session_id !== 'string' || typeof m.agent !== 'string' || typeof m.realm !== 'string' || typeof m.seq !== 'number') {
    return JSON.stringify(m);
  }
  plain = true;
  // message_id (the schema's pattern, or a server id), timestamp (toISOString),
  // agent and pillar (an endpoint's enum values) are plain ASCII by construction:
  // quoted without the scan. session_id, realm (from the session validator) and
  // message are scanned (session_id and realm once per run of equal values).
  let out = '{"type":"agent_message","message_id":"' + m.message_id + '","timestamp":"' + m.timestamp + '","session_id":' + sessionIds.literal(m.session_id) + ',"agent":"' + m.agent + '","realm":' + realms.literal(m.realm) + ',"message":' + str(m.message);
  if (m.pillar !== undefined) out += ',"pillar":"' + m.pillar + '"';
  out += ',"seq":' + m.seq + '}';
  if (plain) markPlain(out);
  return out;
}
