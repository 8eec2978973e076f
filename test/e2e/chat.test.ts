// End to end: the example page (built with Vite) in headless Chromium, against a
// live server on 127.0.0.1. Guide chat, liaison chat with a pillar switch, a server
// restart, reconnection, and a screenshot in test-results/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceBackend, testServerBackend, type Backend } from './backend.js';
import { REPO, buildExample, launchChromium, serveStatic } from './helpers.js';

let backend: Backend;
let site: { url: string; close: () => Promise<void> };
let chrome: { context: BrowserContext; close: () => Promise<void> };
const pageErrors: string[] = [];

beforeAll(async () => {
  const dist = await buildExample();
  backend = process.env['WSGEN_E2E_SERVER'] === 'test' ? await testServerBackend() : await referenceBackend();
  // The page fetches its token from /token on every (re)connect: the reference server issues a new one per start.
  site = await serveStatic(dist, { '/token': () => backend.token });
  chrome = await launchChromium();
}, 90_000);

afterAll(async () => {
  await chrome?.close();
  await site?.close();
  await backend?.stop();
});

async function send(page: Page, chat: 'guide' | 'liaison', text: string): Promise<void> {
  const before = await page.locator(`[data-testid=${chat}-messages] li[data-role=agent]`).count();
  await page.fill(`[data-testid=${chat}-input]`, text);
  await page.locator(`[data-testid=${chat}-streaming]`).waitFor({ state: 'detached', timeout: 15_000 });
  await page.click(`[data-testid=${chat}-send]`);
  await page.locator(`[data-testid=${chat}-messages] li[data-role=user]`, { hasText: text }).waitFor({ timeout: 10_000 });
  // Wait for one more agent reply.
  await page.waitForFunction(
    ({ sel, n }) => document.querySelectorAll(sel).length > n,
    { sel: `[data-testid=${chat}-messages] li[data-role=agent]`, n: before },
    { timeout: 15_000 },
  );
}

const status = (page: Page, chat: string) => page.locator(`[data-testid=${chat}-status]`);

describe('example chat page in Chromium', () => {
  it('chats with the guide and a liaison, survives a server restart, and keeps going', async () => {
    const page = await chrome.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const q = new URLSearchParams({ ws: backend.wsUrl, tokenUrl: '/token' });
    await page.goto(`${site.url}/index.html?${q}`);
    await expect.poll(() => status(page, 'guide').textContent(), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => status(page, 'liaison').textContent(), { timeout: 10_000 }).toBe('open');

    await send(page, 'guide', 'hello guide');
    await page.selectOption('[data-testid=pillar]', 'insights');
    await expect.poll(() => status(page, 'liaison').textContent(), { timeout: 10_000 }).toBe('open');
    await send(page, 'liaison', 'hello insights');

    await backend.restart();
    // The page notices, reconnects (the reconnect counter moves) and goes on.
    await expect.poll(() => page.locator('[data-testid=reconnects-guide]').textContent(), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => page.locator('[data-testid="reconnects-liaison:insights"]').textContent(), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => status(page, 'guide').textContent(), { timeout: 10_000 }).toBe('open');
    await send(page, 'guide', 'after restart');
    await send(page, 'liaison', 'insights after restart');

    const guideText = await page.locator('[data-testid=guide-messages]').innerText();
    expect(guideText).toContain('hello guide');
    expect(guideText).toContain('after restart');
    const liaisonText = await page.locator('[data-testid=liaison-messages]').innerText();
    expect(liaisonText).toContain('insights after restart');
    expect(await page.locator('[data-testid=guide-messages] li[data-role=agent]').count()).toBe(2);

    mkdirSync(join(REPO, 'test-results'), { recursive: true });
    // The heartbeat (every 3 s on this page) fills in the RTT column.
    await expect.poll(() => page.locator('[data-testid=rtt-guide]').textContent(), { timeout: 10_000 }).toMatch(/^\d+ ms$/);
    await page.screenshot({ path: join(REPO, `test-results/${backend.name === 'reference server' ? 'e2e-chat-reference' : 'e2e-chat'}.png`), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);
});
