/** `wsgen serve`: starts the reference server (README "CLI reference"). */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode } from './common.js';
import { loadProtocol } from './load-protocol.js';

/** What the CLI uses of runtime/server/serve.js. */
interface ServeModule {
  serve(opts: { host: string; port: number }): Promise<unknown>;
  ListenError: new (...args: never[]) => Error & { format(): string };
}

/** What the CLI uses of runtime/server/serve-schema.js. */
interface ServeSchemaModule {
  serveProtocol(opts: { protocol: unknown; host: string; port: number }): Promise<unknown>;
}

/** Options of `wsgen serve`. */
interface ServeFlags {
  host: string;
  port: number;
  schema?: string;
}

/** Starts the development server of a user's schema, or the bundled chat app without `--schema`. */
async function start(o: ServeFlags, mod: ServeModule): Promise<void> {
  if (o.schema === undefined) {
    await mod.serve({ host: o.host, port: o.port });
    return;
  }
  const protocol = await loadProtocol(o.schema);
  const echo = (await import(new URL('../../runtime/server/serve-schema.js', import.meta.url).href)) as ServeSchemaModule;
  await echo.serveProtocol({ protocol, host: o.host, port: o.port });
}

/** `--port`: a decimal TCP port, 0 to 65535 (anything else is a usage error, exit 3). */
function parsePort(value: string): number {
  const n = /^[0-9]{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new InvalidArgumentError('expected a TCP port, an integer from 0 to 65535.');
  return n;
}

/** Adds `serve` to the program. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the reference server (reference guide and liaison agents), or with --schema a development server of that protocol (validates, answers the roles, replies to each message), on 127.0.0.1 and print its URL')
    .option('--schema <dir|file>', 'serve this schema\'s protocol (a reply per message type) instead of the bundled chat app')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port, 0 to 65535 (0 picks a free one)').default(8787).argParser(parsePort))
    .action(async (o: ServeFlags) => {
      // Loaded lazily (and by URL, so the generator build does not pull the runtime in).
      const mod = (await import(new URL('../../runtime/server/serve.js', import.meta.url).href)) as ServeModule;
      try {
        await start(o, mod);
      } catch (err) {
        // A busy or forbidden port, a host that is not local or does not resolve: the environment, not a bug (exit 2).
        if (!(err instanceof mod.ListenError)) throw err;
        process.stderr.write(err.format() + '\n');
        process.exitCode = ExitCode.SCHEMA;
      }
    });
}
