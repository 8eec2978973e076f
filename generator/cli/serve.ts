/** `wsgen serve`: starts the reference server (README "CLI reference"). */
import type { Command } from 'commander';

/** Adds `serve` to the program. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the reference server (reference guide and liaison agents) on 127.0.0.1 and print its URL')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '8787')
    .action(async (o: { host: string; port: string }) => {
      // Loaded lazily (and by URL, so the generator build does not pull the runtime in).
      const mod = (await import(new URL('../../runtime/server/serve.js', import.meta.url).href)) as { serve(opts: { host: string; port: number }): Promise<unknown> };
      await mod.serve({ host: o.host, port: Number(o.port) });
    });
}
