// The client option failoverUrls: after a failed or lost connection, each reconnect attempt dials the next URL of
// [url, ...failoverUrls] in turn (runtime/client/README.md), so a client of a dead node reaches a live one.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatService } from '../../runtime/chat/client.js';
import { startServer } from '../server/helpers.js';
import { waitFor } from './helpers/wait.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

/** A port nothing listens on (bound, then released). */
function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('failoverUrls', () => {
  it('a client whose URL is dead connects to the next URL of the list', async () => {
    const live = await startServer();
    cleanup.push(() => live.close());
    const dead = `ws://127.0.0.1:${await deadPort()}/api/ws/guide`;
    const svc = new ChatService({ baseUrl: 'ws://127.0.0.1:1', browserProbes: false, defaults: { backoff: { minDelayMs: 10, maxDelayMs: 50 } } });
    cleanup.push(() => svc.dispose());
    await svc.connect('guide', dead, { token: live.issue(), failoverUrls: [live.url('/api/ws/guide')] });
    expect(svc.getConnectionStatus('guide')).toBe('open');
    expect(svc.getConnectionHealth('guide').connectAttempts).toBe(2);
    expect(svc.getConnectionHealth('guide').url).toBe(live.url('/api/ws/guide')); // the URL in use, not the dead one
  });

  it('a client whose node shuts down reconnects to the other URL', async () => {
    const one = await startServer();
    const two = await startServer({ validator: one.validator });
    cleanup.push(() => two.close());
    const svc = new ChatService({ baseUrl: 'ws://127.0.0.1:1', browserProbes: false, defaults: { backoff: { minDelayMs: 10, maxDelayMs: 50 } } });
    cleanup.push(() => svc.dispose());
    await svc.connect('guide', one.url('/api/ws/guide'), { token: one.issue(), failoverUrls: [two.url('/api/ws/guide')] });
    await one.close();
    await waitFor(() => svc.getConnectionHealth('guide').reconnectCount === 1 && svc.getConnectionStatus('guide') === 'open', 5000, 'open on two');
    expect(two.server.core.registry.size).toBe(1);
    expect(svc.getConnectionHealth('guide').url).toBe(two.url('/api/ws/guide'));
  });
});
