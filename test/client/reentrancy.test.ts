// The connection calls the app back synchronously (status, message and error listeners).
// Whatever a callback does (send, close, probe, reopen), the order on the wire stays
// session_resume, the replay, the queue in order, then new sends; "open" comes only after
// the replay; and no timer or socket of a closed connection is left behind.
import { ChatService } from '../../runtime/chat/client.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecoveryFailedError, WebSocketService, type StatusEvent, type WebSocketServiceOptions, type WsClientError } from '../../runtime/client/index.js';
import { SCHEMA_HASH } from '../../generated/ts/index.js';
import { FakeCtor, FakeSocket, flush } from './helpers/fake-socket.js';

const ts = () => new Date().toISOString();
const sys = (seq: number, message = `m${seq}`) => ({ type: 'system_message', timestamp: ts(), message, seq });
const user = (message: string) => ({ type: 'user_message' as const, message });

function make(extra: WebSocketServiceOptions = {}) {
  const errors: WsClientError[] = [];
  const statuses: StatusEvent[] = [];
  const svc = new ChatService({ baseUrl: 'ws://test', WebSocket: FakeCtor, browserProbes: false, ...extra });
  svc.onError('*', (e) => errors.push(e));
  svc.onStatus('*', (s) => statuses.push(s));
  return { svc, errors, statuses };
}

/** What the client wrote on a socket: session_resume, or the text of a user message. */
const wire = (s: FakeSocket) => s.sentMessages().map((m) => (m['type'] === 'user_message' ? String(m['message']) : String(m['type'])));

/** Opens `guide`, takes it to seq `seq` on session s1, then drops it (1006): the connection waits in backoff. */
async function openThenDrop(svc: ChatService, seq = 3, opts: Record<string, unknown> = {}) {
  svc.open('guide', 'ws://test/g', { token: 't', heartbeat: { intervalMs: 30_000, timeoutMs: 5_000 }, ...opts });
  await flush();
  const s1 = FakeSocket.last();
  s1.accept('s1', 0);
  for (let i = 1; i <= seq; i++) s1.receive(sys(i));
  s1.serverClose(1006);
  expect(svc.getConnectionStatus('guide')).toBe('reconnecting');
}

