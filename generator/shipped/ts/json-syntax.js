// Where a text stops being JSON (RFC 8259 §2-§7), for the `json` issue of a message that
// JSON.parse refused: the same words, line and column as the Python side's _json_syntax.py,
// whatever the engine's own message says. Runs only on a refused text, iteratively (no
// recursion, so a deep text cannot overflow the stack).

/** JSON whitespace (RFC 8259 §2): space, tab, line feed, carriage return. */
const WS = ' \t\n\r';
/** The characters that may follow a backslash in a string (RFC 8259 §7), `u` aside. */
const ESCAPES = '"\\/bfnrt';

/**
 * The offset (UTF-16 code units) of the first character where `text` stops being one JSON
 * text, or its length when it ends early; -1 when it is JSON.
 * @param {string} text
 * @returns {number}
 */
export function syntaxErrorOffset(text) {
  const n = text.length;
  let i = 0;
  /** @type {string[]} the open containers, `{` or `[` */
  const stack = [];
  const ws = () => {
    while (i < n && WS.includes(text[i])) i++;
  };
  const digits = () => {
    const start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') i++;
    return i > start;
  };
  const string = () => {
    if (text[i] !== '"') return false;
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) return (i++, true);
      if (c < 0x20) return false;
      if (c !== 92) continue;
      i++;
      if (text[i] === 'u') {
        for (let k = 0; k < 4; k++) if (!/[0-9a-fA-F]/.test(text[++i] ?? '')) return false;
      } else if (!ESCAPES.includes(text[i] ?? '\0') || i >= n) return false;
    }
    return false;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return false;
    if (text[i] === '.' && (i++, !digits())) return false;
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return false;
    }
    return true;
  };
  const word = (/** @type {string} */ w) => {
    for (const c of w) if (text[i] === c) i++; else return false;
    return true;
  };
  const key = () => string() && (ws(), text[i] === ':') && (i++, true);
  for (;;) {
    // A value is expected at i.
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) i++;
      else {
        stack.push(c);
        if (c === '{' && !key()) return i;
        continue;
      }
    } else if (c === '"' ? !string() : c === 't' ? !word('true') : c === 'f' ? !word('false') : c === 'n' ? !word('null') : !number()) return i;
    // A value ended: close containers, or go on after a comma.
    for (;;) {
      ws();
      const top = stack[stack.length - 1];
      if (top === undefined) return i === n ? -1 : i;
      if (text[i] === (top === '{' ? '}' : ']')) {
        stack.pop();
        i++;
      } else if (text[i] === ',') {
        i++;
        ws();
        if (top === '{' && !key()) return i;
        break;
      } else return i;
    }
  }
}

/**
 * The `json` issue of a text that is not JSON: where it stops being JSON, by line (1-based, split
 * at line feeds) and column (1-based, in Unicode code points), and the character found there
 * (quoted when printable ASCII, else U+XXXX), or that the text ends early.
 * @param {string} text
 * @returns {{ message: string, params: { line: number, column: number } }}
 */
export function syntaxIssue(text) {
  const offset = Math.max(syntaxErrorOffset(text), 0);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  const cp = text.codePointAt(offset);
  const what = cp === undefined ? 'the text ends early' : `unexpected ${cp >= 0x21 && cp <= 0x7e ? JSON.stringify(String.fromCodePoint(cp)) : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`}`;
  return { message: `must be valid JSON: ${what} at line ${line}, column ${column}`, params: { line, column } };
}
