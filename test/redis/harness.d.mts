// Types of harness.mjs (the Redis test and bench harness).
import type { ChildProcess } from 'node:child_process';

/** The redis-server binary (REDIS_SERVER, default /usr/bin/redis-server). */
export declare const REDIS_SERVER: string;
/** Sends SIGKILL (or `signal`) to a child and waits for its exit. */
export declare function stopProcess(proc: ChildProcess, signal?: NodeJS.Signals): Promise<void>;
/** One redis-server on 127.0.0.1, no persistence, in a temp dir. */
export declare class RedisServer {
  /** The port (kept across stop/start). */
  port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Starts it (a free port the first time, the same port after a stop). */
  start(): Promise<void>;
  /** Stops it (SIGKILL by default: its data is lost). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it and removes its temp dir. */
  dispose(): Promise<void>;
}
/** Starts a redis-server on a free port. */
export declare function startRedis(): Promise<RedisServer>;
/** A token a node knows, with its session (and user: the session id by default). */
export interface TokenSpec {
  token: string;
  sessionId: string;
  userId?: string;
}
/** A server node in a child process (fixtures/node.mjs). */
export interface NodeProcess {
  proc: ChildProcess;
  port: number;
  /** ws:// URL of a path. */
  url(path: string): string;
  /** JSON log lines the node wrote to stderr. */
  logs: string[];
}
/** Starts a node; `extra`: port, maxConnectionsPerUser, replay, chunkDelayMs, validateOutbound, presenceTtlMs. */
export declare function startNode(redisUrl: string, nodeId: string, tokens: readonly TokenSpec[], extra?: Record<string, unknown>): Promise<NodeProcess>;
/** Sends an IPC command to a node and resolves with its answer. */
export declare function ask<T = { ok: unknown }>(node: NodeProcess, cmd: Record<string, unknown>): Promise<T>;
/** A Redis and nodes on it. */
export interface TestCluster {
  redis: RedisServer;
  nodes: NodeProcess[];
}
/** Starts a Redis and one node per id; `cleanup` gets what stops them. */
export declare function startCluster(cleanup: Array<() => unknown>, ids: string[], tokens: readonly TokenSpec[], extra?: Record<string, unknown>): Promise<TestCluster>;
