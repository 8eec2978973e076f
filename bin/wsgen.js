#!/usr/bin/env node
// The wsgen CLI entry point; the implementation is compiled from generator/cli.ts.
import { main } from '../dist/generator/cli.js';

process.exitCode = await main(process.argv.slice(2));
