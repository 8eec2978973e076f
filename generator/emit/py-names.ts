/**
 * Python attribute names of wire properties. Every JSON string is a legal
 * property name on the wire (JSON Schema 2020-12 §10.3.2.1 puts no limit on
 * `properties` keys); the Python model needs an identifier for each, and the
 * mapping must be injective and must never shadow a name the generated module
 * refers to. The rule, applied per property, deterministic and independent of
 * the other properties:
 *
 * 1. A *plain* name (ASCII letter first, then letters and digits in runs joined
 *    by single underscores: `user_id`, `toString`, `Vec2`) that is not reserved
 *    is kept as is.
 * 2. A plain name that is reserved (a Python keyword, a name the generated
 *    modules import or define, a schema type name, a pydantic BaseModel
 *    attribute) gets one `_` appended: `from` -> `from_`, `float` -> `float_`.
 * 3. Any other name, and any name starting with `model_` (pydantic's protected
 *    namespace), is escaped: `f_`, then every ASCII letter and digit as is,
 *    every `_` as `__`, every other UTF-16 code unit as `_` + its lowercase hex
 *    + `_`, then a final `_`: `_id` -> `f___id_`, `content-type` ->
 *    `f_content_2d_type_`, `名前` -> `f__540d__524d__`,
 *    `model_config` -> `f_model__config_`.
 *
 * Why it is injective: rule 1 names end in a letter or digit; rule 2 and 3
 * names end in `_`. Rule 2 names contain no `__`; rule 3's escape is a prefix
 * code (a letter or digit stands for itself, `_` opens an escape closed by the
 * next `_`, an empty escape is `_`), so two names escape alike only if they are
 * equal, and the `f_` prefix keeps rule 3 apart from rule 2 because no reserved
 * name starts with `f_` (asserted below). Python sees only ASCII identifiers,
 * so NFKC normalization of identifiers (PEP 3131) cannot merge two of them.
 */

/** Python keywords and soft keywords (3.11). `type` is left out: a field named `type` is legal and no class body refers to the builtin. */
const PY_KEYWORDS = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for',
  'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case',
];

/** Builtins the generated model, alias and enum modules refer to (annotations, literals, tuple(...)). */
const PY_BUILTINS_USED = ['int', 'float', 'str', 'bool', 'list', 'dict', 'tuple', 'object', 'bytes', 'super', 'isinstance', 'len'];

/** Names the generated modules import from typing. */
export const PY_TYPING_NAMES = ['Annotated', 'Any', 'ClassVar', 'Final', 'Literal', 'TYPE_CHECKING', 'TypeAlias', 'Union'];
/** Names the generated modules import from pydantic. */
export const PY_PYDANTIC_NAMES = ['ConfigDict', 'Field', 'StringConstraints'];
/** Names the generated modules import from `_wire`. */
export const PY_WIRE_NAMES = ['Const', 'DateTimeFormat', 'Integral', 'MultipleOf', 'NotNull', 'ObjectRules', 'OneOf', 'RuledModel', 'TextPattern', 'UuidFormat', 'WireEnum', 'WireFormat', 'WireModel'];
/** Other names the generated modules import or define. */
const PY_OTHER_NAMES = ['datetime', 'Enum', 'IntEnum', 'StrEnum', 'BaseModel', 'ConfigDict', 'MAX_DEPTH', 'MESSAGE_META', 'TAGS', 'SCHEMA_HASH', 'SCHEMA_VERSION', 'OrNone', 'Shaped'];

/** Attributes of pydantic's BaseModel (v2, without dunders; `model_*` is reserved as a prefix). */
const BASE_MODEL_ATTRS = ['construct', 'copy', 'dict', 'from_orm', 'json', 'parse_file', 'parse_obj', 'parse_raw', 'schema', 'schema_json', 'update_forward_refs', 'validate', 'fields'];

const FIXED_RESERVED: ReadonlySet<string> = new Set([...PY_KEYWORDS, ...PY_BUILTINS_USED, ...PY_TYPING_NAMES, ...PY_PYDANTIC_NAMES, ...PY_WIRE_NAMES, ...PY_OTHER_NAMES, ...BASE_MODEL_ATTRS]);

const PLAIN = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/;

for (const n of FIXED_RESERVED) if (n.startsWith('f_') || n.startsWith('model_')) throw new Error(`internal: reserved Python name ${n} starts with f_, a prefix rule 3 of py-names owns`);

/** Whether a Python keyword (hard or soft, other than `type`). */
export function isPyKeyword(name: string): boolean {
  return PY_KEYWORDS.includes(name);
}

/**
 * The attribute name of wire property `wire` in a model of a schema whose type
 * names (and names derived from them, such as `ColorInfo`) are `typeNames`.
 * Type names are PascalCase without underscores, so none starts with `f_`.
 */
export function pyAttrName(wire: string, typeNames: ReadonlySet<string>): string {
  if (PLAIN.test(wire) && !wire.startsWith('model_')) return FIXED_RESERVED.has(wire) || typeNames.has(wire) ? wire + '_' : wire;
  let out = 'f_';
  for (let i = 0; i < wire.length; i++) {
    const c = wire[i]!;
    if (/[A-Za-z0-9]/.test(c)) out += c;
    else if (c === '_') out += '__';
    else out += '_' + wire.charCodeAt(i).toString(16) + '_';
  }
  return out + '_';
}

/** PascalCase to snake_case: MessageType -> message_type, Oauth2Token -> oauth2_token. */
export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
}

/** The module of an object type under models/: its snake_case name, with `_` after a Python keyword (Del -> del_.py). */
export function pyModuleName(name: string): string {
  const m = snake(name);
  return isPyKeyword(m) ? m + '_' : m;
}
