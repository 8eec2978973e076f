/**
 * The grammars of the string formats wsgen asserts, written once and copied
 * into both targets (generated/ts/formats.js and the Python `_formats.py`), so
 * that TypeScript and Python run the same regular expression on every string.
 *
 * Each source uses only what JavaScript (no flags) and Python's `re` read the
 * same way: character classes written out (never `\d`, `\w` or a case
 * flag; the one negated class `[^~/]` matches any other UTF-16 unit in JavaScript and
 * code point in Python, the same verdict either way), groups, alternation and bounded repeats. Each target anchors it itself
 * (`^(?:…)$` in JavaScript, `re.fullmatch` in Python), so a trailing newline is
 * never ignored. Only json-pointer, relative-json-pointer, iri, iri-reference and uri-template take non-ASCII
 * characters: the last three name code point ranges, which a Dialect writes for each target (surrogate pairs in
 * JavaScript, `\U` escapes in Python). Two rules a grammar
 * cannot say are code on both sides: the calendar day of `date` (month lengths,
 * leap years) and the leap second of `time` (second 60 only at 23:59 UTC).
 */
import { GeneratorErrorCode as E, WsgenError } from './errors.js';
import type { StringFormat } from './ir.js';
import type { JsonValue, SchemaLocation } from './types.js';
import { didYouMean } from './suggest.js';

const HEX = '[0-9A-Fa-f]';
/** RFC 3986 §3.2.2 dec-octet: 0–255, no leading zero. */
const DEC_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
/** RFC 2673 §3.2 / RFC 3986 IPv4address: four dec-octets. */
const IPV4 = `${DEC_OCTET}(?:\\.${DEC_OCTET}){3}`;
const H16 = `${HEX}{1,4}`;
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
/** RFC 3986 §3.2.2 IPv6address (RFC 4291 §2.2 text forms; no zone, no prefix). */
const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
]
  .map((a) => `(?:${a})`)
  .join('|');

const PCT = `%${HEX}{2}`;
// The hyphen first: a literal in a class in both dialects, whatever follows it.
const UNRESERVED_SUB = "-A-Za-z0-9._~!$&'()*+,;=";

/** Inclusive code point ranges. */
type Ranges = ReadonlyArray<readonly [number, number]>;
/** RFC 3987 §2.2 ucschar. */
const UCSCHAR: Ranges = [[0xa0, 0xd7ff], [0xf900, 0xfdcf], [0xfdf0, 0xffef], ...Array.from({ length: 13 }, (_, i) => [(i + 1) * 0x10000, (i + 1) * 0x10000 + 0xfffd] as const), [0xe1000, 0xefffd]];
/** RFC 3987 §2.2 iprivate. */
const IPRIVATE: Ranges = [[0xe000, 0xf8ff], [0xf0000, 0xffffd], [0x100000, 0x10fffd]];

const hex4 = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');
const bmpClass = (r: Ranges, esc: (c: number) => string) => r.map(([a, b]) => `${esc(a)}-${esc(b)}`).join('');

/** One astral range as UTF-16 surrogate pairs, the units JavaScript's flagless RegExp reads. */
function surrogatePairs(lo: number, hi: number): string[] {
  const high = (c: number) => 0xd800 + ((c - 0x10000) >> 10);
  const low = (c: number) => 0xdc00 + ((c - 0x10000) & 0x3ff);
  const u = (c: number) => `\\u${hex4(c)}`;
  const [hl, ll, hh, lh] = [high(lo), low(lo), high(hi), low(hi)];
  if (hl === hh) return [`${u(hl)}[${u(ll)}-${u(lh)}]`];
  const middle = hh - hl > 1 ? [`[${u(hl + 1)}-${u(hh - 1)}][\\uDC00-\\uDFFF]`] : [];
  return [`${u(hl)}[${u(ll)}-\\uDFFF]`, ...middle, `${u(hh)}[\\uDC00-${u(lh)}]`];
}

/**
 * How a grammar names one character of a set of code point ranges: JavaScript (no flags) reads UTF-16 units, so a
 * character beyond U+FFFF is a surrogate pair; Python's `re` reads code points, so it is one `\U` escape in a class.
 * Both reject a lone surrogate (no range holds U+D800–U+DFFF), so the two sources give the same verdict.
 */
export interface Dialect {
  /** A group matching exactly one character in `ranges`. */
  chars(ranges: Ranges): string;
}
export const JS_DIALECT: Dialect = {
  chars: (r) => {
    const bmp = r.filter(([, b]) => b <= 0xffff);
    const astral = r.filter(([a]) => a > 0xffff).flatMap(([a, b]) => surrogatePairs(a, b));
    return `(?:[${bmpClass(bmp, (c) => `\\u${hex4(c)}`)}]${astral.map((x) => `|${x}`).join('')})`;
  },
};
export const PYTHON_DIALECT: Dialect = {
  chars: (r) => `[${bmpClass(r, (c) => (c <= 0xffff ? `\\u${hex4(c)}` : `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`))}]`,
};

