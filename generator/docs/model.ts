/**
 * The content of the HTML page of `wsgen docs`, as plain data read from the IR:
 * the protocol (name, version, hashes, discriminator, capabilities, roles), one
 * entry per message type (direction, role, priority, fields with their types
 * and constraints, an example), the other named types, and the error and close
 * code tables. Schema order throughout, so the page is deterministic. Every
 * value is text: the templates escape it (HTML, never raw).
 */
import { closeCodes, errorCodes } from '../code-tables.js';
import type { IR, ObjectIR, PropertyIR } from '../ir.js';
import { objectByName } from '../ir.js';
import type { Direction } from '../roles-catalogue.js';
import { constraints, typeAnchor, typeLabel, type TypeLabel } from './describe.js';
import { taggedUnion } from '../root.js';

/** A field row. */
export interface FieldDoc {
  name: string;
  type: TypeLabel;
  required: boolean;
  constraints: string[];
  role?: string;
  defaultValue?: string;
  description?: string;
}

/** A message type. */
export interface MessageDoc {
  tag: string;
  anchor: string;
  name: string;
  direction: string;
  /** CSS class of the direction badge: `dir-client`, `dir-server`, `dir-both`. */
  directionClass: string;
  role?: string;
  priority: string;
  description?: string;
  fields: FieldDoc[];
  example?: string;
  /** Why there is no example, when there is none ({@link NO_EXAMPLE}). */
  noExample?: string;
}

/** What the page says of a message type without an example (example.ts could build none the generated parser accepts). */
export const NO_EXAMPLE = 'No example: the schema gives none, and wsgen could build no message of this type (its tag and required fields) that the generated validator accepts.';

/** A named type that is not a message: an object, an alias or an enum. */
export interface TypeDoc {
  name: string;
  anchor: string;
  kind: 'object' | 'alias' | 'enum';
  description?: string;
  fields: FieldDoc[];
  alias?: { type: TypeLabel; constraints: string[] };
  members: Array<{ name: string; value: string; description?: string }>;
}

/** A row of a code table (`name`: the enum member's name, for error codes only where it is not the value). */
export interface CodeDoc {
  name?: string;
  value: string;
  retry: string;
  description?: string;
}

/** Everything the page shows. */
export interface PageModel {
  title: string;
  description?: string;
  version: string;
  hash: string;
  semanticHash: string;
  source: string;
  discriminator: string;
  capabilities: string[];
  messageRoles: Array<{ role: string; tag: string; anchor: string }>;
  fieldRoles: Array<{ role: string; field: string }>;
  messages: MessageDoc[];
  types: TypeDoc[];
  errorCodes: CodeDoc[];
  closeCodes: CodeDoc[];
  counts: { client: number; server: number; both: number };
}

const DIRECTION_TEXT: Readonly<Record<Direction, string>> = { client: 'client → server', server: 'server → client', both: 'both ways' };

/** The anchor of a message type: `msg-<tag>` when the tag is a plain name, else by its position. */
function messageAnchor(tag: string, index: number): string {
  return /^[A-Za-z0-9_.-]+$/.test(tag) ? `msg-${tag}` : `msg-${index + 1}`;
}

function fieldDoc(ir: IR, p: PropertyIR): FieldDoc {
  const role = p.meta['wsgen-role'];
  return {
    name: p.name,
    type: typeLabel(p.type),
    required: p.required,
    constraints: constraints(ir, p.type),
    ...(typeof role === 'string' ? { role } : {}),
    ...(p.default !== undefined ? { defaultValue: JSON.stringify(p.default) } : {}),
    ...(p.description ? { description: p.description } : {}),
  };
}

function messageDocs(ir: IR, examples: ReadonlyMap<string, string>): MessageDoc[] {
  return ir.roles.messages.map((m, i) => {
    const o = objectByName(ir, m.object);
    const example = examples.get(m.tag);
    return {
      tag: m.tag,
      anchor: messageAnchor(m.tag, i),
      name: o.name,
      direction: DIRECTION_TEXT[m.direction],
      directionClass: `dir-${m.direction}`,
      ...(m.role ? { role: m.role } : {}),
      priority: m.priority,
      ...(o.description ? { description: o.description } : {}),
      fields: o.properties.map((p) => fieldDoc(ir, p)),
      ...(example !== undefined ? { example } : { noExample: NO_EXAMPLE }),
    };
  });
}

function objectDoc(ir: IR, o: ObjectIR): TypeDoc {
  return { name: o.name, anchor: typeAnchor(o.name), kind: 'object', ...(o.description ? { description: o.description } : {}), fields: o.properties.map((p) => fieldDoc(ir, p)), members: [] };
}

/** The named types that are not message types: objects (the envelope, nested objects), aliases, enums. */
function typeDocs(ir: IR): TypeDoc[] {
  const variants = new Set(taggedUnion(ir, 'wsgen docs').variants.map((v) => v.object));
  const objects = ir.objects.filter((o) => !variants.has(o.name)).map((o) => objectDoc(ir, o));
  const aliases: TypeDoc[] = ir.aliases.map((a) => ({
    name: a.name, anchor: typeAnchor(a.name), kind: 'alias', ...(a.description ? { description: a.description } : {}),
    fields: [], alias: { type: typeLabel(a.type), constraints: constraints(ir, a.type) }, members: [],
  }));
  const enums: TypeDoc[] = ir.enums.map((e) => ({
    name: e.name, anchor: typeAnchor(e.name), kind: 'enum', ...(e.description ? { description: e.description } : {}), fields: [],
    members: e.members.map((m) => ({ name: m.name, value: JSON.stringify(m.value), ...(m.description ? { description: m.description } : {}) })),
  }));
  return [...objects, ...aliases, ...enums];
}

/** The page content of `ir`; `examples` by tag (example.ts), `source` the root schema file as banners name it. */
export function pageModel(ir: IR, examples: ReadonlyMap<string, string>, source: string): PageModel {
  const messages = messageDocs(ir, examples);
  const anchors = new Map(messages.map((m) => [m.tag, m.anchor]));
  const count = (d: Direction): number => ir.roles.messages.filter((m) => m.direction === d).length;
  const root = taggedUnion(ir, 'wsgen docs');
  return {
    title: root.name,
    ...(root.description ? { description: root.description } : {}),
    version: ir.version,
    hash: ir.hash,
    semanticHash: ir.semanticHash,
    source,
    discriminator: root.discriminator,
    capabilities: [...ir.roles.capabilities],
    messageRoles: ir.roles.roles.map(([role, tag]) => ({ role, tag, anchor: anchors.get(tag) ?? '' })),
    fieldRoles: ir.roles.fields.map(([role, field]) => ({ role, field })),
    messages,
    types: typeDocs(ir),
    errorCodes: errorCodes(ir).map((c) => ({ ...(c.name !== String(c.value) ? { name: c.name } : {}), value: String(c.value), retry: c.retryable === undefined ? '' : c.retryable ? 'yes' : 'no', ...(c.description ? { description: c.description } : {}) })),
    closeCodes: closeCodes(ir).map((c) => ({ name: c.name, value: String(c.value), retry: c.retryable ? 'reconnect' : 'stop', ...(c.description ? { description: c.description } : {}) })),
    counts: { client: count('client'), server: count('server'), both: count('both') },
  };
}
