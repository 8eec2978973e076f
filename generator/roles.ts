/**
 * Roles: what each message type and field is to the runtimes, read from the
 * `x-wsgen-role`, `x-wsgen-priority` and `x-direction` annotations of the IR.
 * {@link deriveRoles} is a pure function over the IR: it checks that every role
 * is known, used where it may be, at most once where that matters, on fields of
 * the right type, and that the roles of a capability come together; it refuses
 * anything else with WSGEN_ROLE (file, JSON pointer, hint). Capabilities follow
 * from the roles present. The catalogue is roles-catalogue.ts; docs/roles.md is
 * its prose.
 */
import { GeneratorErrorCode as E, ErrorList, WsgenError, pointerJoin } from './errors.js';
import { type EnumIR, type IR, type ObjectIR, type PropertyIR, rootVariantsOf } from './ir.js';
import {
  CAPABILITIES, CAPABILITY_ROLES, DIRECTIONS, ENUM_ROLES, FIELD_ROLES, MESSAGE_ROLES, MESSAGE_ROLE_SPECS, PRIORITIES, RESUME_ERROR_CODE, RUNTIME_ERROR_CODES,
  type Capability, type Direction, type EnumRole, type FieldRole, type MessageRole, type Priority,
} from './roles-catalogue.js';
import { checkCodeTable, checkFieldType } from './roles-check.js';
import { annotationLoc } from './origins.js';
import { didYouMean } from './suggest.js';
import type { JsonValue, SchemaLocation } from './types.js';

export * from './roles-catalogue.js';

/** The runtime facts of one message type. */
export interface MessageRolesIR {
  tag: string;
  object: string;
  direction: Direction;
  priority: Priority;
  /** Its message role, if it has one. */
  role?: MessageRole;
  /** The field roles of its properties, in catalogue order. */
  fields: FieldRole[];
}

/** Everything the descriptor says about roles, in schema and catalogue order. */
export interface ProtocolRoles {
  /** One entry per union variant, in union order. */
  messages: MessageRolesIR[];
  /** Message role → the tag of its message type (present roles only, catalogue order). */
  roles: Array<[MessageRole, string]>;
  /** Field role → its property name (present roles only, catalogue order). */
  fields: Array<[FieldRole, string]>;
  /** Enum role → the enum's name. */
  tables: Array<[EnumRole, string]>;
  /** Capabilities, in catalogue order. */
  capabilities: Capability[];
}

const at = (loc: SchemaLocation, ...t: Array<string | number>): SchemaLocation => ({ file: loc.file, pointer: pointerJoin(loc.pointer, ...t) });
const DOCS = 'see docs/roles.md';

function roleError(message: string, loc: SchemaLocation, hint: string): WsgenError {
  return new WsgenError(E.ROLE, message, loc, hint);
}

/** What carries annotations: an enum, object or property of the IR (`annotatedAt`: those it inherits through allOf, origins.ts). */
interface Annotated {
  meta: Record<string, JsonValue>;
  loc: SchemaLocation;
  annotatedAt?: Record<string, SchemaLocation>;
}

/** Refuses an `x-wsgen-*` annotation other than `allowed` (a misspelt role must not silently drop a capability), where it is written. */
function checkWsgenKeys(x: Annotated, allowed: readonly string[]): void {
  for (const k of Object.keys(x.meta)) {
    if (k.startsWith('wsgen-') && !allowed.includes(k)) {
      throw roleError(`unknown annotation "x-${k}"`, annotationLoc(x, k), `wsgen reads ${allowed.map((a) => `x-${a}`).join(', ')} here; ${DOCS}${didYouMean(`x-${k}`, allowed.map((a) => `x-${a}`))}`);
    }
  }
}

