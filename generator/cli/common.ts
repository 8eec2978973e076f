/** What every wsgen command shares: exit codes, the common options, progress and input helpers. */
import { readFileSync, writeFileSync } from 'node:fs';
import { CommanderError, Option } from 'commander';
import { WsgenError } from '../errors.js';
import { TARGETS, type Target } from '../index.js';
import { ioError } from '../io-errors.js';

/**
 * Exit codes of the CLI: OK; FAILED, drift (check), an invalid message
 * (validate) or a breaking change without a major version bump (breaking);
 * SCHEMA, any WsgenError (bad schema or config, unreadable input, unwritable
 * output, files wsgen did not write in an output folder), after which no target
 * folder was changed; USAGE; INTERNAL, a bug.
 */
export const ExitCode = { OK: 0, FAILED: 1, SCHEMA: 2, USAGE: 3, INTERNAL: 4 } as const;

/** The line printed after every usage error (exit 3): where to read the commands and options. */
export const USAGE_HINT = "hint: run 'wsgen --help' for the commands, 'wsgen <command> --help' for a command's options";

/** Parses `--target ts,python`; an unknown name is a usage error (exit 3). */
export function parseTargets(value: string): Target[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(n in TARGETS)) throw new CommanderError(ExitCode.USAGE, 'wsgen.target', `unknown target "${n}" (known: ${Object.keys(TARGETS).join(', ')})`);
  }
  return names as Target[];
}

/** `--schema`: no default here, so that a config file can supply one (the default is `schema`). */
export const schemaOpt = (): Option => new Option('--schema <dir|file>', 'schema folder or root file (default: wsgen.config.json "schema", else schema)');
/** `--out`: puts every target under one folder, OUT/ts and OUT/python, overriding the config file. */
export const outOpt = (): Option => new Option('--out <dir>', 'output folder for every target: OUT/ts, OUT/python (default: the config file\'s folders, else generated)');
/** `--target`: the targets to generate, overriding the config file. */
export const targetOpt = (): Option => new Option('--target <list>', `comma-separated targets (${Object.keys(TARGETS).join(',')})`).argParser(parseTargets);
/** `--config`: an explicit config file instead of the one found upward from the working directory. */
export const configOpt = (): Option => new Option('--config <file>', 'config file (default: the nearest wsgen.config.json at or above the working directory)');
/** `--json`: machine-readable output (README "JSON output"). */
export const jsonOpt = (): Option => new Option('--json', 'print the result as JSON (README "JSON output")');

/** Prints pipeline stages to stderr with elapsed milliseconds when enabled. */
export function progress(enabled: boolean): (stage: string, detail?: string) => void {
  const start = performance.now();
  return (stage, detail) => {
    if (enabled) process.stderr.write(`wsgen: ${stage}${detail ? ` (${detail})` : ''} +${Math.round(performance.now() - start)}ms\n`);
  };
}

/** A folder as the CLI prints it, before `/name`: without trailing slashes. */
export function folder(path: string): string {
  return path.replace(/\/+$/, '');
}

/**
 * The output folders as messages name them: each target folder, where its files are (with `--out OUT`, `OUT/ts/`
 * and `OUT/python/wsgen_protocol/`, never only `OUT/`, which holds no file itself).
 */
export function shownFolders(project: { folders: ReadonlyArray<{ dir: string }> }): string {
  return project.folders.map((f) => `${folder(f.dir)}/`).join(', ');
}

/** Reads a message file, or stdin for `-`; an unreadable file is WSGEN_IO. */
export function readInput(file: string): Buffer {
  try {
    return file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (err) {
    throw ioError('read', 'the input', file, err, 'check the path');
  }
}

/** Writes a file a command produces (`--out FILE`); an unwritable path is WSGEN_IO (exit 2). */
export function writeOutputFile(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw ioError('write', 'the output file', file, err, 'check that the folder exists and is writable');
  }
}
