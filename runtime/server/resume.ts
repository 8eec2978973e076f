// Session resume: the replay plan of a session_resume (or of the end of the
// wait for one), recovery failures, and going live. PROTOCOL.md "Session resume".
import { ErrorCode, type SessionResume, type SessionUpdated } from '../../generated/ts/index.js';
import type { Connection } from './connection.js';
import { errorMessage, timestamp } from './protocol.js';

/**
 * Ends the wait for session_resume (the resumeWaitMs timer, or a user message first): replays what was produced
 * since the link (with RECOVERY_FAILED first if some of it is gone), then goes live.
 */
export function goLive(c: Connection): void {
  if (c.live || c.closed) return;
  if (c.resumeTimer !== undefined) clearTimeout(c.resumeTimer);
  c.resumeTimer = undefined;
  const plan = c.stream.replayAfter(c.resumeFloor);
  if (plan.missing) c.reply(recoveryFailed(c, plan.missing));
  for (const t of plan.texts) c.deliver(t, 'replay');
  c.live = true;
}

/** The RECOVERY_FAILED error_message of a resume (connection-level: no seq). */
function recoveryFailed(c: Connection, details: Record<string, unknown>, text = 'some server messages are no longer buffered and cannot be replayed') {
  return errorMessage(ErrorCode.RECOVERY_FAILED, text, { session_id: c.session.sessionId, error_details: details });
}

/**
 * Serves a session_resume: in the stream's epoch, replays every buffered message after last_seq (RECOVERY_FAILED first
 * for what is gone, or for a last_seq ahead of the stream); from another epoch, RECOVERY_FAILED epoch_mismatch and
 * the current epoch from its start. Ends with session_updated (resumed, or resumed_with_gap). PROTOCOL.md "Session
 * resume".
 */
export function resume(c: Connection, m: SessionResume): void {
  if (c.resumeTimer !== undefined) clearTimeout(c.resumeTimer);
  c.resumeTimer = undefined;
  const sameEpoch = m.epoch === c.stream.epoch;
  if (!sameEpoch) {
    // last_seq counts in another instance of the stream: nothing of it can be replayed. Say so, then replay
    // this epoch from its start (the client has seen none of it).
    c.reply(
      recoveryFailed(
        c,
        { first_missing: null, last_missing: null, latest_seq: c.stream.seq, reason: 'epoch_mismatch', epoch: c.stream.epoch },
        `epoch ${m.epoch} is not the stream's epoch ${c.stream.epoch}: the messages after last_seq ${m.last_seq} are lost (restart?)`,
      ),
    );
  }
  const plan = c.stream.replayAfter(sameEpoch ? m.last_seq : 0);
  if (plan.ahead) {
    c.reply(
      recoveryFailed(
        c,
        { first_missing: null, last_missing: null, latest_seq: c.stream.seq, reason: 'last_seq_ahead' },
        `last_seq ${m.last_seq} is beyond the latest seq ${c.stream.seq}: the server does not know that history (restart?)`,
      ),
    );
  } else if (plan.missing) {
    c.reply(recoveryFailed(c, plan.missing));
  }
  for (const t of plan.texts) c.deliver(t, 'replay');
  c.live = true;
  const upd: SessionUpdated = { type: 'session_updated', timestamp: timestamp(), session_id: c.session.sessionId, realm: c.session.realm, status: plan.missing || plan.ahead || !sameEpoch ? 'resumed_with_gap' : 'resumed' };
  if (m.message_id !== undefined) upd.message_id = m.message_id;
  c.stream.send(upd);
}
