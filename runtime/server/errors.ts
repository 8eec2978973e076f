// Errors of the server runtime that a caller (the CLI, an embedding app) must
// tell apart from bugs: each has a stable code, a location and a hint.

/** Stable code of a {@link ListenError}. */
export const LISTEN_ERROR_CODE = 'WSGEN_LISTEN';

/** Hints by the errno of a failed listen (Node's net errors, from libuv / getaddrinfo). */
const HINTS: Record<string, string> = {
  EADDRINUSE: 'another process holds this port: stop it, pick another port, or use port 0 for a free one',
  EACCES: 'this process may not bind this port (ports below 1024 need privileges): use a port of 1024 or more',
  EADDRNOTAVAIL: 'the host is not an address of this machine: use 127.0.0.1, ::1, 0.0.0.0 or one of its interfaces',
  ENOTFOUND: 'the host name does not resolve: use an IP address or a name this machine resolves',
  EAI_AGAIN: 'the host name could not be resolved now (DNS unavailable): use an IP address',
  EAFNOSUPPORT: 'this machine does not support the address family of the host (IPv6?): use 127.0.0.1',
};

/**
 * The standalone server could not listen on host:port: an environment or input
 * problem (a busy port, a forbidden port, a host that is not local or does not
 * resolve), never a bug. `errno` is Node's error code (EADDRINUSE, EACCES,
 * EADDRNOTAVAIL, ENOTFOUND…); the original error is `cause`.
 */
export class ListenError extends Error {
  /** Always {@link LISTEN_ERROR_CODE}. */
  readonly code = LISTEN_ERROR_CODE;
  readonly host: string;
  readonly port: number;
  readonly errno: string;
  readonly hint: string;

  constructor(host: string, port: number, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
    super(`cannot listen on ${host}:${port}: ${errno} (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'ListenError';
    this.host = host;
    this.port = port;
    this.errno = errno;
    this.hint = HINTS[errno] ?? 'check the host and port';
  }

  /** `host:port` (IPv6 hosts in brackets), the error's location. */
  get where(): string {
    return `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** The CLI rendering: `error WSGEN_LISTEN: …`, `at host:port`, `hint: …`. */
  format(): string {
    return `error ${this.code}: ${this.message}\n  at ${this.where}\n  hint: ${this.hint}`;
  }
}

/** Stable code of a {@link ConfigError}. */
export const CONFIG_ERROR_CODE = 'WSGEN_CONFIG';

/**
 * The server's options cannot work with its protocol: an endpoint parameter without values or naming an enum the
 * protocol lacks, two endpoints on one path, a handler for a type clients may not send or that the runtime answers
 * itself (a role message). Thrown by createServer/makeServer before anything listens.
 */
export class ConfigError extends Error {
  /** Always {@link CONFIG_ERROR_CODE}. */
  readonly code = CONFIG_ERROR_CODE;
  /** Where: the option, for example `endpoints.liaison` or `handlers.ping`. */
  readonly where: string;
  readonly hint: string;

  constructor(where: string, message: string, hint: string) {
    super(`${where}: ${message}`);
    this.name = 'ConfigError';
    this.where = where;
    this.hint = hint;
  }
}

/**
 * A message the server built breaks the protocol's schema (`validateOutbound`). Thrown before the message takes a
 * `seq` or enters the replay buffer, so it is never sent and leaves no gap; a request whose reply, stream chunk or
 * stream end throws it gets an INTERNAL_ERROR reply instead (logged as `invalid_outbound`, then `handler_error`).
 * `type` is the message's tag value, `errors` its validation issues (`{path, keyword, message, params}`).
 */
export class InvalidOutboundError extends Error {
  /** Always `INTERNAL_ERROR`: the error code of the reply the requester gets. */
  readonly code = 'INTERNAL_ERROR';
  readonly type: string;
  readonly errors: readonly unknown[];
  /** What to do about it. */
  readonly hint: string;

  constructor(type: string, errors: readonly unknown[]) {
    super(`invalid outbound ${type}: ${JSON.stringify(errors)}`);
    this.name = 'InvalidOutboundError';
    this.type = type;
    this.errors = errors;
    this.hint = `the server built a ${type} its schema refuses: fix the handler that built it (nothing was sent)`;
  }
}
