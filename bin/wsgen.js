#!/usr/bin/env node
// The wsgen CLI entry point; the implementation is compiled from generator/cli.ts.
import { main } from '../dist/generator/cli.js';

// A reader that stops early (`wsgen validate big.ndjson | head`) closes the pipe:
// stop quietly, as Unix tools do, instead of dying on an unhandled EPIPE.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
