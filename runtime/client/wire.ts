/**
 * The runtime's view of a protocol descriptor: the tag, the property names of the
 * field roles, the message type of each role, and the capabilities that light up
 * only when their roles are present (docs/roles.md, "Capabilities"). Every other
 * module reads messages through this view, never by a bundled name.
 */
import type { ProtocolDescriptor } from './protocol.js';
import { requireTaggedRoot } from '../protocol/descriptor.js';

/** A message on the wire, untyped: the typed surface is the service's. */
export type WireMessage = Record<string, unknown>;

/** Field role → property name, for the roles the runtime reads or writes (undefined: the protocol has none). */
export interface WireFields {
  id: string | undefined;
  seq: string | undefined;
  lastSeq: string | undefined;
  epoch: string | undefined;
  index: string | undefined;
  sessionId: string | undefined;
  status: string | undefined;
  errorCode: string | undefined;
  errorText: string | undefined;
  errorDetails: string | undefined;
  schemaHash: string | undefined;
  content: string | undefined;
}

/** Message role → message type, for the roles the runtime reads or writes. */
export interface WireRoles {
  created: string | undefined;
  resume: string | undefined;
  updated: string | undefined;
  ping: string | undefined;
  pong: string | undefined;
  error: string | undefined;
  chunk: string | undefined;
  end: string | undefined;
}

/** The view of one protocol: see the module comment. */
export interface Wire {
  /** The descriptor it was made from. */
  protocol: ProtocolDescriptor;
  /** The tag property. */
  tag: string;
  /** Schema hash, hex. */
  hash: string;
  /** Field names by role. */
  f: WireFields;
  /** Message types by role. */
  r: WireRoles;
  /** The heartbeat capability (ping and pong roles). */
  heartbeat: boolean;
  /** The resume capability (session roles): the connection waits for the session-created message. */
  resume: boolean;
  /** The streams capability (stream-chunk and stream-end roles). */
  streams: boolean;
}

/** Builds the view of `protocol`. */
export function wireOf(protocol: ProtocolDescriptor): Wire {
  requireTaggedRoot(protocol);
  const fl = protocol.fields;
  const ro = protocol.roles;
  const caps = protocol.capabilities;
  return {
    protocol,
    tag: protocol.tag,
    hash: protocol.schemaHash.replace(/^sha256:/, ''),
    f: {
      id: fl['correlation-id'],
      seq: fl['sequence'],
      lastSeq: fl['last-sequence'],
      epoch: fl['stream-epoch'],
      index: fl['stream-index'],
      sessionId: fl['session-id'],
      status: fl['session-status'],
      errorCode: fl['error-code'],
      errorText: fl['error-text'],
      errorDetails: fl['error-details'],
      schemaHash: fl['schema-hash'],
      content: fl['stream-content'],
    },
    r: {
      created: ro['session-created'],
      resume: ro['session-resume'],
      updated: ro['session-updated'],
      ping: ro['ping'],
      pong: ro['pong'],
      error: ro['error'],
      chunk: ro['stream-chunk'],
      end: ro['stream-end'],
    },
    heartbeat: caps.includes('heartbeat'),
    resume: caps.includes('resume'),
    streams: caps.includes('streams'),
  };
}

/** The message type (tag value) of `msg`. */
export function typeOf(w: Wire, msg: WireMessage): string {
  return msg[w.tag] as string;
}

/** The JSON Pointer (RFC 6901) of the tag property, for validation issues. */
export function tagPath(w: Wire): string {
  return '/' + w.tag.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Reads field `name` of `msg` (undefined when the protocol has no such field). */
export function read(msg: WireMessage, name: string | undefined): unknown {
  return name === undefined ? undefined : msg[name];
}

/** The correlation id of `msg`, when it is a string. */
export function idOf(w: Wire, msg: WireMessage): string | undefined {
  const v = read(msg, w.f.id);
  return typeof v === 'string' ? v : undefined;
}

/** Can a client send type `type`? */
export function isClientSendable(w: Wire, type: string): boolean {
  const m = Object.hasOwn(w.protocol.messages, type) ? w.protocol.messages[type] : undefined;
  return m !== undefined && m.direction !== 'server';
}

/** Can a server send type `type`? */
export function isServerSendable(w: Wire, type: string): boolean {
  const m = Object.hasOwn(w.protocol.messages, type) ? w.protocol.messages[type] : undefined;
  return m !== undefined && m.direction !== 'client';
}

/** Builds a control message of type `type` with the given fields (a field whose role the protocol lacks is left out). */
export function control(w: Wire, type: string, fields: Array<[string | undefined, unknown]>, fill: (msg: WireMessage) => void): WireMessage {
  const msg: WireMessage = { [w.tag]: type };
  for (const [k, v] of fields) if (k !== undefined && v !== undefined) msg[k] = v;
  fill(msg);
  return msg;
}