/**
 * RFC 3986 §3 URI and §4.2 relative-ref, or with a dialect RFC 3987 §2.2 IRI and irelative-ref: the same
 * grammar with ucschar among the unreserved characters and iprivate in the query. The IPvFuture flag `v`
 * is read in any case, as ABNF reads quoted strings (RFC 5234 §2.3).
 */
function uriGrammar(d: Dialect | undefined): { absolute: string; relative: string } {
  const ucs = d ? `|${d.chars(UCSCHAR)}` : '';
  const pchar = `(?:[${UNRESERVED_SUB}:@]|${PCT}${ucs})`;
  const segmentNc = `(?:[${UNRESERVED_SUB}@]|${PCT}${ucs})`;
  const userinfo = `(?:[${UNRESERVED_SUB}:]|${PCT}${ucs})*`;
  const ipLiteral = `\\[(?:${IPV6}|[Vv]${HEX}+\\.[${UNRESERVED_SUB}:]+)\\]`;
  const regName = `(?:[${UNRESERVED_SUB}]|${PCT}${ucs})*`;
  const authority = `(?:${userinfo}@)?(?:${ipLiteral}|${regName})(?::[0-9]*)?`;
  const pathAbempty = `(?:/${pchar}*)*`;
  const pathAbsolute = `/(?:${pchar}+(?:/${pchar}*)*)?`;
  const pathRootless = `${pchar}+(?:/${pchar}*)*`;
  const pathNoscheme = `${segmentNc}+(?:/${pchar}*)*`;
  const query = `(?:\\?(?:${pchar}|[/?]${d ? `|${d.chars(IPRIVATE)}` : ''})*)?`;
  const fragment = `(?:#(?:${pchar}|[/?])*)?`;
  return {
    absolute: `[A-Za-z][A-Za-z0-9+.-]*:(?://${authority}${pathAbempty}|${pathAbsolute}|${pathRootless}|)${query}${fragment}`,
    relative: `(?://${authority}${pathAbempty}|${pathAbsolute}|${pathNoscheme}|)${query}${fragment}`,
  };
}
const URI = uriGrammar(undefined);

const VARCHAR = `(?:[A-Za-z0-9_]|${PCT})`;
const VARSPEC = `${VARCHAR}(?:\\.?${VARCHAR})*(?::[1-9][0-9]{0,3}|\\*)?`;
/**
 * RFC 6570 §2 URI-Template, level 4: literals (with the apostrophe, as verified RFC 6570 erratum 6937 and the
 * JSON-Schema-Test-Suite read it) and `{` [operator] varspec *("," varspec) `}` expressions.
 */
function uriTemplate(d: Dialect): string {
  const literal = `(?:[!#$&-;=?-\\[\\]_a-z~]|${PCT}|${d.chars([...UCSCHAR, ...IPRIVATE].sort((a, b) => a[0] - b[0]))})`;
  return `(?:${literal}|\\{[+#./;?&=,!@|]?${VARSPEC}(?:,${VARSPEC})*\\})*`;
}

/** RFC 1123 §2.1 host name label: letters, digits, hyphens inside, 1–63 characters. */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
/** RFC 5321 §4.1.2 Mailbox, ASCII: Dot-string or Quoted-string "@" (Domain / address literal; its `IPv6:` tag in any case, as ABNF reads quoted strings, RFC 5234 §2.3). */
const EMAIL = `(?:${ATEXT}+(?:\\.${ATEXT}+)*|"(?:[ !#-\\[\\]-~]|\\\\[ -~])*")@(?:${LABEL}(?:\\.${LABEL})*|\\[${IPV4}\\]|\\[[Ii][Pp][Vv]6:(?:${IPV6})\\])`;

const DUR_TIME = 'T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S)';
/** RFC 3339 Appendix A duration: P (date [time] / time / week), digits only, no fractions or signs. */
const DURATION = `P(?:(?:[0-9]+D|[0-9]+M(?:[0-9]+D)?|[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?)(?:${DUR_TIME})?|${DUR_TIME}|[0-9]+W)`;

const JSON_POINTER = '(?:/(?:[^~/]|~[01])*)*';

/** RFC 3339 §5.6 full-date; the calendar day is checked apart. */
const DATE = '[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])';
/** RFC 3339 §5.6 full-time: any number of fraction digits, `Z`/`z` or a numeric offset; second 60 checked apart. */
const TIME = '(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])';

/** The formats asserted by one grammar shared by both targets (date-time keeps its own checkers: its Python value is a datetime). */
export type GrammarFormat = Exclude<StringFormat, 'date-time'>;

