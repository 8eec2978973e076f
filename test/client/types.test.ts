import { execFileSync } from 'node:child_process';
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
});
