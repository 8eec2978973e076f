/**
 * Stage 6: format. The emitters write finished code (indented, quoted and
 * wrapped by construction), so this pass only normalizes whitespace: LF line
 * ends, no trailing spaces, at most one blank line in a row, one final newline;
 * in Python files, PEP 8's two blank lines around top-level functions and classes.
 * Prettier was measured as the slowest step of generation (1.3 s of 2.9 s at
 * 1000 message types) for no change in meaning, so wsgen does not run it.
 */

/**
 * Normalizes the whitespace of one generated file. Each pattern is linear in the text:
 * a run of blanks is tried from its first character only (`/[ \t]+$/gm` retries it from
 * each one: quadratic in the run), and the final newlines are counted from the end
 * (`/\n*$/` is tried at every position of the text).
 */
export function formatText(text: string): string {
  const t = (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text)
    .replace(/(?<![ \t])[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '');
  return withOneFinalNewline(t);
}

/**
 * Trailing blanks off each line (lines end at LF only), at most two blank lines in a row, exactly one
 * final newline: the Python emitter's tidying, linear like formatText.
 */
export function tidyLines(text: string): string {
  // A multiline `$` would end a line at CR, U+2028 and U+2029 too.
  return withOneFinalNewline(text.replace(/(?<![ \t])[ \t]+(?=\n|$)/g, '').replace(/\n{4,}/g, '\n\n\n'));
}

/** `text` without its final line ends (LF), plus one: what `text.replace(/\n*$/, '\n')` gives, counted from the end. */
export function withOneFinalNewline(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return `${text.slice(0, end)}\n`;
}

/** A top-level function or class; a decorator line starts one too. */
const PY_DEF = /^(?:async def |def |class )/;

/**
 * PEP 8 blank lines for Python (pycodestyle E302/E305): exactly two blank lines
 * before a top-level `def`, `class` or decorator (and the comments attached to
 * it), and after the body of one before the next top-level statement. Expects
 * text that formatText already normalized; leaves everything else alone.
 */
export function formatPython(text: string): string {
  const lines = formatText(text).split('\n');
  const out: string[] = [];
  let inBlock = false; // inside the body of a top-level def or class
  let inString = false; // inside a top-level triple-quoted string
  for (const line of lines) {
    const topLevel = line !== '' && !/^\s/.test(line) && !inString;
    if (topLevel && !line.startsWith(')') && !line.startsWith(']') && !line.startsWith('}')) {
      const starts = PY_DEF.test(line) || line.startsWith('@');
      const afterDecorator = out.length > 0 && out[out.length - 1]!.startsWith('@');
      if ((starts && !afterDecorator) || inBlock) {
        // Two blank lines before the comments attached to this line, if any.
        let at = out.length;
        while (at > 0 && out[at - 1]!.startsWith('#')) at--;
        let blanks = 0;
        while (at - blanks > 0 && out[at - blanks - 1] === '') blanks++;
        if (at - blanks > 0) out.splice(at - blanks, blanks, '', '');
      }
      // A decorator starts a new definition: the body of the previous one ended there.
      inBlock = !line.startsWith('@') && PY_DEF.test(line);
    }
    if ((line.match(/"""/g) ?? []).length % 2 === 1 && !/^\s/.test(line)) inString = !inString;
    out.push(line);
  }
  return out.join('\n');
}

/** Formats every file; the map comes back sorted by name. */
export async function formatFiles(files: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  return new Map([...files.keys()].sort().map((k) => [k, k.endsWith('.py') ? formatPython(files.get(k)!) : formatText(files.get(k)!)]));
}