/** Grammar source of each format, unanchored, in dialect `d` (the same source for both targets but where a grammar names non-ASCII ranges). */
export function formatGrammars(d: Dialect): Readonly<Record<GrammarFormat, string>> {
  const iri = uriGrammar(d);
  return {
    date: DATE,
    time: TIME,
    duration: DURATION,
    email: EMAIL,
    ipv4: IPV4,
    ipv6: IPV6,
    uri: URI.absolute,
    'uri-reference': `(?:${URI.absolute}|${URI.relative})`,
    /** RFC 3987 §2.2 IRI: the URI grammar with ucschar in the unreserved characters and iprivate in the query. */
    iri: iri.absolute,
    /** RFC 3987 §2.2 IRI-reference: an IRI or an irelative-ref. */
    'iri-reference': `(?:${iri.absolute}|${iri.relative})`,
    'uri-template': uriTemplate(d),
    /** RFC 6901 §3: `/`-prefixed reference tokens, `~` only as `~0` or `~1`; any other character. */
    'json-pointer': JSON_POINTER,
    /** draft-handrews-relative-json-pointer-01 §3: a non-negative integer without leading zero, then `#` or a JSON pointer. */
    'relative-json-pointer': `(?:0|[1-9][0-9]*)(?:#|${JSON_POINTER})`,
    /** RFC 9562 §4: the 8-4-4-4-12 hex form, any case, no braces or urn prefix. */
    uuid: `${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}`,
  };
}

/** The grammars as JavaScript reads them (generated/ts/formats.js, and the generator's own checks). */
export const FORMAT_GRAMMARS = formatGrammars(JS_DIALECT);
/** The grammars as Python's `re` reads them (the Python package's `_formats.py`). */
export const PY_FORMAT_GRAMMARS = formatGrammars(PYTHON_DIALECT);

/** Every format wsgen asserts on both targets. */
export const STRING_FORMATS: readonly StringFormat[] = ['date-time', ...(Object.keys(FORMAT_GRAMMARS) as GrammarFormat[])];

/** What to write instead of a `format` wsgen refuses, and why it refuses it. */
export interface RefusedFormat {
  readonly reason: string;
  readonly hint: string;
}

const IDNA = 'IDNA2008 (RFC 5891 §5.4: Punycode, the RFC 5892 code point tables, the contextual rules and the RFC 5893 Bidi rule, tied to one Unicode version), which wsgen does not check alike on both targets';
/** The portable pattern for RFC 1123 §2.1 host names that the refusal of `hostname` offers, with `maxLength: 253`. */
export const LDH_HOSTNAME_PATTERN = `^${LABEL}(?:\\.${LABEL})*$`;

/** The formats JSON Schema 2020-12 §7.3 defines that wsgen refuses, each with its reason and a workaround. */
export const REFUSED_FORMATS: Readonly<Record<string, RefusedFormat>> = {
  hostname: {
    reason: `an A-label (a label starting "xn--") is a host name only if it decodes to a valid U-label under ${IDNA}`,
    hint: `for ASCII host names whose A-labels go unchecked, write "maxLength": 253 and "pattern": ${JSON.stringify(LDH_HOSTNAME_PATTERN)} instead of the format`,
  },
  'idn-hostname': { reason: `it needs ${IDNA}`, hint: 'drop the format, or ask for ASCII host names with the pattern that the refusal of "hostname" gives' },
  'idn-email': { reason: `its domain needs ${IDNA}`, hint: 'use "format": "email" for ASCII addresses, or drop the format' },
  regex: { reason: 'an ECMA-262 regular expression (JSON Schema 2020-12 §7.3.8) has no checker in Python that reads it as JavaScript does', hint: 'drop the format and check the expression where it is compiled' },
};

const ASSERTED: ReadonlySet<string> = new Set<string>(STRING_FORMATS);

/**
 * Refuses a `format` value that wsgen does not assert identically on both targets (typed parts,
 * build-ir.ts, and checked subschemas, checked.ts, alike): not a string, a format of JSON Schema 2020-12
 * §7.3 in {@link REFUSED_FORMATS} (its reason in the message, its workaround as the hint) or an unknown
 * one (§7.2.3: wsgen asserts formats, so one it cannot check is refused, not ignored).
 * @param loc where the `format` keyword sits (its pointer ends in `/format`).
 * @throws {WsgenError} WSGEN_UNSUPPORTED at `loc`, listing the formats wsgen asserts.
 */
export function checkStringFormat(format: JsonValue, loc: SchemaLocation): asserts format is StringFormat {
  if (typeof format === 'string' && ASSERTED.has(format)) return;
  const refused = typeof format === 'string' && Object.hasOwn(REFUSED_FORMATS, format) ? REFUSED_FORMATS[format] : undefined;
  const why = `format ${JSON.stringify(format)} has no exact implementation on both targets${refused ? `: ${refused.reason}` : ''} (supported: ${STRING_FORMATS.join(', ')})`;
  throw new WsgenError(E.UNSUPPORTED, `keyword "format" cannot be enforced identically by every target: ${why}`, loc,
    refused?.hint ?? `drop the format, or use a supported one; see README "Supported JSON Schema" for the subset${typeof format === 'string' ? didYouMean(format, STRING_FORMATS) : ''}`);
}
