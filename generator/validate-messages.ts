/**
 * `wsgen validate`: checks JSON or NDJSON messages against a schema with the
 * very code `wsgen generate` emits (runtime.js, validators/*.js, parse.js),
 * loaded from a private temporary folder, so verdicts match the generated code.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { emitTs } from './emit/ts.js';
import type { IR } from './ir.js';

/** One validation problem, as parse.js reports it. */
export interface Issue {
  path: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

/** The parse function of the generated code. */
export type ParseFn = (text: string) => { ok: true; value: unknown } | { ok: false; errors: Issue[] };

/** Emits the JS part of the TS target for `ir` and imports its parseMessage. */
export async function loadParser(ir: IR): Promise<ParseFn> {
  const files = await emitTs(ir, { source: ir.rootFile });
  const dir = mkdtempSync(join(tmpdir(), 'wsgen-validate-'));
  try {
    for (const [name, text] of files) {
      if (!name.endsWith('.js')) continue;
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const mod = (await import(pathToFileURL(join(dir, 'parse.js')).href)) as { parseMessage: ParseFn };
    return mod.parseMessage;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One message to validate: its text and where it came from (file and line). */
export interface MessageSource {
  file: string;
  line: number;
  text: string;
}

/**
 * Splits an input into messages: a document that parses as one JSON value is
 * one message; otherwise every non-empty line is one (NDJSON).
 */
export function splitMessages(file: string, text: string): MessageSource[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    JSON.parse(trimmed);
    return [{ file, line: text.slice(0, text.indexOf(trimmed[0]!)).split('\n').length, text: trimmed }];
  } catch {
    return text
      .split('\n')
      .map((t, i) => ({ file, line: i + 1, text: t.trim() }))
      .filter((m) => m.text !== '');
  }
}
