/**
 * The wsgen command line. Exit codes (README "CLI reference"):
 * 0 success; 1 drift found (check) or invalid messages (validate);
 * 2 bad schema, unreadable input or environment (a port that cannot be bound: WSGEN_LISTEN);
 * 3 usage error; 4 internal error.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { WsgenError } from './errors.js';
import { TARGETS, type Target, generate, schemaToIR } from './index.js';
import { BAD_UTF8, loadParser, splitMessages, type MessageSource, type ParseFn } from './validate-messages.js';
import { findDrift, writeOutput } from './write.js';

/**
 * Exit codes of the CLI: OK; FAILED, drift (check) or an invalid message (validate);
 * SCHEMA, any WsgenError (bad schema, unreadable input, unwritable output), after
 * which no target folder was changed; USAGE; INTERNAL, a bug.
 */
export const ExitCode = { OK: 0, FAILED: 1, SCHEMA: 2, USAGE: 3, INTERNAL: 4 } as const;

const DEFAULT_SCHEMA = 'schema';
const DEFAULT_OUT = 'generated';

function parseTargets(value: string): Target[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(n in TARGETS)) throw new CommanderError(ExitCode.USAGE, 'wsgen.target', `unknown target "${n}" (known: ${Object.keys(TARGETS).join(', ')})`);
  }
  return names as Target[];
}

function progress(enabled: boolean): (stage: string, detail?: string) => void {
  const start = performance.now();
  return (stage, detail) => {
    if (enabled) process.stderr.write(`wsgen: ${stage}${detail ? ` (${detail})` : ''} +${Math.round(performance.now() - start)}ms\n`);
  };
}

/** What the CLI uses of runtime/server/serve.js. */
interface ServeModule {
  serve(opts: { host: string; port: number }): Promise<unknown>;
  ListenError: new (...args: never[]) => Error & { format(): string };
}

