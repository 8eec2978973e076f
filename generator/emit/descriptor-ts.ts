/** The TypeScript protocol descriptor: generated/ts/protocol.ts, a `const` object with literal types. */
import type { IR } from '../ir.js';
import { jsLiteral, render } from '../templates.js';
import { descriptorOf } from './descriptor.js';

/** A literal object of string pairs (`{}` when empty). Keys are catalogue role names, values checked names. */
function objectLiteral(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.length ? jsLiteral(Object.fromEntries(pairs)) : '{}';
}

/** Renders protocol.ts (every literal quoted through jsLiteral, names checked by the IR stage). */
export function emitTsDescriptor(ir: IR, banner: string): string {
  const d = descriptorOf(ir);
  return render('ts/protocol.ts', {
    ...d,
    banner,
    closeCodes: d.closeCodes.map((c) => ({ ...c, terminal: !c.retryable })),
    rolesLiteral: objectLiteral(d.roles),
    fieldsLiteral: objectLiteral(d.fields),
  });
}
