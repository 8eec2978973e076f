import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as bundled from '../../generated/ts/index.js';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from './helpers.js';

// The protocol descriptor (generated/ts/protocol.ts, wsgen_protocol/protocol.py):
// what it says for the bundled protocol, a whiteboard and a protocol without
// roles, that it carries everything the runtimes import from generated/ts
// today, and that both targets say the same.

type Descriptor = typeof bundled.protocol;
const PYTHON = join(ROOT, '.venv/bin/python');

/** Generates a fixture into a temp folder and imports its TS descriptor. */
async function generated(fixture: string): Promise<{ dir: string; protocol: Descriptor }> {
  const dir = tempDir();
  const { files } = await generate({ schema: join(ROOT, fixture), out: join(dir, 'gen') });
  writeOutput(join(dir, 'gen'), files);
  return { dir, protocol: (await import(pathToFileURL(join(dir, 'gen/ts/protocol.ts')).href)).protocol };
}

/** The descriptor as plain JSON (functions left out), the shape descriptor_dump.py prints for Python. */
function plain(p: Descriptor): unknown {
  const { parse: _p, validate: _v, messages, ...rest } = p;
  return { ...rest, messages: Object.fromEntries(Object.entries(messages).map(([t, { is: _is, ...m }]) => [t, m])) };
}

function pythonDescriptor(pkgParent: string): unknown {
  return JSON.parse(execFileSync(PYTHON, [join(ROOT, 'test/generator/descriptor_dump.py'), pkgParent], { encoding: 'utf8' }));
}

describe('the bundled protocol descriptor', () => {
  const p = bundled.protocol;

  it('names the tag, the role of each control message and the field of each field role', () => {
    expect(p.tag).toBe('type');
    expect(p.roles).toEqual({ 'session-created': 'session_created', 'session-resume': 'session_resume', 'session-updated': 'session_updated', 'session-expired': 'session_expired', ping: 'ping', pong: 'pong', error: 'error_message', 'stream-chunk': 'agent_streaming', 'stream-end': 'agent_complete' });
    expect(p.fields).toEqual({ 'correlation-id': 'message_id', sequence: 'seq', 'last-sequence': 'last_seq', 'stream-epoch': 'epoch', 'stream-index': 'stream_index', 'session-id': 'session_id', 'session-status': 'status', 'error-code': 'error_code', 'error-text': 'message', 'error-details': 'error_details', 'schema-hash': 'schema_hash', 'stream-content': 'message' });
    expect(p.capabilities).toEqual(['heartbeat', 'resume', 'streams', 'error-replies']);
  });

  it('lists every message type in union order with direction and priority (progress_update is low)', () => {
    expect(Object.keys(p.messages)).toEqual([...bundled.MESSAGE_TYPE_VALUES]);
    const low = Object.entries(p.messages).filter(([, m]) => m.priority === 'low').map(([t]) => t);
    expect(low).toEqual(['progress_update']);
    expect(p.messages.session_resume).toMatchObject({ name: 'SessionResume', direction: 'client', role: 'session-resume' });
    expect(p.messages.user_message).toMatchObject({ name: 'UserMessage', direction: 'client', priority: 'normal', role: null });
    expect(p.messages.user_message.is).toBe(bundled.isUserMessage);
  });

  it('carries what the runtimes import from generated/ts today: MESSAGE_META, SCHEMA_HASH, the code tables and their infos', () => {
    for (const [tag, meta] of Object.entries(bundled.MESSAGE_META)) expect(p.messages[tag as keyof typeof p.messages]).toMatchObject({ name: meta.name, direction: meta.direction });
    expect(p.schemaHash).toBe(bundled.SCHEMA_HASH);
    expect(p.version).toBe(bundled.SCHEMA_VERSION);
    expect(p.maxDepth).toBe(bundled.MAX_DEPTH);
    for (const [name, value] of Object.entries(bundled.CloseCode)) {
      const info = bundled.CloseCodeInfo[value];
      expect(p.closeCodes[name as keyof typeof p.closeCodes]).toEqual({ value, retryable: info.retryable, terminal: !info.retryable, description: info.description });
    }
    for (const [name, value] of Object.entries(bundled.ErrorCode)) {
      expect(p.errorCodes[name as keyof typeof p.errorCodes]).toEqual({ value, ...bundled.ErrorCodeInfo[value] });
    }
    expect(p.closeCodeRanges).toEqual({ retryable: bundled.CloseCodeMeta.retryableRange, terminal: bundled.CloseCodeMeta.terminalRange });
    expect(p.enums.PillarType).toEqual(bundled.PILLAR_TYPE_VALUES);
  });

  it('validates through parse, validate and each type guard', () => {
    const ping = { type: 'ping', timestamp: '2026-01-01T00:00:00Z' };
    expect(p.parse(JSON.stringify(ping)).ok).toBe(true);
    expect(p.validate({ ...ping, extra: 1 }).ok).toBe(false);
    expect(p.messages.ping.is(ping)).toBe(true);
    expect(p.messages.pong.is(ping)).toBe(false);
  });

  it('is the same in Python', () => {
    expect(pythonDescriptor(join(ROOT, 'generated/python'))).toEqual(plain(p));
  });
});