/** The value of an annotation that must be one of `values` (an error points where the annotation is written). */
function oneOf<T extends string>(x: Annotated, key: string, values: readonly T[]): T | undefined {
  const v = x.meta[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw roleError(`"x-${key}" is ${JSON.stringify(v)}, which is not one of ${values.join(', ')}`, annotationLoc(x, key), `${DOCS}${typeof v === 'string' ? didYouMean(v, values) : ''}`);
  }
  return v as T;
}

/** The name of the object of `ir` whose definition holds `loc` (the base an annotation is inherited from), else `fallback`. */
function writtenIn(ir: Omit<IR, 'roles'>, loc: SchemaLocation, fallback: string): string {
  let best: ObjectIR | undefined;
  for (const o of ir.objects) {
    if (o.loc.file !== loc.file || !loc.pointer.startsWith(`${o.loc.pointer}/`)) continue;
    if (!best || o.loc.pointer.length > best.loc.pointer.length) best = o;
  }
  return best?.name ?? fallback;
}

/**
 * Derives and checks the roles of a protocol. Throws WSGEN_ROLE with every role error found (issue 9
 * "All errors in one run"): each annotation, message and field is checked on its own. `failed` names the
 * definitions that did not build (their errors are reported already): a field whose type is one of them is
 * not type-checked, and the checks of the whole protocol (one message per role, capabilities, resume,
 * ping/pong, the error table) wait for a complete IR with no role error, so that no error is only a
 * consequence of another. `partial` are the message types that failed on some properties, with the ones that
 * built, and those the root union refused (a duplicate tag): their annotations and those properties' field roles
 * are checked as a message type's (not the role's required fields, which may be among the failed ones, nor the
 * checks of the whole protocol); they are in no table of the result. `refusedIncludes` are the objects a message type
 * that failed or was refused applies with a `$ref` at its top (beside its properties, refused; or as an alias, which
 * the union refuses): their roles are not reported as outside a message type, which would only follow from that
 * message type's own error.
 */
export function deriveRoles(ir: Omit<IR, 'roles'>, failed: ReadonlySet<string> = new Set(), partial: readonly ObjectIR[] = [], refusedIncludes: ReadonlySet<string> = new Set()): ProtocolRoles {
  const errors = new ErrorList();
  const tables = enumTables(ir.enums, errors);
  const variants = new Map(rootVariantsOf(ir).map((v) => [v.object, v.tag]));
  const fieldNames = new Map<FieldRole, PropertyIR>();
  const incomplete = new Set(partial.map((o) => o.name));
  for (const o of ir.objects) if (!incomplete.has(o.name)) checkObjectPlacement(o, variants.has(o.name), o.isBase === true || refusedIncludes.has(o.name), errors);

  const messages = rootVariantsOf(ir).map((v): MessageRolesIR => {
    const o = ir.objects.find((x) => x.name === v.object)!;
    const direction = errors.attempt(() => oneOf(o, 'direction', DIRECTIONS)) ?? 'both';
    const priority = errors.attempt(() => oneOf(o, 'wsgen-priority', PRIORITIES)) ?? 'normal';
    const role = errors.attempt(() => oneOf(o, 'wsgen-role', MESSAGE_ROLES));
    const fields = fieldRolesOf(o, ir, tables, fieldNames, errors, failed);
    // A field role annotation that failed (reported: an unknown role, a misspelt x-wsgen-* key, a role twice) may be the one the
    // role needs: then its required fields are not checked, so that no error only follows from another.
    const unread = o.properties.some((p) => Object.keys(p.meta).some((k) => k.startsWith('wsgen-') && (k !== 'wsgen-role' || ![...fields.values()].includes(p))));
    if (role !== undefined) errors.attempt(() => (unread ? checkMessagePlacement(o, role, direction, priority) : checkMessageRole(o, role, direction, priority, fields)));
    return { tag: v.tag, object: v.object, direction, priority, ...(role ? { role } : {}), fields: FIELD_ROLES.filter((f) => fields.has(f)) };
  });

  for (const o of partial) {
    checkObjectPlacement(o, true, false, errors);
    const direction = errors.attempt(() => oneOf(o, 'direction', DIRECTIONS)) ?? 'both';
    const priority = errors.attempt(() => oneOf(o, 'wsgen-priority', PRIORITIES)) ?? 'normal';
    const role = errors.attempt(() => oneOf(o, 'wsgen-role', MESSAGE_ROLES));
    fieldRolesOf(o, ir, tables, fieldNames, errors, failed);
    if (role !== undefined) errors.attempt(() => checkMessagePlacement(o, role, direction, priority));
  }

  const byRole = new Map<MessageRole, MessageRolesIR>();
  for (const m of messages) {
    if (m.role === undefined) continue;
    const prev = byRole.get(m.role);
    if (prev) errors.add(roleError(`role "${m.role}" is on two message types, ${prev.tag} and ${m.tag}`, annotationLoc(objOf(ir, m), 'wsgen-role'), 'a runtime needs one message type per role: keep the role on one of them'));
    else byRole.set(m.role, m);
  }
  let capabilities: Capability[] = [];
  if (failed.size === 0 && partial.length === 0 && errors.empty) {
    capabilities = errors.attempt(() => CAPABILITIES.filter((c) => capabilityPresent(c, byRole, ir))) ?? [];
    errors.attempt(() => checkResume(capabilities, byRole, messages, ir, fieldNames));
    errors.attempt(() => checkPingPong(byRole, ir));
    errors.attempt(() => checkErrorTable(capabilities, tables));
  }
  errors.throwIfAny();
  return {
    messages,
    roles: MESSAGE_ROLES.filter((r) => byRole.has(r)).map((r) => [r, byRole.get(r)!.tag]),
    fields: FIELD_ROLES.filter((f) => fieldNames.has(f)).map((f) => [f, fieldNames.get(f)!.name]),
    tables: ENUM_ROLES.filter((r) => tables.has(r)).map((r) => [r, tables.get(r)!.name]),
    capabilities,
  };
}