/** Lets the backoff pass and opens the next socket up to session_created (the client then resumes). */
async function reconnect(seq: number): Promise<FakeSocket> {
  await vi.advanceTimersByTimeAsync(1000);
  const s = FakeSocket.last();
  s.open();
  s.created('s1', seq);
  return s;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sends from callbacks never overtake the resume, the replay or the queue', () => {
  it('a send from the open listener goes after session_resume and the queue; open comes after the replay', async () => {
    const { svc, statuses } = make();
    await openThenDrop(svc, 3);
    svc.sendMessage('guide', user('A'));
    const order: string[] = [];
    svc.onAny('guide', (m) => order.push(`msg:${'message' in m ? String(m.message) : m.type}`));
    svc.onStatus('guide', (e) => {
      order.push(`status:${e.status}`);
      if (e.status === 'open') svc.sendMessage('guide', user('B'));
    });
    const s = await reconnect(5);
    expect(wire(s)).toEqual(['session_resume']);
    expect(svc.getConnectionStatus('guide')).toBe('resuming');
    s.receive(sys(4, 'offline 4'));
    s.receive(sys(5, 'offline 5'));
    expect(wire(s)).toEqual(['session_resume']); // nothing before the replay ends
    s.resumed('resumed', 6);
    expect(wire(s)).toEqual(['session_resume', 'A', 'B']);
    expect(order.slice(order.indexOf('status:resuming'))).toEqual(['status:resuming', 'msg:offline 4', 'msg:offline 5', 'msg:session_updated', 'status:open']);
    expect(statuses[statuses.length - 1]).toMatchObject({ status: 'open', resume: 'resumed' });
    expect(svc.getConnectionHealth('guide')).toMatchObject({ resume: 'resumed', lastSeq: 6, queued: 0, duplicatesDropped: 0, gapsDetected: 0 });
  });

  it('sends from every not-yet-open phase, from replayed-message handlers and from error handlers go to the back of the queue', async () => {
    const { svc } = make();
    await openThenDrop(svc, 3);
    svc.sendMessage('guide', user('A'));
    const phases = new Set<string>();
    svc.onStatus('guide', (e) => {
      if (e.status !== 'open' && !phases.has(e.status)) {
        phases.add(e.status);
        expect(svc.sendMessage('guide', user(`from ${e.status}`)).status).toBe('queued');
      }
    });
    svc.subscribe('guide', 'system_message', (m) => void svc.sendMessage('guide', user(`after ${m.message}`)));
    svc.subscribe('guide', 'session_created', () => void svc.sendMessage('guide', user('from session_created')));
    svc.onError('guide', (e) => void svc.sendMessage('guide', user(`from ${e.code}`)));
    await vi.advanceTimersByTimeAsync(1000); // connecting
    const s = FakeSocket.last();
    s.open(); // authenticating
    s.created('s1', 5); // resuming
    s.receive({ type: 'error_message', timestamp: ts(), error_code: 'RECOVERY_FAILED', message: 'gone', error_details: { first_missing: 4, last_missing: 4 } });
    s.receive(sys(5, 'r5'));
    s.resumed('resumed_with_gap', 6);
    expect(wire(s)).toEqual([
      'session_resume',
      'A',
      'from connecting',
      'from authenticating',
      'from session_created',
      'from resuming',
      'from RECOVERY_FAILED',
      'after r5',
    ]);
    expect(svc.getConnectionStatus('guide')).toBe('open');
    expect(svc.getConnectionHealth('guide')).toMatchObject({ resume: 'failed', queued: 0, gapsDetected: 0 });
  });

  it('a queue entry that expires during the flush is reported, and a send from that report still goes after the queue', async () => {
    const { svc } = make({ defaults: { queue: { ttlMs: 3000 } } });
    await openThenDrop(svc, 0);
    svc.sendMessage('guide', user('old')); // expires while we wait
    await vi.advanceTimersByTimeAsync(2000);
    svc.sendMessage('guide', user('young'));
    svc.onError('guide', (e) => {
      if (e.code === 'MESSAGE_DROPPED') svc.sendMessage('guide', user('resend old'));
    });
    const s = await reconnect(0); // 1000 ms later: "old" is past its TTL, "young" is not
    s.resumed();
    expect(wire(s)).toEqual(['session_resume', 'young', 'resend old']);
    expect(svc.getConnectionStatus('guide')).toBe('open');
  });
});

