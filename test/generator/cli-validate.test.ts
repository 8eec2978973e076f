import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, main } from '../../generator/cli.js';
import { MAX_ERRORS } from '../../generator/cli/validate-report.js';
import { ROOT, captureStdio, writeSchema } from './helpers.js';

const io = captureStdio();
const SCHEMA = join(ROOT, 'schema');
const TS = '2024-05-01T10:00:00Z';

/** Validates NDJSON lines with the bundled schema (or `schema`) and returns the report lines. */
async function report(messages: unknown[], schema = SCHEMA): Promise<string[]> {
  const dir = writeSchema({ 'm.ndjson': messages.map((m) => JSON.stringify(m)).join('\n') + '\n' });
  expect(await main(['validate', '--schema', schema, join(dir, 'm.ndjson')])).toBe(ExitCode.FAILED);
  return io.out().trim().split('\n');
}

describe('wsgen validate (human output)', () => {
  it('names each unknown property and the allowed ones', async () => {
    const lines = await report([{ type: 'ping', timestamp: TS, bogus: 1 }]);
    expect(lines[0]).toMatch(/^invalid .*m\.ndjson:1 at "" \[additionalProperties\] unknown property "bogus" \(allowed: type, .*timestamp/);
  });

  it('finds the allowed properties of a nested object', async () => {
    const lines = await report([{ kind: 'move', to: { x: 1, y: 2, z: 3 } }], join(ROOT, 'test/fixtures/mini'));
    expect(lines[0]).toMatch(/at "\/to" \[additionalProperties\] unknown property "z" \(allowed: x, y\)$/);
  });

  it('lists the allowed enum values', async () => {
    const lines = await report([{ type: 'error_message', timestamp: TS, error_code: 'NOPE', message: 'm' }]);
    expect(lines[0]).toMatch(/at "\/error_code" \[enum\] must be equal to one of the allowed values: "INVALID_MESSAGE", "UNSUPPORTED_TYPE", .*"INTERNAL_ERROR"$/);
  });

  it('lists the known message types for an unknown one', async () => {
    const lines = await report([{ type: 'nope', timestamp: TS }]);
    expect(lines[0]).toMatch(/at "\/type" \[discriminator\] "nope": must be a known message type \(known: user_message, agent_message, .*, ping, pong\)$/);
  });

  it('lists the branches of a nested tagged union, not the message types, wherever the union stands', async () => {
    const unions = join(ROOT, 'test/fixtures/unions');
    const bad = { kind: 'hexagon' };
    const circle = { kind: 'circle', r: 1 };
    const places: Array<[Record<string, unknown>, string]> = [
      [{ type: 'draw', shapes: [], main: bad }, '/main'],
      [{ type: 'draw', shapes: [circle, bad] }, '/shapes/1'],
      [{ type: 'draw', shapes: [], layers: { top: [bad] } }, '/layers/top/0'],
      [{ type: 'draw', shapes: [], maybe: bad }, '/maybe'],
    ];
    for (const [message, path] of places) {
      const lines = await report([message], unions);
      const line = lines.find((l) => l.includes(`at "${path}" [discriminator]`));
      expect(line, lines.join('\n')).toMatch(/"hexagon": .*\(known: circle, square, path\)$/);
    }
  });

  it('shows every error of a message, not only the first', async () => {
    const lines = await report([{ type: 'user_message', timestamp: TS, message: '', bogus: 1, extra: 2 }]);
    expect(lines.filter((l) => l.startsWith('invalid'))).toEqual([
      expect.stringMatching(/unknown property "bogus"/),
      expect.stringMatching(/unknown property "extra"/),
      expect.stringMatching(/at "\/message" \[minLength\]/),
    ]);
    expect(lines.at(-1)).toBe('0 valid, 1 invalid');
  });

  it(`caps the list at ${MAX_ERRORS} errors a message and counts the rest`, async () => {
    const message: Record<string, unknown> = { type: 'ping', timestamp: TS };
    for (let i = 0; i < MAX_ERRORS + 5; i++) message[`x${i}`] = i;
    const lines = await report([message]);
    expect(lines.filter((l) => l.includes('[additionalProperties]'))).toHaveLength(MAX_ERRORS);
    expect(lines).toContain(`invalid ${lines[0]!.split(' ')[1]} … and 5 more error(s)`);
  });
});
