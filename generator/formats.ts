/**
 * The grammars of the string formats wsgen asserts, written once and copied
 * into both targets (generated/ts/formats.js and the Python `_formats.py`), so
 * that TypeScript and Python run the same regular expression on every string.
 *
 * Each source uses only what JavaScript (no flags) and Python's `re` read the
 * same way: ASCII character classes written out (never `\d`, `\w` or a case
 * flag; the one negated class `[^~/]` matches any other UTF-16 unit in JavaScript and
 * code point in Python, the same verdict either way), groups, alternation and bounded repeats. Each target anchors it itself
 * (`^(?:…)$` in JavaScript, `re.fullmatch` in Python), so a trailing newline is
 * never ignored, and no string with a non-ASCII character matches but a JSON pointer. Two rules a grammar
 * cannot say are code on both sides: the calendar day of `date` (month lengths,
 * leap years) and the leap second of `time` (second 60 only at 23:59 UTC).
 */
import type { StringFormat } from './ir.js';

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
const PCHAR = `(?:[${UNRESERVED_SUB}:@]|${PCT})`;
const SEGMENT_NC = `(?:[${UNRESERVED_SUB}@]|${PCT})`;
const USERINFO = `(?:[${UNRESERVED_SUB}:]|${PCT})*`;
const IP_LITERAL = `\\[(?:${IPV6}|v${HEX}+\\.[${UNRESERVED_SUB}:]+)\\]`;
const REG_NAME = `(?:[${UNRESERVED_SUB}]|${PCT})*`;
const AUTHORITY = `(?:${USERINFO}@)?(?:${IP_LITERAL}|${REG_NAME})(?::[0-9]*)?`;
const PATH_ABEMPTY = `(?:/${PCHAR}*)*`;
const PATH_ABSOLUTE = `/(?:${PCHAR}+(?:/${PCHAR}*)*)?`;
const PATH_ROOTLESS = `${PCHAR}+(?:/${PCHAR}*)*`;
const PATH_NOSCHEME = `${SEGMENT_NC}+(?:/${PCHAR}*)*`;
const QUERY_FRAGMENT = `(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;
/** RFC 3986 §3: scheme ":" hier-part [ "?" query ] [ "#" fragment ]. */
const URI = `[A-Za-z][A-Za-z0-9+.-]*:(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_ROOTLESS}|)${QUERY_FRAGMENT}`;
/** RFC 3986 §4.2 relative-ref. */
const RELATIVE_REF = `(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_NOSCHEME}|)${QUERY_FRAGMENT}`;

/** RFC 1123 §2.1 host name label: letters, digits, hyphens inside, 1–63 characters. */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
/** RFC 5321 §4.1.2 Mailbox, ASCII: Dot-string or Quoted-string "@" (Domain / address literal). */
const EMAIL = `(?:${ATEXT}+(?:\\.${ATEXT}+)*|"(?:[ !#-\\[\\]-~]|\\\\[ -~])*")@(?:${LABEL}(?:\\.${LABEL})*|\\[${IPV4}\\]|\\[IPv6:(?:${IPV6})\\])`;

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

/** Grammar source of each format, unanchored, in the dialect both targets read alike. */
export const FORMAT_GRAMMARS: Readonly<Record<GrammarFormat, string>> = {
  date: DATE,
  time: TIME,
  duration: DURATION,
  email: EMAIL,
  ipv4: IPV4,
  ipv6: IPV6,
  uri: URI,
  'uri-reference': `(?:${URI}|${RELATIVE_REF})`,
  /** RFC 6901 §3: `/`-prefixed reference tokens, `~` only as `~0` or `~1`; any other character (the one grammar here that is not ASCII only). */
  'json-pointer': JSON_POINTER,
  /** draft-handrews-relative-json-pointer-01 §3: a non-negative integer without leading zero, then `#` or a JSON pointer. */
  'relative-json-pointer': `(?:0|[1-9][0-9]*)(?:#|${JSON_POINTER})`,
  /** RFC 9562 §4: the 8-4-4-4-12 hex form, any case, no braces or urn prefix. */
  uuid: `${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}`,
};

/** Every format wsgen asserts on both targets. */
export const STRING_FORMATS: readonly StringFormat[] = ['date-time', ...(Object.keys(FORMAT_GRAMMARS) as GrammarFormat[])];