describe('close, probe and reopen from callbacks leave a consistent state', () => {
  it('closing from a drop report during the flush still reports every dropped entry, and writes nothing more', async () => {
    const { svc, errors } = make({ defaults: { queue: { ttlMs: 1000 } } });
    await openThenDrop(svc, 0);
    const old = [svc.sendMessage('guide', user('old 1')), svc.sendMessage('guide', user('old 2'))];
    const young = svc.sendMessage('guide', user('young')); // sent 0 ms later, expires at the same time
    svc.onError('guide', (e) => {
      if (e.code === 'MESSAGE_DROPPED') svc.disconnect('guide');
    });
    const s = await reconnect(0); // 1000 ms later: everything queued is past its TTL
    s.resumed();
    const dropped = errors.filter((e) => e.code === 'MESSAGE_DROPPED').map((e) => e.messageId);
    expect(dropped).toEqual([...old, young].map((r) => r.messageId));
    expect(wire(s)).toEqual(['session_resume']);
    expect(svc.connectionIds()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closing from the open listener leaves no timer, no socket and no later events', async () => {
    const { svc, statuses } = make();
    svc.onStatus('guide', (e) => {
      if (e.status === 'open') svc.disconnect('guide');
    });
    svc.open('guide', 'ws://test/g', { token: 't', heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    await flush();
    FakeSocket.last().accept();
    expect(statuses.map((e) => e.status)).toEqual(['connecting', 'authenticating', 'resuming', 'open', 'closed']);
    expect(FakeSocket.last().closedWith?.code).toBe(1000);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statuses).toHaveLength(5);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('closing from a replayed message handler stops the replay: nothing more is delivered, no open, no timer', async () => {
    const { svc, statuses } = make();
    await openThenDrop(svc, 3);
    svc.sendMessage('guide', user('A'));
    const got: string[] = [];
    svc.subscribe('guide', 'system_message', (m) => {
      got.push(m.message);
      if (m.message === 'stop') svc.disconnect('guide');
    });
    const s = await reconnect(6);
    s.receive(sys(4, 'stop'));
    s.receive(sys(5, 'after stop'));
    s.resumed('resumed', 7);
    expect(got).toEqual(['stop']);
    expect(wire(s)).toEqual(['session_resume']); // the queue was dropped, not flushed
    expect(statuses.map((e) => e.status).slice(-2)).toEqual(['resuming', 'closed']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closing from the authenticating listener leaves no auth timer behind', async () => {
    const { svc, statuses } = make();
    svc.onStatus('guide', (e) => {
      if (e.status === 'authenticating') svc.disconnect('guide');
    });
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    FakeSocket.last().open();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statuses.map((e) => e.status)).toEqual(['connecting', 'authenticating', 'closed']);
  });

  it('closing from an error listener during session_created stops before the session goes on', async () => {
    const { svc, statuses } = make();
    await openThenDrop(svc, 3);
    svc.onError('guide', (e) => {
      if (e.code === 'SESSION_RESET') svc.disconnect('guide');
    });
    await vi.advanceTimersByTimeAsync(1000);
    const s = FakeSocket.last();
    s.open();
    s.created('s2', 0); // another session: reset
    expect(statuses.map((e) => e.status).slice(-2)).toEqual(['authenticating', 'closed']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('probing from the reconnecting listener opens exactly one socket', async () => {
    const { svc } = make();
    let probed = false;
    svc.onStatus('guide', (e) => {
      if (e.status === 'reconnecting' && !probed) {
        probed = true;
        svc.probe('guide');
      }
    });
    svc.open('guide', 'ws://test/g', { token: 't', backoff: { minDelayMs: 100, maxDelayMs: 100 } });
    await flush();
    FakeSocket.last().accept();
    FakeSocket.last().serverClose(1006);
    await flush();
    expect(FakeSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.instances).toHaveLength(2); // the backoff timer did not fire a second attempt
    FakeSocket.last().accept();
    expect(svc.getConnectionStatus('guide')).toBe('open');
  });

  it('reopening from the failed listener starts clean: a send made there is not dropped by the failure', async () => {
    const { svc, errors } = make();
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    const doomed = svc.sendMessage('guide', user('doomed'));
    let kept: ReturnType<typeof svc.sendMessage> | undefined;
    svc.onStatus('guide', (e) => {
      if (e.status === 'failed' && kept === undefined) {
        svc.open('guide', 'ws://test/g', { token: 't' }); // the same connection, reopened
        kept = svc.sendMessage('guide', user('kept'));
      }
    });
    FakeSocket.last().open();
    FakeSocket.last().serverClose(4500, 'bad token'); // terminal: failed
    expect(kept?.status).toBe('queued');
    await flush();
    FakeSocket.last().accept();
    expect(wire(FakeSocket.last())).toEqual(['session_resume', 'kept']);
    expect(errors.filter((e) => e.code === 'MESSAGE_DROPPED').map((e) => e.messageId)).toEqual([doomed.messageId]);
  });
});

describe('a resume never reports success when messages were skipped', () => {
  it('a seq jump in the replay that no RECOVERY_FAILED announced is a reported gap, and the outcome is failed', async () => {
    const { svc, errors, statuses } = make();
    await openThenDrop(svc, 3);
    const got: string[] = [];
    svc.subscribe('guide', 'system_message', (m) => got.push(m.message));
    const s = await reconnect(8);
    s.receive(sys(4));
    s.receive(sys(7)); // 5 and 6 skipped, silently
    s.receive(sys(8));
    s.resumed('resumed', 9); // the server claims success
    const gap = errors.find((e) => e instanceof RecoveryFailedError) as RecoveryFailedError;
    expect(gap).toMatchObject({ reason: 'gap_detected', firstMissing: 5, lastMissing: 6, connectionId: 'guide' });
    expect(got).toEqual(['m4', 'm7', 'm8']);
    expect(statuses[statuses.length - 1]).toMatchObject({ status: 'open', resume: 'failed' });
    expect(svc.getConnectionHealth('guide')).toMatchObject({ resume: 'failed', gapsDetected: 1 });
  });

  it('a jump the server announced with RECOVERY_FAILED is reported once (by the server), not twice', async () => {
    const { svc, errors } = make();
    await openThenDrop(svc, 3);
    const s = await reconnect(9);
    s.receive({ type: 'error_message', timestamp: ts(), error_code: 'RECOVERY_FAILED', message: 'gone', error_details: { first_missing: 4, last_missing: 7 } });
    s.receive(sys(8));
    s.receive(sys(9));
    s.resumed('resumed_with_gap', 10);
    expect(errors.filter((e) => e.code === 'RECOVERY_FAILED').map((e) => (e as RecoveryFailedError).reason)).toEqual(['missing']);
    expect(svc.getConnectionHealth('guide')).toMatchObject({ resume: 'failed', gapsDetected: 0 });
  });

  it('a gap after a successful resume is reported and turns the outcome to failed', async () => {
    const { svc, errors } = make();
    await openThenDrop(svc, 3);
    const s = await reconnect(3);
    s.resumed('resumed', 4);
    expect(svc.getConnectionHealth('guide').resume).toBe('resumed');
    s.receive(sys(6));
    expect(errors.find((e) => e instanceof RecoveryFailedError)).toMatchObject({ reason: 'gap_detected', firstMissing: 5, lastMissing: 5 });
    expect(svc.getConnectionHealth('guide').resume).toBe('failed');
  });

  it('a replayed session_updated of an earlier resume does not end this one', async () => {
    const { svc } = make();
    await openThenDrop(svc, 3);
    const s = await reconnect(5);
    s.receive({ type: 'session_updated', timestamp: ts(), session_id: 's1', status: 'resumed', message_id: 'an-earlier-resume', seq: 4 });
    expect(svc.getConnectionStatus('guide')).toBe('resuming');
    s.receive(sys(5));
    s.resumed('resumed', 6);
    expect(svc.getConnectionStatus('guide')).toBe('open');
  });

  it('last_seq_ahead moves the baseline to the server latest_seq, so its next messages are not dropped as duplicates', async () => {
    const { svc, errors } = make();
    await openThenDrop(svc, 9);
    const got: string[] = [];
    svc.subscribe('guide', 'system_message', (m) => got.push(m.message));
    const s = await reconnect(9);
    s.receive({ type: 'error_message', timestamp: ts(), error_code: 'RECOVERY_FAILED', message: 'ahead', error_details: { first_missing: null, last_missing: null, latest_seq: 2, reason: 'last_seq_ahead' } });
    s.resumed('resumed_with_gap', 3);
    s.receive(sys(4, 'next'));
    expect(got).toEqual(['next']);
    expect(errors.map((e) => (e as RecoveryFailedError).reason)).toEqual(['last_seq_ahead']);
    expect(svc.getConnectionHealth('guide')).toMatchObject({ lastSeq: 4, duplicatesDropped: 0, resume: 'failed' });
  });
});

describe('the wait for the end of the replay is bounded', () => {
  it('no session_updated within resumeTimeoutMs: reported, outcome failed, then open with the queue flushed', async () => {
    const { svc, errors, statuses } = make();
    await openThenDrop(svc, 3, { resumeTimeoutMs: 2000 });
    svc.sendMessage('guide', user('A'));
    const s = await reconnect(5);
    await vi.advanceTimersByTimeAsync(1500);
    s.receive(sys(4)); // progress restarts the wait
    await vi.advanceTimersByTimeAsync(1999);
    expect(svc.getConnectionStatus('guide')).toBe('resuming');
    expect(wire(s)).toEqual(['session_resume']);
    await vi.advanceTimersByTimeAsync(1);
    expect(errors.find((e) => e instanceof RecoveryFailedError)).toMatchObject({ reason: 'resume_timeout' });
    expect(statuses[statuses.length - 1]).toMatchObject({ status: 'open', resume: 'failed' });
    expect(wire(s)).toEqual(['session_resume', 'A']);
    s.resumed('resumed', 6); // late: changes nothing
    expect(svc.getConnectionHealth('guide').resume).toBe('failed');
  });

  it('with resume off the connection is open at session_created; a later seq jump is reported as a gap', async () => {
    const { svc, errors, statuses } = make();
    await openThenDrop(svc, 3, { resume: false });
    svc.sendMessage('guide', user('A'));
    const s = await reconnect(5);
    expect(statuses[statuses.length - 1]?.status).toBe('open');
    expect(wire(s)).toEqual(['A']);
    s.receive(sys(6)); // the server went live after its floor: 4 and 5 are lost
    expect(errors.find((e) => e instanceof RecoveryFailedError)).toMatchObject({ reason: 'gap_detected', firstMissing: 4, lastMissing: 5 });
  });

  it('with resume off, a new epoch is reported by the client itself (no RECOVERY_FAILED will come) and counted from 0', async () => {
    const { svc, errors, statuses } = make();
    await openThenDrop(svc, 9, { resume: false });
    const got: string[] = [];
    svc.subscribe('guide', 'system_message', (m) => got.push(m.message));
    await vi.advanceTimersByTimeAsync(1000);
    const s3 = FakeSocket.last();
    s3.open();
    s3.created('s1', 0, SCHEMA_HASH, 'e2'); // the server restarted: a new epoch
    expect(s3.lastResume()).toBeUndefined();
    expect(errors.map((e) => [e.code, (e as RecoveryFailedError).reason])).toEqual([['RECOVERY_FAILED', 'epoch_mismatch']]);
    expect(statuses[statuses.length - 1]?.status).toBe('open');
    s3.receive(sys(1, 'new 1'));
    expect(got).toEqual(['new 1']);
    expect(svc.getConnectionHealth('guide')).toMatchObject({ epoch: 'e2', lastSeq: 1, resume: 'failed', duplicatesDropped: 0 });
  });

  it('the same session with a lower seq in the same epoch is a reset: reported, and the new seq is the baseline', async () => {
    const { svc, errors, statuses } = make();
    await openThenDrop(svc, 9);
    const got: string[] = [];
    svc.subscribe('guide', 'system_message', (m) => got.push(m.message));
    const s = await reconnect(2);
    expect(s.lastResume()).toMatchObject({ last_seq: 2, epoch: 'e1' });
    s.resumed('resumed', 3);
    s.receive(sys(4, 'after reset'));
    expect(errors.map((e) => e.code)).toEqual(['SESSION_RESET']);
    expect(got).toEqual(['after reset']);
    expect(statuses[statuses.length - 1]).toMatchObject({ status: 'open', resume: 'reset' });
  });

  it('a second session_created on an open connection is an invalid frame and changes nothing', async () => {
    const { svc, errors } = make();
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    const s = FakeSocket.last();
    s.accept('s1', 0);
    s.created('s9', 0);
    expect(errors.map((e) => e.code)).toEqual(['INVALID_FRAME']);
    expect(svc.getConnectionHealth('guide')).toMatchObject({ status: 'open', sessionId: 's1' });
    expect(wire(s)).toEqual(['session_resume']);
  });
});
