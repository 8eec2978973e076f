/**
 * Where a generated TypeScript module finds the checker of a string format, by name: each
 * checker is its own named ESM export (runtime.js's `isDateTime` and `isUuid`, formats.js's
 * `isEmail`, `isUriReference`, …), so a bundler keeps only the checkers (and grammars) of the
 * formats the imported validators use (issue 10: importing one type's guard pulls only that
 * validator). Never one object of every checker, which would keep every grammar alive.
 */
import { FORMAT_GRAMMARS, type GrammarFormat } from '../formats.js';
import { jsLiteral } from '../templates.js';

/** The string formats runtime.js exports a checker of by name (wire-formats.js: exact code, no grammar). */
export const NAMED_FORMAT_CHECKERS: Readonly<Record<string, string>> = { 'date-time': 'isDateTime', uuid: 'isUuid' };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The name formats.js exports the checker of grammar format `format` under: `is` and the format
 * name in camel case (`email` → `isEmail`, `uri-reference` → `isUriReference`).
 * @throws {Error} when the name is not a plain identifier (an internal bug: the names are fixed).
 */
export function grammarCheckerName(format: GrammarFormat): string {
  const name = `is${format.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;
  if (!IDENTIFIER.test(name)) throw new Error(`internal: format ${JSON.stringify(format)} gives no identifier`);
  return name;
}

/** Where the checker of one format lives: runtime.js or formats.js, and its exported name. */
export interface FormatChecker {
  readonly module: 'runtime' | 'formats';
  readonly name: string;
}

/**
 * The checker of `format` (a format wsgen asserts, checkStringFormat in formats.ts).
 * @throws {Error} for a format wsgen does not assert (an internal bug: the IR refuses those).
 */
export function formatChecker(format: string): FormatChecker {
  const named = NAMED_FORMAT_CHECKERS[format];
  if (named) return { module: 'runtime', name: named };
  if (!Object.hasOwn(FORMAT_GRAMMARS, format)) throw new Error(`internal: no checker of format ${JSON.stringify(format)}`);
  return { module: 'formats', name: grammarCheckerName(format as GrammarFormat) };
}

/**
 * The import line of formats.js's checkers `names` (sorted, each once), or no line when `names` is empty.
 * @param from the module specifier of formats.js from the importing module (`../formats.js` from validators/).
 */
export function formatsImport(names: Iterable<string>, from: '../formats.js' | './formats.js' = '../formats.js'): string[] {
  const sorted = [...new Set(names)].sort();
  return sorted.length ? [`import { ${sorted.join(', ')} } from '${from}';`] : [];
}

/**
 * The object literal `{ "email": isEmail, "date-time": isDateTime }` of the checkers of `formats`, for
 * runtime.js's tables; adds each name to `runtime` or `grammar` by the module it is imported from.
 */
export function checkerTable(formats: readonly string[], runtime: { add(name: string): unknown }, grammar: { add(name: string): unknown }): string {
  if (!formats.length) return '{}';
  return `{ ${formats
    .map((f) => {
      const c = formatChecker(f);
      (c.module === 'runtime' ? runtime : grammar).add(c.name);
      return `${jsLiteral(f)}: ${c.name}`;
    })
    .join(', ')} }`;
}

/** The standard each grammar format's checker follows, for its TSDoc (README "Formats" gives each rule in full). */
const STANDARDS: Readonly<Record<GrammarFormat, string>> = {
  date: 'RFC 3339 §5.6 full-date, a real day of the proleptic Gregorian calendar',
  time: 'RFC 3339 §5.6 full-time; second 60 only at 23:59 UTC',
  duration: 'RFC 3339 Appendix A duration, digits only',
  email: 'RFC 5321 §4.1.2 Mailbox, ASCII',
  ipv4: 'RFC 3986 §3.2.2 IPv4address: four dec-octets without leading zeros',
  ipv6: 'RFC 4291 §2.2 text forms (RFC 3986 IPv6address); no zone, no prefix',
  uri: 'RFC 3986 §3 URI',
  'uri-reference': 'RFC 3986 §4.1 URI-reference',
  iri: 'RFC 3987 §2.2 IRI',
  'iri-reference': 'RFC 3987 §2.2 IRI-reference',
  'uri-template': 'RFC 6570 §2 URI-Template, level 4 (literals as verified erratum 6937 reads them)',
  'json-pointer': 'RFC 6901 §3 JSON pointer',
  'relative-json-pointer': 'draft-handrews-relative-json-pointer-01 §3 relative JSON pointer',
  uuid: 'RFC 9562 §4 UUID in its 8-4-4-4-12 hex form, any case',
};

/**
 * The anchored RegExp literal of a grammar source, `/^(?:source)$/`: every `/` not already escaped written `\/` (an
 * identity escape, the same character in and out of a class), so the literal reads back as the same expression, the
 * same text on every machine (not RegExp#source, whose escaping is the engine's).
 * @throws {Error} on a line terminator, which a literal cannot hold (an internal bug: the grammars hold none).
 */
export function grammarLiteral(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') out += c + (source[++i] ?? '');
    else if (c === '/') out += '\\/';
    else if ('\n\r\u2028\u2029'.includes(c)) throw new Error(`internal: a line terminator in a format grammar at ${i}`);
    else out += c;
  }
  return `/^(?:${out})$/`;
}

/** The rule a grammar cannot say, run after it (functions of templates/ts/formats.js.hbs). */
const AFTER_GRAMMAR: Readonly<Partial<Record<GrammarFormat, string>>> = { date: 'calendarDay', time: 'leapSecond' };

/**
 * The checkers of formats.js: per grammar format (generator/formats.ts order) its anchored expression as a
 * RegExp literal and its checker as a named export, then `grammarFormats`, every checker by format name (for
 * tools and tests: a validator imports its checkers by name, so that a bundler keeps only those).
 */
export function formatsModuleCheckers(): string {
  const entries = Object.entries(FORMAT_GRAMMARS) as Array<[GrammarFormat, string]>;
  const blocks = entries.map(([format, source]) => {
    const grammar = `${format.toUpperCase().replace(/-/g, '_')}_GRAMMAR`;
    const literal = grammarLiteral(source);
    const after = AFTER_GRAMMAR[format];
    return [
      `const ${grammar} = ${literal};`,
      '',
      `/**`,
      ` * Format ${JSON.stringify(format)}: ${STANDARDS[format]}.`,
      ' * @param {string} s',
      ' * @returns {boolean}',
      ' */',
      `export function ${grammarCheckerName(format)}(s) {`,
      `  return ${grammar}.test(s)${after ? ` && ${after}(s)` : ''};`,
      '}',
    ].join('\n');
  });
  const table = entries.map(([format]) => `  ${/^[a-z0-9]+$/.test(format) ? format : jsLiteral(format)}: ${grammarCheckerName(format)},`);
  return [
    ...blocks,
    ['/** Every checker above by format name, for tools and tests (a validator imports its own checkers by name). */', 'export const grammarFormats = {', ...table, '};'].join('\n'),
  ].join('\n\n');
}
