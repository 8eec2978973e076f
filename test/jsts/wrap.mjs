// How one suite group becomes a wsgen input, and each test instance a message.
//
// wsgen reads protocols: a root union of message types discriminated by a tag. A group's
// schema becomes the type of the one field `value` of the one message type `case`:
//
//   { "$schema": <2020-12>, "$id": "http://localhost:1234/jsts-root.json",
//     "title": "JstsMessage", "discriminator": {"propertyName": "type"},
//     "oneOf": [{"$ref": "#/$defs/JstsCase"}],
//     "$defs": { "JstsCase": { "type": "object",
//       "properties": { "type": {"const": "case"}, "value": <the group's schema, embedded> },
//       "required": ["type", "value"], "additionalProperties": false } } }
//
// and an instance `d` becomes the message {"type":"case","value":d}. The group's schema is
// spliced in as written (its text, so `1.0` stays `1.0`). An object schema without `$id` gets
// one, `https://wsgen.invalid/jsts/<file>/<index>.json`, which makes it an embedded resource
// (JSON Schema 2020-12 §9.2.1, §8.2.1): `#`-relative references inside it resolve against it,
// as they resolve against the root of the raw schema, and never against the wrapper. A schema
// with its own `$id` keeps it; a boolean schema has no references and is spliced in as is.
// `$schema` stays where it is (a resource root may declare it, §8.1.1). Documents that
// references reach under http://localhost:1234/ (the suite's remotes/) are preloaded as
// files of the schema folder at their URL's path (draft2020-12/… beside the root file), each
// with `$id` set to its URL when it has none. The root file's `$id` says the folder is served
// at http://localhost:1234/, as the suite's README serves remotes/: a reference to a remote by
// that URL reads its file even when the file's own `$id` differs (its retrieval URI, JSON
// Schema 2020-12 §9.1.1; generator/resources.ts servedPath).
// honesty.mjs proves, per group, that a standard validator gives the same verdicts on the
// wrapped and the raw schema.

/** Name of the message type that carries the group's schema. */
export const CASE_TYPE = 'JstsCase';
/** The tag of that message type. */
export const CASE_TAG = 'case';
/** The field whose type is the group's schema. */
export const VALUE_FIELD = 'value';
/** The `$id` of every wrapper: a URL below the suite's remote base that no remote document has. */
export const ROOT_ID = 'http://localhost:1234/jsts-root.json';
/** The dialect every wrapper declares. */
export const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The `$id` a group's schema gets when it has none.
 * @param {{ file: string, index: number }} group
 */
export function groupId(group) {
  return `https://wsgen.invalid/jsts/${group.file.replace(/\.json$/, '')}/${group.index}.json`;
}

/**
 * The group's schema text as an embedded resource: with an `$id` of its own.
 * @param {import('./suite.mjs').SuiteGroup} group
 * @returns {string}
 */
export function embeddedText(group) {
  const s = group.schema;
  if (typeof s !== 'object' || s === null || typeof s.$id === 'string') return group.schemaText;
  const rest = group.schemaText.trimStart().slice(1).trimStart();
  return `{"$id":${JSON.stringify(groupId(group))}${rest.startsWith('}') ? '' : ','}${rest}`;
}

/**
 * The wsgen input for a group: the text of its root schema file.
 * @param {import('./suite.mjs').SuiteGroup} group
 * @returns {string}
 */
export function wrapText(group) {
  const head = JSON.stringify({
    $schema: DIALECT,
    $id: ROOT_ID,
    title: 'JstsMessage',
    description: `JSON-Schema-Test-Suite ${group.file} #${group.index}: ${group.description}`,
    discriminator: { propertyName: 'type' },
    oneOf: [{ $ref: `#/$defs/${CASE_TYPE}` }],
  });
  const caseHead = `{"type":"object","properties":{"type":{"const":${JSON.stringify(CASE_TAG)}},${JSON.stringify(VALUE_FIELD)}:`;
  const caseTail = `},"required":["type",${JSON.stringify(VALUE_FIELD)}],"additionalProperties":false}`;
  return `${head.slice(0, -1)},"$defs":{${JSON.stringify(CASE_TYPE)}:${caseHead}${embeddedText(group)}${caseTail}}}`;
}

/**
 * The message text for one instance: the instance's text, as written in the suite, in `value`.
 * @param {string} instanceText
 */
export function messageText(instanceText) {
  return `{"type":${JSON.stringify(CASE_TAG)},${JSON.stringify(VALUE_FIELD)}:${instanceText}}`;
}

/**
 * A remote document as a file of the schema folder: its text, with `$id` set to the URL it
 * was fetched from when it has none (that URL is its base URI, RFC 3986 §5.1.3).
 * @param {string} url
 * @param {{ text: string, json: unknown }} remote
 */
export function remoteFileText(url, remote) {
  const j = remote.json;
  if (typeof j !== 'object' || j === null || Array.isArray(j) || typeof j.$id === 'string') return remote.text;
  const rest = remote.text.trimStart().slice(1).trimStart();
  return `{"$id":${JSON.stringify(url)}${rest.startsWith('}') ? '' : ','}${rest}`;
}