function objOf(ir: Omit<IR, 'roles'>, m: MessageRolesIR): ObjectIR {
  return ir.objects.find((o) => o.name === m.object)!;
}

/** The enums with a role, each role at most once, each table well formed (errors go to `errors`). */
function enumTables(enums: readonly EnumIR[], errors: ErrorList): Map<EnumRole, EnumIR> {
  const out = new Map<EnumRole, EnumIR>();
  for (const e of enums) {
    errors.attempt(() => checkWsgenKeys(e, ['wsgen-role']));
    const role = errors.attempt(() => oneOf(e, 'wsgen-role', ENUM_ROLES));
    if (role === undefined) continue;
    const prev = out.get(role);
    if (prev) {
      errors.add(roleError(`role "${role}" is on two enums, ${prev.name} and ${e.name}`, at(e.loc, 'x-wsgen-role'), 'a protocol has one table of each kind: merge them'));
      continue;
    }
    errors.attempt(() => checkCodeTable(e, role));
    out.set(role, e);
  }
  return out;
}

/** Message roles belong on union variants (or the bases they narrow); field roles on their properties (errors go to `errors`). */
function checkObjectPlacement(o: ObjectIR, isVariant: boolean, isBase: boolean, errors: ErrorList): void {
  errors.attempt(() => checkWsgenKeys(o, ['wsgen-role', 'wsgen-priority']));
  for (const p of o.properties) errors.attempt(() => checkWsgenKeys(p, ['wsgen-role']));
  if (isVariant || isBase) return;
  for (const key of ['wsgen-role', 'wsgen-priority']) {
    if (o.meta[key] !== undefined && o.annotatedAt?.[key] === undefined) errors.add(roleError(`"x-${key}" on ${o.name}, which is not a message type`, annotationLoc(o, key), 'add the type to the root union, or remove the annotation'));
  }
  // A role inherited through allOf is written in a base, where roles belong: only the object's own ones are out of place.
  for (const p of o.properties.filter((x) => x.meta['wsgen-role'] !== undefined && x.annotatedAt?.['wsgen-role'] === undefined)) {
    errors.add(roleError(`a field role on ${o.name}.${p.name}, which is not a field of a message type`, annotationLoc(p, 'wsgen-role'), 'field roles name top-level fields of message types (or of an object they include through allOf)'));
  }
}

