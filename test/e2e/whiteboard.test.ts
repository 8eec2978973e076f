// End to end: the whiteboard example (a second protocol: tag `op`, no agents,
// pillars or realms) built with Vite, in headless Chromium, against the example's
// whiteboard server on 127.0.0.1. Adds shapes (each comes back as a broadcast
// shape_added), exports the board as a stream, and measures the heartbeat's RTT.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO, buildExample, launchChromium, serveStatic } from './helpers.js';
// @ts-expect-error the example's server is plain JavaScript without declarations
import { startBoardServer } from '../../examples/whiteboard/server.mjs';

let server: { url: string; close: () => Promise<void> };
let site: { url: string; close: () => Promise<void> };
let chrome: { context: BrowserContext; close: () => Promise<void> };

beforeAll(async () => {
  const dist = await buildExample(join(REPO, 'examples/whiteboard'));
  server = await startBoardServer(0);
  site = await serveStatic(dist);
  chrome = await launchChromium();
}, 90_000);

afterAll(async () => {
  await chrome?.close();
  await site?.close();
  await server?.close();
});

describe('whiteboard example page in Chromium', () => {
  it('connects, adds shapes, streams an export, and heartbeats over the whiteboard protocol', async () => {
    const page = await chrome.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}/index.html?${new URLSearchParams({ ws: server.url })}`);
    await expect.poll(() => page.locator('[data-testid=status]').textContent(), { timeout: 10_000 }).toBe('open');
    await page.click('[data-testid=add]');
    await page.click('[data-testid=add]');
    await expect.poll(() => page.locator('[data-testid=shapes] li').count(), { timeout: 10_000 }).toBe(2);
    await page.click('[data-testid=export]');
    await expect.poll(() => page.locator('[data-testid=export-text]').getAttribute('data-complete'), { timeout: 10_000 }).toBe('yes');
    expect(await page.locator('[data-testid=export-text]').textContent()).toBe('<svg><rect x="0" y="0"/><rect x="10" y="10"/></svg>');
    await expect.poll(() => page.locator('[data-testid=rtt]').textContent(), { timeout: 10_000 }).toMatch(/^\d+ ms$/);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
