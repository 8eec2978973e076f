// Session resume (the resume capability): the replay plan of a resume message
// (or of the end of the wait for one), recovery failures, and going live.
// PROTOCOL.md "Session resume". Property names come from the field roles.
import type { Connection } from './connection.js';
import type { Message, RuntimeProtocol } from './roles.js';

/** The RECOVERY_FAILED error reply of a resume (connection-level: no seq). */
function recoveryFailed(rt: RuntimeProtocol, c: Connection, details: Record<string, unknown>, text = 'some server messages are no longer buffered and cannot be replayed'): Message | undefined {
  return rt.error('RECOVERY_FAILED', text, { sessionId: c.session.sessionId, details }, c);
}

/** Sends a reply when the protocol could build one. */
function replyIf(c: Connection, msg: Message | undefined): void {
  if (msg !== undefined) c.reply(msg);
}

/**
 * Ends the wait for a resume message (the resumeWaitMs timer, or an application message first): replays what was
 * produced since the link (with RECOVERY_FAILED first if some of it is gone), then goes live.
 */
export function goLive(rt: RuntimeProtocol, c: Connection): void {
  if (c.live || c.closed) return;
  if (c.resumeTimer !== undefined) clearTimeout(c.resumeTimer);
  c.resumeTimer = undefined;
  c.stream.withReplay(c.resumeFloor, (plan) => {
    if (c.live || c.closed) return; // a resume message answered meanwhile
    if (plan.missing) replyIf(c, recoveryFailed(rt, c, plan.missing));
    for (const t of plan.texts) c.deliver(t, 'replay');
    c.live = true;
  });
}

/**
 * Serves a resume message: in the stream's epoch, replays every buffered message after its last sequence
 * (RECOVERY_FAILED first for what is gone, or for a last sequence ahead of the stream); from another epoch,
 * RECOVERY_FAILED epoch_mismatch and the current epoch from its start. Ends with the session-updated message
 * (resumed, or resumed_with_gap). PROTOCOL.md "Session resume".
 */
export function resume(rt: RuntimeProtocol, c: Connection, m: Message): void {
  if (c.resumeTimer !== undefined) clearTimeout(c.resumeTimer);
  c.resumeTimer = undefined;
  const f = rt.field;
  const epoch = m[f['stream-epoch']!] as string;
  const lastSeq = m[f['last-sequence']!] as number;
  const sameEpoch = epoch === c.stream.epoch;
  if (!sameEpoch) {
    // The last sequence counts in another instance of the stream: nothing of it can be replayed. Say so, then
    // replay this epoch from its start (the client has seen none of it).
    replyIf(
      c,
      recoveryFailed(
        rt,
        c,
        { first_missing: null, last_missing: null, latest_seq: c.stream.seq, reason: 'epoch_mismatch', epoch: c.stream.epoch },
        `epoch ${epoch} is not the stream's epoch ${c.stream.epoch}: the messages after last_seq ${lastSeq} are lost (restart?)`,
      ),
    );
  }
  c.stream.withReplay(sameEpoch ? lastSeq : 0, (plan) => {
    if (c.closed) return;
    if (plan.ahead) {
      replyIf(
        c,
        recoveryFailed(
          rt,
          c,
          { first_missing: null, last_missing: null, latest_seq: c.stream.seq, reason: 'last_seq_ahead' },
          `last_seq ${lastSeq} is beyond the latest seq ${c.stream.seq}: the server does not know that history (restart?)`,
        ),
      );
    } else if (plan.missing) {
      replyIf(c, recoveryFailed(rt, c, plan.missing));
    }
    for (const t of plan.texts) c.deliver(t, 'replay');
    c.live = true;
    const ref = f['correlation-id'] !== undefined ? (m[f['correlation-id']] as string | undefined) : undefined;
    const upd = rt.updated(c, plan.missing || plan.ahead || !sameEpoch ? 'resumed_with_gap' : 'resumed', ref);
    if (upd !== undefined) c.stream.send(upd);
  });
}