/**
 * The field roles of a message's properties, each checked for type and for one name across the protocol
 * (errors go to `errors`; a field whose type names a definition in `failed` is not type-checked).
 */
function fieldRolesOf(o: ObjectIR, ir: Omit<IR, 'roles'>, tables: Map<EnumRole, EnumIR>, names: Map<FieldRole, PropertyIR>, errors: ErrorList, failed: ReadonlySet<string>): Map<FieldRole, PropertyIR> {
  const out = new Map<FieldRole, PropertyIR>();
  for (const p of o.properties) {
    errors.attempt(() => {
      const role = oneOf(p, 'wsgen-role', FIELD_ROLES);
      if (role === undefined) return;
      // An annotation inherited through allOf is reported once, at its base, under the base's name.
      const where = annotationLoc(p, 'wsgen-role');
      const owner = p.annotatedAt?.['wsgen-role'] ? writtenIn(ir, where, o.name) : o.name;
      const twin = out.get(role);
      if (twin) throw roleError(`${twin.annotatedAt?.['wsgen-role'] ? owner : o.name} has two fields with role "${role}": ${twin.name} and ${p.name}`, where, 'a field role names one field of a message');
      const other = names.get(role);
      if (other && other.name !== p.name) {
        throw roleError(`field role "${role}" is "${other.name}" elsewhere but "${p.name}" in ${owner}`, where, 'a runtime reads one property name per field role: use the same name in every message');
      }
      names.set(role, p);
      out.set(role, p);
      checkFieldType(p, role, ir, tables, failed);
      if (role === 'sequence' && p.required) {
        const listed = p.annotatedAt?.required ?? at(o.loc, 'required');
        throw roleError(`${p.annotatedAt?.required ? writtenIn(ir, listed, o.name) : o.name}.${p.name} (role sequence) is required`, listed, 'the runtime sets the sequence number itself and connection-level replies carry none: make it optional');
      }
    });
  }
  return out;
}

/** The direction and priority a message role allows (throws WSGEN_ROLE). */
function checkMessagePlacement(o: ObjectIR, role: MessageRole, direction: Direction, priority: Priority): void {
  const spec = MESSAGE_ROLE_SPECS[role];
  if (!spec.directions.includes(direction)) {
    throw roleError(`${o.name} has role "${role}" but direction "${direction}"`, annotationLoc(o, 'direction'), `a ${role} message is sent in direction ${spec.directions.join(' or ')}`);
  }
  if (priority === 'low') throw roleError(`${o.name} has role "${role}" and priority low`, annotationLoc(o, 'wsgen-priority'), 'the runtime never drops a role message: remove x-wsgen-priority');
}

function checkMessageRole(o: ObjectIR, role: MessageRole, direction: Direction, priority: Priority, fields: Map<FieldRole, PropertyIR>): void {
  checkMessagePlacement(o, role, direction, priority);
  const spec = MESSAGE_ROLE_SPECS[role];
  for (const f of spec.required) {
    const p = fields.get(f);
    // The place that exists whether the properties are the type's own or inherited (allOf): the optional field's role
    // annotation (where it is written, a base's included), else the message role annotation that asks for the field.
    if (p && !p.required) {
      throw roleError(`${o.name} (role "${role}") needs a required field with role "${f}"; ${p.name} is optional`, annotationLoc(p, 'wsgen-role'),
        `list "${p.name}" in the required of ${o.name} (or of the base that defines it)`);
    }
    if (!p) {
      throw roleError(`${o.name} (role "${role}") needs a required field with role "${f}"`, annotationLoc(o, 'wsgen-role'),
        `add a property with "x-wsgen-role": "${f}" and list it in required (the role library schema/wsgen/roles.schema.json has its type)`);
    }
  }
}

