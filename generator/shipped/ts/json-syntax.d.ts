/** The offset (UTF-16 code units) where `text` stops being one JSON text (RFC 8259), its length when it ends early, -1 when it is JSON. */
export declare function syntaxErrorOffset(text: string): number;
/**
 * The `json` issue of a text that is not JSON: `must be valid JSON: unexpected "x" at line L, column C` (U+XXXX for a
 * character that is not printable ASCII) or `… the text ends early at line L, column C`; line 1-based, split at line
 * feeds; column 1-based, in Unicode code points.
 */
export declare function syntaxIssue(text: string): { message: string; params: { line: number; column: number } };
