// A server's text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked), header and
// UTF-8 payload in one buffer, so that the ws adapter can hand a reply to the
// TCP socket in one write instead of ws's header buffer, payload buffer, two
// writes and the option objects of each send. The bytes are those ws's own
// Sender.frame produces for the same text (test/server/ws-frame.test.ts).

/**
 * The frame of text message `text` as a server sends it (RFC 6455 §5.2): FIN set, RSV bits clear, opcode 1 (text),
 * no mask, the payload length in its shortest form (7 bits up to 125 bytes, 16 bits up to 65 535, else 64 bits).
 * `bytes` is the UTF-8 size of `text` (Buffer.byteLength); when it equals `text.length` the text is ASCII and is
 * copied as one byte per character.
 * A frame under 4 KiB comes from Node's shared buffer pool (Buffer.allocUnsafe), as Buffer.from would.
 */
export function textFrame(text: string, bytes: number): Buffer {
  const head = bytes < 126 ? 2 : bytes < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + bytes);
  frame[0] = 0x81;
  if (head === 2) frame[1] = bytes;
  else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(bytes, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(bytes / 0x1_0000_0000), 2);
    frame.writeUInt32BE(bytes >>> 0, 6);
  }
  if (bytes !== 0) frame.write(text, head, bytes, bytes === text.length ? 'latin1' : 'utf8');
  return frame;
}
