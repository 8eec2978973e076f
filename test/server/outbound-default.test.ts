// `validateOutbound`'s default: on unless NODE_ENV or WSGEN_ENV is production, the rule of the Python server's
// `ServerOptions.validate_outbound` (test/python_runtime/test_outbound_default.py runs the same table).
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOptions, validateOutboundByDefault } from '../../runtime/server/options.js';
import { chatSessionValidator } from '../../runtime/server/chat/server.js';

/** [NODE_ENV, WSGEN_ENV, expected default]; undefined: unset. The same rows as the Python test. */
const TABLE: Array<[string | undefined, string | undefined, boolean]> = [
  [undefined, undefined, true],
  ['development', undefined, true],
  ['test', undefined, true],
  ['production', undefined, false],
  [undefined, 'production', false],
  ['development', 'production', false],
  [undefined, 'staging', true],
  ['Production', undefined, true],
];

const saved = { NODE_ENV: process.env['NODE_ENV'], WSGEN_ENV: process.env['WSGEN_ENV'] };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('validateOutbound default (the same rule as the Python server)', () => {
  it.each(TABLE)('NODE_ENV=%s WSGEN_ENV=%s: %s', (nodeEnv, wsgenEnv, expected) => {
    const env: Record<string, string> = {};
    for (const [k, v] of [['NODE_ENV', nodeEnv], ['WSGEN_ENV', wsgenEnv]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = env[k] = v;
    }
    expect(validateOutboundByDefault(env)).toBe(expected);
    expect(resolveOptions({ validator: chatSessionValidator() }).validateOutbound).toBe(expected);
    expect(resolveOptions({ validator: chatSessionValidator(), validateOutbound: !expected }).validateOutbound).toBe(!expected);
  });
});
