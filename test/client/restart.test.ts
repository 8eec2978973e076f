import type { Protocol } from '../../generated/ts/index.js';
// Item 2 of issue 8, client side: a server restart gives the session's stream a new
// epoch. When another client (same token) has already taken the new stream past or
// below our last seq, our resume must fail explicitly (RECOVERY_FAILED epoch_mismatch,
// resume 'failed', never 'resumed') and deliver the new epoch from seq 1, each message
// once. Against the real server, restarted on the same port.
import { ChatService } from '../../runtime/chat/client.js';
import { afterEach, describe, expect, it } from 'vitest';
import { RecoveryFailedError, WebSocketService, type ServerMessage, type StatusEvent, type WsClientError } from '../../runtime/client/index.js';
import { connect as rawConnect, startServer, type TestServer as RealServer } from '../server/helpers.js';
import { CutProxy } from './helpers/proxy.js';
import { waitFor } from './helpers/wait.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

const sys = (message: string) => ({ type: 'system_message', timestamp: new Date().toISOString(), message }) as ServerMessage<Protocol>;

describe('resume after a server restart (new epoch, real server)', () => {
  for (const advanced of [62, 10, 0]) {
    it(`another client took the new stream to seq ${advanced}: RECOVERY_FAILED epoch_mismatch, the new epoch from seq 1, nothing dropped`, async () => {
      const first: RealServer = await startServer();
      let server = first;
      cleanup.push(() => server.close());
      const port = first.server.address().port;
      const proxy = await CutProxy.start(port);
      cleanup.push(() => proxy.close());
      const svc = new ChatService({ baseUrl: proxy.url, defaults: { backoff: { minDelayMs: 20, maxDelayMs: 100 } } });
      cleanup.push(() => svc.dispose());
      const errors: WsClientError[] = [];
      const statuses: StatusEvent[] = [];
      const texts: string[] = [];
      svc.onError('guide', (e) => errors.push(e));
      svc.onStatus('guide', (e) => statuses.push(e));
      svc.subscribe('guide', 'system_message', (m) => texts.push(m.message));
      const token = first.issue();

      // Client 1 processes the old stream up to seq 42 (its first resume's session_updated is seq 1).
      await svc.connectToGuide(token);
      const sessionId = svc.getConnectionHealth('guide').sessionId as string;
      const oldEpoch = svc.getConnectionHealth('guide').epoch;
      for (let i = 0; i < 41; i++) first.server.core.sendToSession(sessionId, 'guide', sys(`old ${i + 2}`));
      await waitFor(() => svc.getConnectionHealth('guide').lastSeq === 42, 5000, 'seq 42');

      // The network drops, the server restarts (same port, same tokens, sessions in memory are gone).
      proxy.down();
      await waitFor(() => svc.getConnectionStatus('guide') === 'reconnecting', 3000, 'reconnecting');
      await first.close();
      server = await startServer({ validator: first.validator, port });

      // Client 2, same token, connects first and its stream reaches `advanced`.
      const other = await rawConnect(server.url('/api/ws/guide'), token);
      cleanup.push(() => other.close());
      const newEpoch = await other.epoch();
      expect(newEpoch).not.toBe(oldEpoch);
      for (let i = 1; i <= advanced; i++) expect(server.server.core.sendToSession(sessionId, 'guide', sys(`new ${i}`))).toBe(true);

      // Client 1 comes back.
      const fromStatus = statuses.length;
      const fromText = texts.length;
      proxy.up();
      await waitFor(() => statuses.slice(fromStatus).some((e) => e.status === 'open'), 5000, 'open again');
      const recovery = errors.filter((e): e is RecoveryFailedError => e instanceof RecoveryFailedError);
      expect(recovery.map((e) => e.reason)).toEqual(['epoch_mismatch']);
      expect(texts.slice(fromText)).toEqual(Array.from({ length: advanced }, (_, i) => `new ${i + 1}`));
      const after = statuses.slice(fromStatus);
      expect(after.filter((e) => e.resume === 'resumed')).toEqual([]);
      expect(after[after.length - 1]).toMatchObject({ status: 'open', resume: 'failed' });
      // The new epoch's session_updated (seq advanced + 1) ends the replay.
      expect(svc.getConnectionHealth('guide')).toMatchObject({ epoch: newEpoch, lastSeq: advanced + 1, duplicatesDropped: 0, gapsDetected: 0, resume: 'failed' });

      // Live traffic of the new epoch keeps flowing.
      server.server.core.sendToSession(sessionId, 'guide', sys('live'));
      await waitFor(() => texts.includes('live'), 3000, 'live message');
    });
  }
});