describe('the descriptor of a protocol without roles (test/fixtures/mini)', async () => {
  const { dir, protocol } = await generated('test/fixtures/mini');

  it('has no capability, role, field or code table; every type goes both ways at normal priority', () => {
    expect(protocol.tag).toBe('kind');
    expect(protocol.capabilities).toEqual([]);
    expect(protocol.roles).toEqual({});
    expect(protocol.fields).toEqual({});
    expect(protocol.errorCodes).toEqual({});
    expect(protocol.closeCodes).toEqual({});
    expect(Object.values(protocol.messages).map((m) => [m.name, m.direction, m.priority, m.role, m.fields])).toEqual([
      ['Join', 'both', 'normal', null, []],
      ['Move', 'both', 'normal', null, []],
      ['Chat', 'both', 'normal', null, []],
    ]);
    expect(protocol.enums).toEqual({ Color: ['red', 'green', 'light-blue'] });
  });

  it('is the same in Python', () => {
    expect(pythonDescriptor(join(dir, 'gen/python'))).toEqual(plain(protocol));
  });
});

describe('the descriptor of the whiteboard (test/fixtures/whiteboard)', async () => {
  const { dir, protocol } = await generated('test/fixtures/whiteboard');

  it('maps the roles onto its own tag and field names', () => {
    expect(protocol.tag).toBe('op');
    expect(protocol.capabilities).toEqual(['heartbeat', 'resume', 'streams', 'error-replies']);
    expect(protocol.roles).toMatchObject({ 'session-created': 'welcome', ping: 'heartbeat', pong: 'heartbeat_ack', error: 'failure', 'stream-chunk': 'export_chunk' });
    expect(protocol.fields).toMatchObject({ 'correlation-id': 'ref', 'last-sequence': 'after', 'stream-index': 'part', 'error-code': 'code', 'stream-content': 'data' });
    expect(protocol.messages).toMatchObject({ cursor_moved: { priority: 'low' }, heartbeat_ack: { fields: ['correlation-id'] } });
    expect(Object.keys(protocol.closeCodes)).toContain('REPLACED');
    expect(Object.keys(protocol.errorCodes)).toContain('SHAPE_NOT_FOUND');
  });

  it('is the same in Python', () => {
    expect(pythonDescriptor(join(dir, 'gen/python'))).toEqual(plain(protocol));
  });
});

describe('the descriptor of a protocol whose role fields are all inherited through allOf of two or more $refs (test/fixtures/mixins)', async () => {
  const { dir, protocol } = await generated('test/fixtures/mixins');

  it('names each inherited role field, and each message type lists the roles of the fields its mixins give it', () => {
    expect(protocol.fields).toEqual({ 'correlation-id': 'cid', sequence: 'n', 'last-sequence': 'after', 'stream-epoch': 'era', 'stream-index': 'idx', 'session-id': 'sid', 'session-status': 'state', 'error-code': 'code', 'error-text': 'why', 'stream-content': 'text' });
    expect(protocol.capabilities).toEqual(['resume', 'streams', 'error-replies']);
    expect(protocol.messages).toMatchObject({
      hello: { role: 'session-created', fields: ['correlation-id', 'sequence', 'stream-epoch', 'session-id'] },
      rejoin: { role: 'session-resume', fields: ['correlation-id', 'last-sequence', 'stream-epoch', 'session-id'] },
      finished: { role: 'stream-end', fields: ['correlation-id', 'sequence', 'stream-index'] },
    });
  });

  it('is the same in Python', () => {
    expect(pythonDescriptor(join(dir, 'gen/python'))).toEqual(plain(protocol));
  });
});
