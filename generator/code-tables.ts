/**
 * The error-code and close-code tables of a protocol, read from the IR, for the
 * exports that list them (AsyncAPI `info.x-wsgen-*-codes`, the HTML page of
 * `wsgen docs`). Rows follow the enum's member order.
 */
import type { IR } from './ir.js';
import { RETRYABLE_CLOSE_RANGE, RUNTIME_CLOSE_CODES } from './roles.js';

/** One row of a code table: `retryable` from the member's `x-retryable` (error codes) or the close-code range. */
export interface CodeRow {
  name: string;
  value: string | number;
  retryable?: boolean;
  description?: string;
}

/** The error-code table: the members of the enum with role `error-codes` (with their `x-retryable`), or none. */
export function errorCodes(ir: IR): CodeRow[] {
  const name = ir.roles.tables.find(([r]) => r === 'error-codes')?.[1];
  const e = ir.enums.find((x) => x.name === name);
  if (!e) return [];
  return e.members.map((m) => ({ name: m.name, value: m.value, ...(typeof m.meta['retryable'] === 'boolean' ? { retryable: m.meta['retryable'] } : {}), ...(m.description ? { description: m.description } : {}) }));
}

/**
 * The close-code table: the enum with role `close-codes` when the schema uses one, else the codes the runtimes
 * close with (roles-catalogue.ts). 4000–4499 are retryable, 4500–4999 terminal (RFC 6455 §7.4.2 leaves 4000–4999
 * to applications; PROTOCOL.md "Close codes").
 */
export function closeCodes(ir: IR): CodeRow[] {
  const name = ir.roles.tables.find(([r]) => r === 'close-codes')?.[1];
  const e = ir.enums.find((x) => x.name === name);
  const rows = e ? e.members.map((m) => ({ name: m.name, value: Number(m.value), description: m.description })) : Object.entries(RUNTIME_CLOSE_CODES).map(([n, v]) => ({ name: n, value: v, description: undefined }));
  return rows.map((r) => ({ name: r.name, value: r.value, retryable: r.value >= RETRYABLE_CLOSE_RANGE[0] && r.value <= RETRYABLE_CLOSE_RANGE[1], ...(r.description ? { description: r.description } : {}) }));
}