/** `--port`: a decimal TCP port, 0 to 65535 (anything else is a usage error, exit 3). */
function parsePort(value: string): number {
  const n = /^[0-9]{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new InvalidArgumentError('expected a TCP port, an integer from 0 to 65535.');
  return n;
}

/** A folder as the CLI prints it, before `/name`: without trailing slashes. */
function folder(path: string): string {
  return path.replace(/\/+$/, '');
}

function readInput(file: string): Buffer {
  try {
    return file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (err) {
    throw new WsgenError('WSGEN_IO', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file, pointer: '' }, 'check the path');
  }
}

/** Builds the commander program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('wsgen')
    .description('Protocol-first toolchain: one JSON Schema to TypeScript types, guards, standalone validators and Pydantic v2 models.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const schemaOpt = () => new Option('--schema <dir|file>', 'schema folder or root file').default(DEFAULT_SCHEMA);
  const outOpt = () => new Option('--out <dir>', 'output folder').default(DEFAULT_OUT);
  const targetOpt = () => new Option('--target <list>', `comma-separated targets (${Object.keys(TARGETS).join(',')})`).argParser(parseTargets);

  program
    .command('generate')
    .description('generate code for every target into the output folder')
    .addOption(schemaOpt())
    .addOption(outOpt())
    .addOption(targetOpt())
    .option('--quiet', 'print nothing on success')
    .option('--progress', 'print each pipeline stage (default when stderr is a terminal)')
    .action(async (o: { schema: string; out: string; target?: Target[]; quiet?: boolean; progress?: boolean }) => {
      const started = performance.now();
      const { files, ir } = await generate({ schema: o.schema, out: o.out, ...(o.target ? { targets: o.target } : {}), onStage: progress(!o.quiet && (o.progress ?? process.stderr.isTTY === true)) });
      writeOutput(o.out, files);
      if (!o.quiet) {
        process.stdout.write(`wsgen: wrote ${files.size} files to ${folder(o.out)}/ (${ir.union.variants.length} message types, schema sha256:${ir.hash.slice(0, 12)}) in ${Math.round(performance.now() - started)} ms\n`);
      }
    });

  program
    .command('check')
    .description('regenerate in memory and fail (exit 1) when the output folder is stale or has orphan files')
    .addOption(schemaOpt())
    .addOption(outOpt())
    .addOption(targetOpt())
    .action(async (o: { schema: string; out: string; target?: Target[] }) => {
      const { files } = await generate({ schema: o.schema, out: o.out, ...(o.target ? { targets: o.target } : {}) });
      const drift = findDrift(o.out, files);
      const out = folder(o.out);
      if (drift.length === 0) {
        process.stdout.write(`wsgen check: ${out}/ is up to date (${files.size} files)\n`);
        return;
      }
      const hashOnly: string[] = [];
      for (const d of drift) {
        if (d.kind === 'stale' && d.hashOnly) hashOnly.push(`${out}/${d.path}`);
        else if (d.kind === 'stale') process.stdout.write(`stale: ${out}/${d.path}\n${d.diff}\n`);
        else if (d.kind === 'missing') process.stdout.write(`missing: ${out}/${d.path}\n`);
        else process.stdout.write(`orphan: ${out}/${d.path} (not generated from the schema; delete it)\n`);
      }
      // A schema change restamps every file; list the files where that is all that changed instead of diffing each.
      if (hashOnly.length > 0) process.stdout.write(`stale, only the schema hash differs (${hashOnly.length}): ${hashOnly.join(', ')}\n`);
      process.stdout.write(`wsgen check: ${drift.length} file(s) differ from the schema. Run \`wsgen generate\` and commit the result.\n`);
      process.exitCode = ExitCode.FAILED;
    });

  program
    .command('validate')
    .description('validate JSON or NDJSON messages (files, or - for stdin) against the schema')
    .argument('<files...>', 'message files (.json: one message; otherwise one message per line), or - for stdin')
    .addOption(schemaOpt())
    .option('--json', 'print one JSON result per message (NDJSON) instead of text')
    .action(async (fileArgs: string[], o: { schema: string; json?: boolean }) => {
      const parse = await loadParser(schemaToIR(o.schema));
      const messages: MessageSource[] = fileArgs.flatMap((f) => splitMessages(f === '-' ? '<stdin>' : f, readInput(f)));
      let invalid = 0;
      for (const m of messages) {
        const r: ReturnType<ParseFn> = m.badUtf8 ? { ok: false, errors: [BAD_UTF8] } : parse(m.text);
        if (!r.ok) invalid++;
        if (o.json) {
          process.stdout.write(JSON.stringify({ file: m.file, line: m.line, valid: r.ok, errors: r.ok ? [] : r.errors }) + '\n');
        } else if (r.ok) {
          process.stdout.write(`ok      ${m.file}:${m.line}\n`);
        } else {
          for (const e of r.errors) process.stdout.write(`invalid ${m.file}:${m.line} at "${e.path}" [${e.keyword}] ${e.message}\n`);
        }
      }
      if (!o.json) process.stdout.write(`${messages.length - invalid} valid, ${invalid} invalid\n`);
      if (invalid > 0) process.exitCode = ExitCode.FAILED;
    });

  program
    .command('serve')
    .description('start the reference server (reference guide and liaison agents) on 127.0.0.1 and print its URL')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port, 0 to 65535 (0 picks a free one)').default(8787).argParser(parsePort))
    .action(async (o: { host: string; port: number }) => {
      // Loaded lazily (and by URL, so the generator build does not pull the runtime in).
      const mod = (await import(new URL('../runtime/server/serve.js', import.meta.url).href)) as ServeModule;
      try {
        await mod.serve({ host: o.host, port: o.port });
      } catch (err) {
        // A busy or forbidden port, a host that is not local or does not resolve: the environment, not a bug (exit 2).
        if (!(err instanceof mod.ListenError)) throw err;
        process.stderr.write(err.format() + '\n');
        process.exitCode = ExitCode.SCHEMA;
      }
    });

  return program;
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  process.exitCode = 0;
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.OK;
      if (err.code === 'wsgen.target') process.stderr.write(`error: ${err.message}\n`);
      return ExitCode.USAGE;
    }
    if (err instanceof WsgenError) {
      process.stderr.write(err.format() + '\n');
      return ExitCode.SCHEMA;
    }
    process.stderr.write(`wsgen: internal error: ${(err as Error).stack ?? String(err)}\nPlease report it with the schema that caused it.\n`);
    return ExitCode.INTERNAL;
  }
}
