// Graceful shutdown of a standalone server process on SIGINT/SIGTERM, shared by `wsgen serve` and
// `wsgen serve --schema`.

/**
 * Installs SIGINT and SIGTERM handlers that close `server` gracefully, then exit 0 (1 if closing failed); a
 * second signal exits 130 at once. Call it before announcing the server (printing its URLs): until a listener
 * exists, Node leaves the signals' default action in place, and a supervisor that signals as soon as it reads
 * the announcement would kill the process without a graceful close.
 */
export function closeOnSignals(server: { close(): Promise<unknown> }, print: (line: string) => void): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    print(`${signal}: shutting down gracefully (again to force)`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
