/**
 * Type names from `$defs` keys. JSON Schema allows any string as a `$defs` key
 * (`branch_protection_rule$created`, `refToInteger`, `foo`); wsgen's type names are
 * PascalCase ASCII letters and digits. A key that already is one is its own name;
 * any other key is split into its runs of ASCII letters and digits, and each run
 * gets an upper-case first letter (`check_run$completed` → `CheckRunCompleted`,
 * `refToInteger` → `RefToInteger`). The rule is deterministic and never adds
 * numbered suffixes: two keys that derive one name are a WSGEN_NAME error
 * (generator/load.ts), and a key with no leading ASCII letter keeps its text, so
 * that the IR builder refuses it with a hint.
 */

/** PascalCase ASCII letters and digits, the form every type name has. */
export const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The type name of a `$defs` key (see the module comment).
 * @param key the `$defs` key, as written (JSON Pointer escapes already decoded)
 * @returns the PascalCase name; the key itself when no name can be derived
 */
export function typeNameOfKey(key: string): string {
  if (TYPE_NAME.test(key)) return key;
  const words = key.match(/[A-Za-z0-9]+/g) ?? [];
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return TYPE_NAME.test(name) ? name : key;
}

/** UPPER_SNAKE ASCII, the form every enum member name has. */
export const MEMBER_NAME = /^[A-Z][A-Z0-9_]*$/;

/** The member name of a string enum value: its runs of ASCII letters and digits, joined by `_`, upper-cased (`user-message` → `USER_MESSAGE`). */
export function memberNameOf(value: string): string {
  return value.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
}
