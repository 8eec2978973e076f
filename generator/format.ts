/**
 * Stage 6: format. One prettier pass over the TypeScript sources, with a
 * pinned configuration so that output is identical on every machine.
 */
import * as prettier from 'prettier';

const OPTIONS: prettier.Options = { parser: 'typescript', printWidth: 120, singleQuote: true, trailingComma: 'all', endOfLine: 'lf' };

/** Formats every `.ts` file of `files` in place (a new map is returned). Other files pass through. */
export async function formatFiles(files: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    [...files].map(async ([name, text]) => {
      out.set(name, name.endsWith('.ts') ? await prettier.format(text, OPTIONS) : text.endsWith('\n') ? text : text + '\n');
    }),
  );
  return new Map([...files.keys()].sort().map((k) => [k, out.get(k)!]));
}