function capabilityPresent(c: Capability, byRole: Map<MessageRole, MessageRolesIR>, ir: Omit<IR, 'roles'>): boolean {
  const needed = CAPABILITY_ROLES[c];
  const present = needed.filter((r) => byRole.has(r));
  const extra = c === 'resume' && byRole.has('session-expired');
  if (present.length === 0 && !extra) return false;
  const missing = needed.filter((r) => !byRole.has(r));
  if (missing.length > 0) {
    const some = byRole.get(present[0] ?? 'session-expired')!;
    throw roleError(`capability "${c}" has role${present.length > 1 ? 's' : ''} ${(present.length ? present : ['session-expired']).join(', ')} but not ${missing.join(', ')}`, annotationLoc(objOf(ir, some), 'wsgen-role'),
      `the roles ${needed.join(', ')} come together: add the missing ones, or remove the others`);
  }
  return true;
}

/** Resume replays server messages by sequence number and reports gaps as an error: every server message must carry the sequence field. */
function checkResume(caps: Capability[], byRole: Map<MessageRole, MessageRolesIR>, messages: MessageRolesIR[], ir: Omit<IR, 'roles'>, names: Map<FieldRole, PropertyIR>): void {
  if (!caps.includes('resume')) {
    for (const f of ['last-sequence', 'stream-epoch'] as const) {
      const p = names.get(f);
      if (p) throw roleError(`field role "${f}" without the session roles`, annotationLoc(p, 'wsgen-role'), 'session-resume fields mean nothing without session-created, session-resume and session-updated');
    }
    return;
  }
  if (!caps.includes('error-replies')) {
    throw roleError('the session roles need a message type with role "error" (a resume with a gap is reported as RECOVERY_FAILED)', annotationLoc(objOf(ir, byRole.get('session-resume')!), 'wsgen-role'), 'add x-wsgen-role "error" to the error reply type');
  }
  for (const m of messages) {
    if (m.direction === 'client' || m.role === 'ping' || m.role === 'pong' || m.fields.includes('sequence')) continue;
    // At the message type itself: its properties may all be inherited (allOf), so it may have no "properties" of its own.
    throw roleError(`server message ${m.tag} has no field with role "sequence"`, objOf(ir, m).loc,
      'with resume, every server message but ping and pong is numbered: add an optional sequence field (the role library has Sequence)');
  }
}

/** A ping's receivers answer with pong, so pong must be sendable by them. */
function checkPingPong(byRole: Map<MessageRole, MessageRolesIR>, ir: Omit<IR, 'roles'>): void {
  const ping = byRole.get('ping');
  const pong = byRole.get('pong');
  if (ping && pong && ping.direction === 'both' && pong.direction !== 'both') {
    throw roleError(`ping is sent both ways but pong only by the ${pong.direction}`, annotationLoc(objOf(ir, pong), 'direction'), 'give pong x-direction "both"');
  }
}

function checkErrorTable(caps: Capability[], tables: Map<EnumRole, EnumIR>): void {
  const table = tables.get('error-codes');
  if (!caps.includes('error-replies') || !table) return;
  const needed = [...RUNTIME_ERROR_CODES, ...(caps.includes('resume') ? [RESUME_ERROR_CODE] : [])];
  const names = new Set(table.members.map((m) => m.name));
  const missing = needed.filter((n) => !names.has(n));
  if (missing.length) {
    throw roleError(`error-codes table ${table.name} lacks ${missing.join(', ')}, which the runtimes send`, at(table.loc, 'oneOf'), `add ${missing.join(', ')} (with x-retryable); ${DOCS}`);
  }
}
