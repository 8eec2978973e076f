/** The Python protocol descriptor: wsgen_protocol/protocol.py, the same facts as generated/ts/protocol.ts. */
import type { IR } from '../ir.js';
import { pyLiteral, render } from '../templates.js';
import { descriptorOf } from './descriptor.js';

/** A Python tuple literal: `()`, `(a,)` or `(a, b)`. */
function pyTuple(items: readonly unknown[]): string {
  const parts = items.map((x) => pyLiteral(x));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}

/** A read-only mapping literal from `[key, value source]` pairs, one entry per line. */
function pyMapping(entries: ReadonlyArray<readonly [string, string]>): string {
  if (entries.length === 0) return 'MappingProxyType({})';
  return `MappingProxyType({\n${entries.map(([k, v]) => `        ${pyLiteral(k)}: ${v},`).join('\n')}\n    })`;
}

/** Renders protocol.py; `model` names a model of `models` (names checked by the Python emitter). */
export function emitPyDescriptor(ir: IR, banner: string): string {
  const d = descriptorOf(ir);
  const args: Array<[string, string]> = [
    ['name', pyLiteral(d.name)],
    ['version', pyLiteral(d.version)],
    ['schema_hash', pyLiteral(d.schemaHash)],
    ['tagged', pyLiteral(d.tagged)],
    ['tag', pyLiteral(d.tag)],
    ['max_depth', 'MAX_DEPTH'],
    ['messages', pyMapping(d.messages.map((m) => [m.tag, `MessageSpec(${[pyLiteral(m.tag), pyLiteral(m.name), `_models.${m.name}`, pyLiteral(m.direction), pyLiteral(m.priority), pyLiteral(m.role), pyTuple(m.fields)].join(', ')})`]))],
    ['roles', pyMapping(d.roles.map(([r, t]) => [r, pyLiteral(t)]))],
    ['fields', pyMapping(d.fields.map(([r, f]) => [r, pyLiteral(f)]))],
    ['capabilities', pyTuple(d.capabilities)],
    ['error_codes', pyMapping(d.errorCodes.map((c) => [c.name, `ErrorCodeSpec(${[c.name, c.value, c.retryable, c.description].map(pyLiteral).join(', ')})`]))],
    ['close_codes', pyMapping(d.closeCodes.map((c) => [c.name, `CloseCodeSpec(${[c.name, c.value, c.retryable, !c.retryable, c.description].map(pyLiteral).join(', ')})`]))],
    ['close_code_ranges', pyMapping([['retryable', pyTuple(d.closeCodeRanges.retryable)], ['terminal', pyTuple(d.closeCodeRanges.terminal)]])],
    ['enums', pyMapping(d.enums.map((e) => [e.name, pyTuple(e.values)]))],
    ['parse', 'parse_message'],
    ['validate', 'validate_message'],
  ];
  return render('python/protocol.py', { banner, name: d.name, hasMessages: d.messages.length > 0, args: args.map(([k, v]) => `${k}=${v}`) });
}
