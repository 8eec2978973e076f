// What a browser app pays for the generated code, measured by a real Vite
// production build (bench/bundle/vite-size.mjs): importing one type's guard
// pulls that type's validator only (plus the shared base fields and runtime),
// and the whole protocol (parseMessage) stays under its budget.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, viteBundle } from '../../bench/bundle/vite-size.mjs';
import { MESSAGE_TYPE_VALUES } from '../../generated/ts/enums.js';
import { grammarsIn } from './format-grammars.js';

/** The tags whose own validator a bundle holds: ajv's code checks its tag with a `const` keyword, the type's fast verdict with `data.type === tag` (minified, maybe `!==`). */
function constTags(code: string): string[] {
  const keyword = [...code.matchAll(/allowedValue:\s*(["'`])([^"'`]+)\1/g)].map((m) => m[2]!);
  // runtime.js compares a field schema's `type` with JSON Schema's type names the same way: those are no tags of this schema.
  const typeNames = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
  const verdict = [...code.matchAll(/\.type\s*[!=]==\s*(["'`])([^"'`]+)\1/g)].map((m) => m[2]!).filter((t) => !typeNames.has(t));
  return [...new Set([...keyword, ...verdict])].sort();
}

describe('bundles of the generated protocol (Vite build)', () => {
  it('one type\'s guard pulls only that type\'s verdict, without the code that builds errors, in at most 8 KB minified', async () => {
    const { code, bytes } = await viteBundle('generated/ts/guards.ts', ['isPing']);
    expect(constTags(code)).toEqual(['ping']);
    // A guard needs the verdict only: neither ajv's own code of the type (its error messages) nor the base fields' errors.
    for (const text of ['must NOT have additional properties', 'must be equal to constant', 'must match format']) expect(code.includes(text), text).toBe(false);
    expect(bytes).toBeLessThanOrEqual(8 * 1024);
  });

  it('one type\'s guard leaves out the format checkers it does not use (formats.js and its grammars)', async () => {
    // The bundled protocol checks date-time and uuid only: runtime.js's own checkers, imported by name.
    const { code } = await viteBundle('generated/ts/guards.ts', ['isPing']);
    expect(grammarsIn(code).filter((n) => n !== 'uuid')).toEqual([]);
    for (const name of ['uri-reference', 'relative-json-pointer', 'ipv6', 'duration']) expect(code.includes(name), name).toBe(false);
  });

  it('one type\'s validator alone pulls only that type\'s validator', async () => {
    const { code } = await viteBundle('generated/ts/validators/index.js', ['validateSessionCreated']);
    expect(constTags(code)).toEqual(['session_created']);
  });

  it('parseMessage pulls every type\'s validator, in at most 60 KB minified', async () => {
    const { code, bytes } = await viteBundle('generated/ts/parse.js', ['parseMessage']);
    expect(constTags(code)).toEqual([...MESSAGE_TYPE_VALUES].sort());
    expect(bytes).toBeLessThanOrEqual(60 * 1024);
  });

  it('builds every error through runtime.js\'s ajvError, never an object literal per error', () => {
    const dir = join(ROOT, 'generated/ts/validators');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
      const code = readFileSync(join(dir, f), 'utf8');
      expect(code.includes('{instancePath'), f).toBe(false);
      if (code.includes('.errors = [')) expect(code, f).toMatch(/ajvError\(/);
    }
  });
}, 60_000);

/** A string only each capability plugin's code holds (runtime/client/capability.ts lists the modules). */
const PLUGIN_MARKERS = {
  heartbeat: 'heartbeat timeout: no pong', // heartbeat.ts
  resume: 'as the first message of a connection', // resume.ts
  streams: 'after-complete', // streaming.ts
  requests: 'no reply within', // RequestTimeoutError, raised by replies.ts only
} as const;
type Plugin = keyof typeof PLUGIN_MARKERS;
const PLUGINS = Object.keys(PLUGIN_MARKERS) as Plugin[];
const markersIn = (code: string): Plugin[] => PLUGINS.filter((p) => code.includes(PLUGIN_MARKERS[p]));

describe('bundles of the client runtime (Vite build)', () => {
  it('the minimal client (WebSocketClient, no plugins) holds no plugin code, in at most 25 KB minified', async () => {
    const { code, bytes } = await viteBundle('runtime/client/index.ts', ['WebSocketClient']);
    expect(markersIn(code)).toEqual([]);
    expect(bytes).toBeLessThanOrEqual(25 * 1024);
  });

  it('WebSocketService holds every plugin', async () => {
    const { code } = await viteBundle('runtime/client/index.ts', ['WebSocketService']);
    expect(markersIn(code)).toEqual(PLUGINS);
  });

  it.each(PLUGINS)('WebSocketClient with %s() holds that plugin only', async (plugin) => {
    const { code } = await viteBundle('runtime/client/index.ts', ['WebSocketClient', plugin]);
    expect(markersIn(code)).toEqual([plugin]);
  });
}, 120_000);
