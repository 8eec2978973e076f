/**
 * The wsgen command line: one module per command in cli/. Exit codes (README
 * "CLI reference"): 0 success; 1 drift found (check), invalid messages
 * (validate) or a breaking change without a major bump (breaking); 2 bad
 * schema, config, input or environment (a port that cannot be bound:
 * WSGEN_LISTEN); 3 usage error; 4 internal error.
 */
import { Command, CommanderError } from 'commander';
import { WsgenError } from './errors.js';
import { registerAsyncApi } from './cli/asyncapi.js';
import { registerBreaking } from './cli/breaking.js';
import { registerCheck } from './cli/check.js';
import { registerDocs } from './cli/docs.js';
import { ExitCode, USAGE_HINT } from './cli/common.js';
import { registerGenerate } from './cli/generate.js';
import { registerInit } from './cli/init.js';
import { failure, jsonCommand, printJson } from './cli/json-output.js';
import { registerServe } from './cli/serve.js';
import { registerValidate } from './cli/validate.js';

export { ExitCode } from './cli/common.js';

/** Builds the commander program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('wsgen')
    .description('Protocol-first toolchain: one JSON Schema to TypeScript types, guards, standalone validators and Pydantic v2 models.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    // After commander's own line for an unknown command or option, a missing argument…: where to look (subcommands inherit it).
    .showHelpAfterError(USAGE_HINT);
  registerInit(program);
  registerGenerate(program);
  registerCheck(program);
  registerValidate(program);
  registerBreaking(program);
  registerAsyncApi(program);
  registerDocs(program);
  registerServe(program);
  return program;
}

/** Runs the CLI and returns the exit code. With `--json`, every failure is also printed as the JSON envelope on stdout. */
export async function main(argv: readonly string[]): Promise<number> {
  process.exitCode = 0;
  const json = jsonCommand(argv);
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // `wsgen` with no command shows the help as an error (commander's exitCode 1): a usage error. Asked-for help is not.
      if (err.code === 'commander.help' && err.exitCode !== 0) return ExitCode.USAGE;
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.OK;
      if (err.code.startsWith('wsgen.')) process.stderr.write(`error: ${err.message}\n${USAGE_HINT}\n`);
      if (json) printJson(failure(json, err, true));
      return ExitCode.USAGE;
    }
    if (err instanceof WsgenError) {
      process.stderr.write(err.format() + '\n');
      if (json) printJson(failure(json, err));
      return ExitCode.SCHEMA;
    }
    process.stderr.write(`wsgen: internal error: ${(err as Error).stack ?? String(err)}\nPlease report it with the schema that caused it.\n`);
    if (json) printJson(failure(json, err));
    return ExitCode.INTERNAL;
  }
}
