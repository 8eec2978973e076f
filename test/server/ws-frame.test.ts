// The ws adapter writes a reply's frame itself (ws-frame.ts): its bytes must be the ones ws's own sender writes for
// the same text (RFC 6455 §5.2), at every length form and for any text, and a client must read them as the text.
import { describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import { serializedBytes } from '../../runtime/server/wire.js';
import { textFrame } from '../../runtime/server/ws-frame.js';
import { rawSocket, ts, withGuideClient } from './helpers.js';

/** The bytes ws's Sender writes for `text` sent by a server ({binary: false}, no compression). */
function wsFrame(text: string): Buffer {
  const data = Buffer.from(text);
  const Sender = (wsModule as unknown as { Sender: { frame(d: Buffer, o: object): Buffer[] } }).Sender;
  return Buffer.concat(Sender.frame(data, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
}

describe('textFrame', () => {
  it("equals ws's frame at every payload length form and its edges (7, 16 and 64-bit lengths)", () => {
    for (const n of [0, 1, 125, 126, 127, 4095, 4096, 65535, 65536, 70000]) {
      const text = 'x'.repeat(n);
      expect(textFrame(text, Buffer.byteLength(text)).equals(wsFrame(text)), `length ${n}`).toBe(true);
    }
  });

  it("equals ws's frame for any text: multi-byte, astral, quotes, controls, a lone surrogate (U+FFFD, as Buffer.from)", async () => {
    const fc = (await import('fast-check')).default;
    for (const t of ['é', '日本語', 'emoji 😀', 'lone \ud800', '"\\\u0001', 'é'.repeat(63), 'é'.repeat(64), '😀'.repeat(16384)]) {
      expect(textFrame(t, Buffer.byteLength(t)).equals(wsFrame(t)), t.slice(0, 20)).toBe(true);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (t) => textFrame(t, Buffer.byteLength(t)).equals(wsFrame(t))),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('with serializedBytes as the ws adapter calls it (a text marked plain ASCII: its length)', async () => {
    const { agentMessageJson } = await import('../../runtime/server/chat/serialize.js');
    for (const message of ['plain', 'é accent']) {
      const text = agentMessageJson({ type: 'agent_message', message_id: 'm-1', timestamp: '2025-01-01T00:00:00.000Z', session_id: 's', agent: 'guide_agent', realm: 'experience', message, seq: 1 });
      expect(textFrame(text, serializedBytes(text)).equals(wsFrame(text))).toBe(true);
    }
  });
});

describe('replies written as whole frames by the ws adapter', () => {
  it('reach a client intact at every length form, in order, interleaved with a close that follows them', async () => {
    await withGuideClient({ rateLimit: false, maxInFlight: 1000 }, async (c, t) => {
      // 16-bit and 64-bit reply lengths (the reply carries the envelope too), multi-byte and astral text.
      const frameOf = (i: number, message: string) => JSON.stringify({ type: 'user_message', timestamp: ts(), message_id: `f${i}`, message });
      const texts = ['a', 'é'.repeat(40), 'x'.repeat(200), '日本'.repeat(5000), 'y'.repeat(32768), '😀'.repeat(16300)];
      // The last one padded to an inbound frame of exactly maxPayload (64 KiB): its reply, with the longer envelope, needs the 64-bit length.
      texts[5] += 'y'.repeat(65536 - Buffer.byteLength(frameOf(5, texts[5]!)));
      texts.forEach((message, i) => c.ws.send(frameOf(i, message)));
      for (let i = 0; i < texts.length; i++) {
        const m = await c.nextOfType('agent_message');
        expect(m.message_id).toBe(`f${i}`);
        expect(m.message).toBe(texts[i]);
      }
      expect(Buffer.byteLength(c.raw.at(-1)!)).toBeGreaterThanOrEqual(65536);
      await t.close(); // the shutdown's close frame comes after every reply
      expect((await c.closed).code).toBe(1012);
    });
  });

  it('a socket with permessage-deflate is still sent through ws: its replies are compressed (RSV1, RFC 7692)', async () => {
    await withGuideClient({ compression: { threshold: 0 } }, async (c) => {
      const chunks: Buffer[] = [];
      rawSocket(c.ws).prependListener('data', (b: Buffer) => void chunks.push(b));
      c.ws.send(JSON.stringify({ type: 'user_message', timestamp: ts(), message_id: 'z1', message: 'zip '.repeat(100) }));
      expect((await c.nextOfType('agent_message')).message).toBe('zip '.repeat(100));
      // Every server frame's first byte: FIN, RSV1 (compressed), opcode 1.
      const bytes = Buffer.concat(chunks);
      const firsts: number[] = [];
      for (let at = 0; at < bytes.length; ) {
        firsts.push(bytes[at]!);
        const len7 = bytes[at + 1]! & 0x7f;
        const [head, len] = len7 === 126 ? [4, bytes.readUInt16BE(at + 2)] : len7 === 127 ? [10, Number(bytes.readBigUInt64BE(at + 2))] : [2, len7];
        at += head + len;
      }
      expect(firsts.length).toBeGreaterThanOrEqual(1);
      for (const b of firsts) expect(b).toBe(0xc1);
    });
  });
});
