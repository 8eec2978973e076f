// Key and channel names of the Redis layout (docs/redis-layout.md "Keys" and "Channels").
import { ConfigError } from '../errors.js';

/** Characters a session id or endpoint key must not contain: hash-tag braces and control characters. */
const UNSAFE = /[{}\u0000-\u001f\u007f]/;

/** The keys of one session stream: both carry the hash tag `{<sessionId>}` (one Redis Cluster slot). */
export interface StreamKeys {
  /** `P{sid}:<ep>:meta` (hash: epoch, seq, bytes, owner). */
  readonly meta: string;
  /** `P{sid}:<ep>:log` (stream: entry id `<seq>-0`, fields t, n, d). */
  readonly log: string;
}

/**
 * The keys of the stream of `sessionId` on endpoint `endpointKey` under `prefix`.
 * @throws {ConfigError} when the session id or endpoint key contains `{`, `}` or a control character (it would
 * break the hash tag or the key's parsing).
 */
export function streamKeys(prefix: string, sessionId: string, endpointKey: string): StreamKeys {
  if (UNSAFE.test(sessionId)) throw new ConfigError('session.sessionId', `session id ${JSON.stringify(sessionId)} contains '{', '}' or a control character`, 'issue session ids of letters, digits, - and _');
  if (UNSAFE.test(endpointKey)) throw new ConfigError('endpoint.key', `endpoint key ${JSON.stringify(endpointKey)} contains '{', '}' or a control character`, 'use endpoint names and path values without braces');
  const base = `${prefix}{${sessionId}}:${endpointKey}:`;
  return { meta: base + 'meta', log: base + 'log' };
}

/** Names of the node-level keys and channels under one prefix `P` (`Pfanout`, `Pnode:<id>`, `Ppresence:user:<id>`). */
export class Names {
  /** The key prefix (`wsgen:` by default). */
  readonly prefix: string;
  /** The fan-out channel `Pfanout`. */
  readonly fanout: string;

  /** Names under `prefix`. */
  constructor(prefix: string) {
    this.prefix = prefix;
    this.fanout = `${prefix}fanout`;
  }

  /** `Pnode:<nodeId>`: the presence key and the control channel of a node. */
  node(nodeId: string): string {
    return `${this.prefix}node:${nodeId}`;
  }

  /** `Ppresence:user:<userId>`: the sorted set of a user's connections on every node. */
  user(userId: string): string {
    return `${this.prefix}presence:user:${userId}`;
  }
}
