import { readFileSync } from 'node:fs';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';
import * as errors from '../../runtime/client/errors.js';
import { RecoveryFailedError } from '../../runtime/client/errors.js';

const SOURCE = new URL('../../runtime/client/errors.ts', import.meta.url);

/** Every error class errors.ts exports, by its exported name. */
function errorClasses(mod: Record<string, unknown>): [string, { prototype: unknown }][] {
  return Object.entries(mod).filter(
    (e): e is [string, { prototype: unknown }] => typeof e[1] === 'function' && (e[1] === mod.WsClientError || (e[1] as { prototype: unknown }).prototype instanceof (mod.WsClientError as typeof Error)),
  );
}

describe('client errors', () => {
  it('every error class names itself with a literal, so a minified bundle keeps the names (a Vite production build showed "C: …")', async () => {
    const out = await build({ input: SOURCE.pathname, write: false, output: { format: 'esm', minify: true } });
    const code = out.output[0].code;
    const minified = (await import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'))) as Record<string, unknown>;
    const classes = errorClasses(minified);
    expect(classes.map(([n]) => n).sort()).toEqual(errorClasses(errors as Record<string, unknown>).map(([n]) => n).sort());
    expect(classes.length).toBeGreaterThan(10);
    const src = readFileSync(SOURCE, 'utf8');
    for (const [name] of classes) expect(src).toContain(`export class ${name} extends`), expect(src).toMatch(new RegExp(`class ${name} extends \\w+ \\{[^}]*?override name = '${name}';`));
    const Recovery = minified.RecoveryFailedError as typeof RecoveryFailedError;
    const err = new Recovery(3, 5, {}, 'missing');
    expect(err.name).toBe('RecoveryFailedError');
    expect(String(err)).toMatch(/^RecoveryFailedError: session recovery failed/);
  });

  it.each([
    [3, 5, 'server messages 3 to 5 are lost'],
    [4, 4, 'server message 4 is lost'],
    [7, undefined, 'server messages from 7 on are lost'],
    [undefined, 9, 'server messages up to 9 are lost'],
    [undefined, undefined, 'an unknown number of server messages are lost'],
  ] as const)('RECOVERY_FAILED from %s to %s says "%s" (never "?..?")', (first, last, words) => {
    const err = new RecoveryFailedError(first, last, {}, 'epoch_mismatch');
    expect(err.message).toContain(words);
    expect(err.message).not.toContain('?');
    expect(err.code).toBe('RECOVERY_FAILED');
  });
});
