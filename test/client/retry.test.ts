import { describe, expect, it } from 'vitest';
import { CLOSE_CODE_VALUES, CloseCodeInfo, protocol } from '../../generated/ts/index.js';
import { decideHttpRetry, decideRetry } from '../../runtime/client/index.js';

describe('retry decision per close code', () => {
  it.each([
    [1000, false, true, 'transient'],
    [1000, true, false, 'normal'],
    [1001, false, true, 'transient'],
    [1002, false, false, 'terminal'],
    [1003, false, false, 'terminal'],
    [1004, false, false, 'terminal'],
    [1005, false, true, 'transient'],
    [1006, false, true, 'transient'],
    [1007, false, false, 'terminal'],
    [1008, false, false, 'terminal'],
    [1009, false, false, 'terminal'],
    [1010, false, false, 'terminal'],
    [1011, false, true, 'transient'],
    [1012, false, true, 'transient'],
    [1013, false, true, 'transient'],
    [1014, false, true, 'transient'],
    [1015, false, false, 'terminal'],
    [1016, false, false, 'terminal'],
    [2999, false, false, 'terminal'],
    [3000, false, true, 'transient'],
    [3999, false, true, 'transient'],
    [4000, false, true, 'transient'],
    [4001, false, true, 'transient'],
    [4002, false, true, 'transient'],
    [4003, false, true, 'transient'],
    [4123, false, true, 'transient'],
    [4499, false, true, 'transient'],
    [4500, false, false, 'auth'],
    [4501, false, false, 'terminal'],
    [4502, false, false, 'terminal'],
    [4503, false, false, 'terminal'],
    [4504, false, false, 'protocol'],
    [4505, false, false, 'terminal'],
    [4777, false, false, 'terminal'],
    [4999, false, false, 'terminal'],
  ] as const)('close %i (client initiated: %s) → retry %s (%s)', (code, byClient, retry, kind) => {
    const d = decideRetry(protocol, code, byClient);
    expect(d.retry).toBe(retry);
    expect(d.kind).toBe(kind);
    expect(d.reason.length).toBeGreaterThan(0);
  });

  it.each(CLOSE_CODE_VALUES.map((c) => [c, CloseCodeInfo[c].retryable] as const))('agrees with the generated CloseCodeInfo for %i (retryable %s)', (code, retryable) => {
    expect(decideRetry(protocol, code).retry).toBe(retryable);
  });

  it.each([
    [401, false, 'auth'],
    [403, false, 'auth'],
    [404, false, 'terminal'],
    [400, false, 'terminal'],
    [408, true, 'transient'],
    [429, true, 'transient'],
    [500, true, 'transient'],
    [503, true, 'transient'],
  ] as const)('refused upgrade HTTP %i → retry %s (%s)', (status, retry, kind) => {
    const d = decideHttpRetry(status);
    expect(d.retry).toBe(retry);
    expect(d.kind).toBe(kind);
  });
});
