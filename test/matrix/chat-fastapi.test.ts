// The example chat page (examples/chat, built with Vite) in headless Chromium against the FastAPI server
// (`python -m wsgen_runtime.serve`, issue 11 item 3): the guide, a liaison with a pillar switch, a server
// restart on the same port (the page reconnects by itself) and more chat after it. The browser harness is
// test/e2e's (build, static site with /token, Chromium); the server is the Python one.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, buildExample, launchChromium, serveStatic } from '../e2e/helpers.js';

const PYTHON = join(REPO, '.venv/bin/python');
const TOKEN = 'e2e-fastapi-token';

/** Starts the FastAPI reference server (port 0: a free one); resolves with the process and its port once it listens. */
async function startFastapi(port: number): Promise<{ proc: ChildProcess; port: number }> {
  const env = {
    ...process.env,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONPATH: [join(REPO, 'runtime/python/src'), join(REPO, 'generated/python')].join(delimiter),
  };
  const args = ['-m', 'wsgen_runtime.serve', '--port', String(port), '--token', TOKEN, '--jitter', '0.2', '--log-level', 'warn'];
  const proc = spawn(PYTHON, args, {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const bound = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the FastAPI server printed no URL:\n${out}`)), 20_000);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /guide:\s+ws:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m?.[1] && out.includes('dev token:')) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.stderr?.on('data', (d: Buffer) => void (out += d.toString()));
    proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the FastAPI server exited (${code}):\n${out}`))));
  });
  return { proc, port: bound };
}

/** Stops a server gracefully (SIGTERM: jittered 1012 closes) and waits for its exit. */
async function stop(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return proc.exitCode;
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  proc.kill('SIGTERM');
  return exited;
}

let server: { proc: ChildProcess; port: number };
let site: { url: string; close: () => Promise<void> };
let chrome: { context: BrowserContext; close: () => Promise<void> };

beforeAll(async () => {
  expect(existsSync(PYTHON), 'run `bash scripts/setup-python.sh` first').toBe(true);
  const dist = await buildExample();
  server = await startFastapi(0);
  site = await serveStatic(dist, { '/token': () => TOKEN });
  chrome = await launchChromium();
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await site?.close();
  if (server) await stop(server.proc);
});

const agentReplies = (page: Page, chat: string) => page.locator(`[data-testid=${chat}-messages] li[data-role=agent]`);
const status = (page: Page, chat: string) => page.locator(`[data-testid=${chat}-status]`);

/** Types `text` into a chat, sends it, and waits for the user line and one more agent reply. */
async function chat(page: Page, which: 'guide' | 'liaison', text: string): Promise<void> {
  const before = await agentReplies(page, which).count();
  await page.fill(`[data-testid=${which}-input]`, text);
  await page.locator(`[data-testid=${which}-streaming]`).waitFor({ state: 'detached', timeout: 15_000 });
  await page.click(`[data-testid=${which}-send]`);
  await page
    .locator(`[data-testid=${which}-messages] li[data-role=user]`, {
      hasText: text,
    })
    .waitFor({ timeout: 10_000 });
  await expect.poll(() => agentReplies(page, which).count(), { timeout: 15_000 }).toBeGreaterThan(before);
}

describe('the example chat page against the FastAPI server, in Chromium', () => {
  it('chats with the guide and a liaison, survives a server restart, and keeps going', async () => {
    const page = await chrome.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const q = new URLSearchParams({
      ws: `ws://127.0.0.1:${server.port}`,
      tokenUrl: '/token',
    });
    await page.goto(`${site.url}/index.html?${q}`);
    await expect.poll(() => status(page, 'guide').textContent(), { timeout: 15_000 }).toBe('open');
    await expect.poll(() => status(page, 'liaison').textContent(), { timeout: 15_000 }).toBe('open');

    await chat(page, 'guide', 'hello guide');
    await page.selectOption('[data-testid=pillar]', 'insights');
    await expect.poll(() => status(page, 'liaison').textContent(), { timeout: 15_000 }).toBe('open');
    await chat(page, 'liaison', 'hello insights');

    expect(await stop(server.proc)).toBe(0); // graceful: every connection closed with 1012
    server = await startFastapi(server.port);
    await expect.poll(() => page.locator('[data-testid=reconnects-guide]').textContent(), { timeout: 20_000 }).toBe('1');
    await expect.poll(() => page.locator('[data-testid="reconnects-liaison:insights"]').textContent(), { timeout: 20_000 }).toBe('1');
    await expect.poll(() => status(page, 'guide').textContent(), { timeout: 15_000 }).toBe('open');
    await chat(page, 'guide', 'after restart');
    await chat(page, 'liaison', 'insights after restart');

    const guideText = await page.locator('[data-testid=guide-messages]').innerText();
    expect(guideText).toContain('hello guide');
    expect(guideText).toContain('after restart');
    expect(await page.locator('[data-testid=liaison-messages]').innerText()).toContain('insights after restart');
    expect(await agentReplies(page, 'guide').count()).toBe(2);
    // The heartbeat (every 3 s on this page) fills in the RTT column: the server answers the page's pings.
    await expect
      .poll(() => page.locator('[data-testid=rtt-guide]').textContent(), {
        timeout: 10_000,
      })
      .toMatch(/^\d+ ms$/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
