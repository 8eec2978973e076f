/**
 * The protocol descriptor, target-neutral: what a generic wsgen runtime reads
 * about a protocol (its tag property, every message type with direction,
 * priority and roles, the field name of each field role, the capabilities, the
 * schema hash and version, the error and close code tables, every enum's
 * values). The TS and Python emitters (descriptor-ts.ts, descriptor-python.ts)
 * render this one view, so both targets say the same thing.
 */
import type { EnumIR, IR } from '../ir.js';
import { RETRYABLE_CLOSE_RANGE, TERMINAL_CLOSE_RANGE, type Capability, type Direction, type FieldRole, type MessageRole, type Priority } from '../roles.js';

/** One message type of the descriptor. */
export interface DescriptorMessage {
  tag: string;
  /** The type (and TS guard `is<Name>`, Python model) name. */
  name: string;
  direction: Direction;
  priority: Priority;
  role: MessageRole | null;
  fields: FieldRole[];
}

/** One code of an error-codes or close-codes table. */
export interface DescriptorCode {
  name: string;
  value: string | number;
  retryable: boolean;
  description: string;
}

/** The descriptor of one protocol, in schema and catalogue order. */
export interface Descriptor {
  name: string;
  version: string;
  /** The semantic schema hash (what validation reads), the one the handshake compares: SCHEMA_HASH. */
  schemaHash: string;
  /** Whether the root is the tagged union the runtimes need; false for any other root (no message table, `tag` null). */
  tagged: boolean;
  /** The property that selects the message type; null when the root is no tagged union. */
  tag: string | null;
  messages: DescriptorMessage[];
  roles: Array<[MessageRole, string]>;
  fields: Array<[FieldRole, string]>;
  capabilities: Capability[];
  errorCodes: DescriptorCode[];
  closeCodes: DescriptorCode[];
  /** The retryable and terminal application close-code ranges (inclusive). */
  closeCodeRanges: { retryable: readonly [number, number]; terminal: readonly [number, number] };
  enums: Array<{ name: string; values: Array<string | number> }>;
}

function codes(e: EnumIR | undefined): DescriptorCode[] {
  if (!e) return [];
  return e.members.map((m) => ({ name: m.name, value: m.value, retryable: m.meta.retryable === true, description: m.description ?? '' }));
}

/** Builds the descriptor view of an IR. Pure and deterministic. */
export function descriptorOf(ir: IR): Descriptor {
  const table = (role: string) => {
    const name = ir.roles.tables.find(([r]) => r === role)?.[1];
    return ir.enums.find((e) => e.name === name);
  };
  return {
    name: ir.root.name,
    version: ir.version,
    schemaHash: ir.semanticHash,
    tagged: ir.union !== undefined,
    tag: ir.union?.discriminator ?? null,
    messages: ir.roles.messages.map((m) => ({ tag: m.tag, name: m.object, direction: m.direction, priority: m.priority, role: m.role ?? null, fields: m.fields })),
    roles: ir.roles.roles,
    fields: ir.roles.fields,
    capabilities: ir.roles.capabilities,
    errorCodes: codes(table('error-codes')),
    closeCodes: codes(table('close-codes')),
    closeCodeRanges: { retryable: RETRYABLE_CLOSE_RANGE, terminal: TERMINAL_CLOSE_RANGE },
    enums: ir.enums.map((e) => ({ name: e.name, values: e.members.map((m) => m.value) })),
  };
}
