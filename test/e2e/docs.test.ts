// The HTML page of `wsgen docs` in headless Chromium (README "wsgen docs"):
// for the bundled protocol, the whiteboard fixture and mini, every message
// type, field, constraint, enum value and error and close code is on the page
// (read from the IR, found in the rendered DOM); at a 390 px viewport the page
// body does not scroll sideways and no text box is cut; and a schema whose texts
// are markup and script shows them as text and runs nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes, errorCodes } from '../../generator/code-tables.js';
import { ExitCode, main } from '../../generator/cli.js';
import { constraints } from '../../generator/docs/describe.js';
import { schemaToIR } from '../../generator/index.js';
import { objectByName, type IR } from '../../generator/ir.js';
import { HOSTILE_HTML } from '../generator/hostile-html.js';
import { ROOT, tempDir, writeSchema } from '../generator/helpers.js';
import { launchChromium } from './helpers.js';

const PROTOCOLS = [
  ['bundled', join(ROOT, 'schema')],
  ['whiteboard', join(ROOT, 'test', 'fixtures', 'whiteboard')],
  ['mini', join(ROOT, 'test', 'fixtures', 'mini')],
] as const;

let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.context.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** Writes the page of `schema` and opens it at `width` px. */
async function open(schema: string, width: number): Promise<void> {
  const out = join(tempDir('wsgen-docs-'), 'protocol.html');
  expect(await main(['docs', '--schema', schema, '--out', out])).toBe(ExitCode.OK);
  await page.setViewportSize({ width, height: 844 });
  await page.goto('file://' + out);
}

/** The text of the section of each message type (by tag), of the whole page, and of each table row (cells joined by `|`). */
async function texts(): Promise<{ sections: Record<string, string>; all: string; rows: string[] }> {
  return page.evaluate(() => {
    const norm = (s: string | null): string => (s ?? '').replace(/\s+/g, ' ').trim();
    const sections: Record<string, string> = {};
    for (const s of Array.from(document.querySelectorAll('section.message'))) sections[norm(s.querySelector('h3 code')?.textContent ?? '')] = norm(s.textContent);
    const rows = Array.from(document.querySelectorAll('tr')).map((tr) => Array.from(tr.cells).map((c) => norm(c.textContent)).join('|'));
    return { sections, all: norm(document.body.textContent), rows };
  });
}

/** What the page must show of `ir`, per message type. */
function expected(ir: IR): Array<{ tag: string; fields: string[]; constraints: string[] }> {
  return ir.union!.variants.map((v) => {
    const o = objectByName(ir, v.object);
    return { tag: v.tag, fields: o.properties.map((p) => p.name), constraints: o.properties.flatMap((p) => constraints(ir, p.type)) };
  });
}

describe.each(PROTOCOLS)('wsgen docs in Chromium: %s', (_name, schema) => {
  const ir = schemaToIR(schema);

  it('shows every message type with its direction, fields, constraints and example, every enum value and every code', async () => {
    await open(schema, 1280);
    const { sections, all, rows } = await texts();
    const has = (row: string): boolean => rows.some((r) => r.startsWith(row));
    expect(Object.keys(sections)).toEqual(ir.union!.variants.map((v) => v.tag));
    for (const m of expected(ir)) {
      const s = sections[m.tag]!;
      const dir = ir.roles.messages.find((r) => r.tag === m.tag)!.direction;
      expect(s.includes({ client: 'client → server', server: 'server → client', both: 'both ways' }[dir]), m.tag).toBe(true);
      for (const f of m.fields) expect(s.includes(f), `${m.tag}.${f}`).toBe(true);
      for (const c of m.constraints) expect(s.includes(c), `${m.tag}: ${c}`).toBe(true);
      expect(s.includes('Example (accepted by the generated validator)'), m.tag).toBe(true);
    }
    for (const e of ir.enums) for (const v of e.members) expect(has(`${v.name}|${JSON.stringify(v.value)}|`), `${e.name} ${v.name}`).toBe(true);
    for (const c of errorCodes(ir)) expect(has(`${c.value}${c.name !== c.value ? ' ' + c.name : ''}|${c.retryable === undefined ? '' : c.retryable ? 'yes' : 'no'}|`), `error code ${c.name}`).toBe(true);
    for (const c of closeCodes(ir)) expect(has(`${c.value}|${c.name}|${c.retryable ? 'reconnect' : 'stop'}|`), `close code ${c.name}`).toBe(true);
    for (const [role, tag] of ir.roles.roles) expect(has(`${role}|${tag}`), role).toBe(true);
    for (const [role, field] of ir.roles.fields) expect(has(`${role}|${field}`), role).toBe(true);
    expect(all.includes(`${ir.union!.name} ${ir.version}`)).toBe(true);
    expect(all.includes(`sha256:${ir.semanticHash}`)).toBe(true);
  });

  it('is readable at 390 px: the body does not scroll sideways and no text box is cut', async () => {
    await open(schema, 390);
    const r = await page.evaluate(() => {
      const root = document.documentElement;
      const boxes = Array.from(document.querySelectorAll('h1, h2, h3, p, dd, dt, li, td, th, pre'));
      const cut = boxes.filter((el) => el.getBoundingClientRect().width > 0 && el.scrollWidth > el.clientWidth + 1).map((el) => el.outerHTML.slice(0, 120));
      const outside = boxes.filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5).map((el) => el.outerHTML.slice(0, 120));
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, bodyScroll: document.body.scrollWidth, cut, outside, fontPx: parseFloat(getComputedStyle(document.body).fontSize) };
    });
    expect(r.clientWidth).toBe(390);
    expect(r.scrollWidth).toBe(390);
    expect(r.bodyScroll).toBeLessThanOrEqual(390);
    expect(r.cut).toEqual([]);
    expect(r.outside).toEqual([]);
    expect(r.fontPx).toBeGreaterThanOrEqual(16);
  });

  it('at 390 px every row of a stacked table that shows has content (no empty description row)', async () => {
    await open(schema, 390);
    const r = await page.evaluate(() => {
      const cells = Array.from(document.querySelectorAll<HTMLTableCellElement>('table.stack td'));
      const shown = cells.filter((td) => getComputedStyle(td).display !== 'none');
      return { cells: cells.length, hidden: cells.length - shown.length, blank: shown.filter((td) => (td.textContent ?? '').trim() === '').map((td) => td.outerHTML.slice(0, 120)) };
    });
    expect(r.cells).toBeGreaterThan(0);
    expect(r.blank).toEqual([]);
  });
});

describe('wsgen docs in Chromium: a schema whose texts are markup', () => {
  it('shows them as text and runs nothing', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
    await open(writeSchema({ 'hostile.schema.json': HOSTILE_HTML }), 1280);
    const r = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
      injected: ['injected', 'tag', 'field'].filter((id) => document.getElementById(id) !== null),
      scripts: document.scripts.length,
      images: document.images.length,
      svgs: document.querySelectorAll('svg').length,
      text: document.body.textContent ?? '',
    }));
    expect(r).toMatchObject({ pwned: null, injected: [], scripts: 0, images: 0, svgs: 0 });
    expect(dialogs).toEqual([]);
    const schema = JSON.parse(HOSTILE_HTML) as { description: string; $defs: { Say: { description: string } } };
    expect(r.text).toContain(schema.description);
    expect(r.text).toContain(schema.$defs.Say.description);
    expect(r.text).toContain('<i>name</i>');
    expect(readFileSync(join(ROOT, 'generator', 'templates', 'docs', 'head.html.hbs'), 'utf8')).not.toContain('<script');
  });
});
