import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const tsc = (project: string): string => {
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, project)], { stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stdout?: Buffer }).stdout ?? e);
  }
};

describe('the client is typed by its protocol descriptor', () => {
  it('send/sendMessage/subscribe: a misspelt type, a wrong direction or a wrong field is a compile error (bundled and whiteboard)', () => {
    expect(tsc('test/client/types/tsconfig.json')).toBe('');
  }, 120_000);
});

describe('runtime sources compile under a fresh Vite react-ts template', () => {
  it('erasableSyntaxOnly, verbatimModuleSyntax and the template options accept runtime/client and runtime/react', () => {
    expect(tsc('tsconfig.vite-template.json')).toBe('');
  }, 120_000);

  it('the whiteboard example (its page, its generated code and the runtimes) type-checks under the same options', () => {
    expect(tsc('examples/whiteboard/tsconfig.json')).toBe('');
  }, 120_000);
});

describe('runtime/client is generic', () => {
  it('no module under runtime/client or runtime/react imports generated code', () => {
    const offenders: string[] = [];
    for (const dir of ['runtime/client', 'runtime/react']) {
      for (const f of readdirSync(join(ROOT, dir))) {
        if (!/\.tsx?$/.test(f)) continue;
        const text = readFileSync(join(ROOT, dir, f), 'utf8');
        if (/from\s+['"][^'"]*generated\//.test(text) || /import\(\s*['"][^'"]*generated\//.test(text)) offenders.push(`${dir}/${f}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
