/** `wsgen docs`: the static HTML page of the protocol (README "wsgen docs"). */
import { existsSync, readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { isDocsPage, docsPage } from '../docs/page.js';
import { GeneratorErrorCode as E, WsgenError } from '../errors.js';
import { bannerSource, schemaToIR } from '../index.js';
import { configOpt, jsonOpt, schemaOpt, writeOutputFile } from './common.js';
import { printJson } from './json-output.js';
import { resolveProject } from './project.js';
import { ioError } from '../io-errors.js';

/**
 * Writes the page to `file`. A file there that wsgen did not write (no docs banner in its first three
 * lines) is never overwritten: WSGEN_FOREIGN_FILES (exit 2). An unwritable path is WSGEN_IO (exit 2).
 */
function writePage(file: string, html: string): void {
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw ioError('read', 'the page', file, err, 'check the path: --out names the HTML file to write');
    }
    if (!isDocsPage(text)) {
      throw new WsgenError(E.FOREIGN_FILES, 'the page was not written by wsgen (no wsgen banner); it was left unchanged', { file, pointer: '' }, 'wsgen never overwrites a file it did not write: move it, or choose another --out', [file]);
    }
  }
  writeOutputFile(file, html);
}

/** Adds `docs` to the program. */
export function registerDocs(program: Command): void {
  program
    .command('docs')
    .description('print (or write with --out) a static HTML page of the protocol: message types, fields, constraints, directions, examples, roles, error and close codes')
    .addOption(new Option('--out <file>', 'write the page to this file instead of stdout (never over a file wsgen did not write)'))
    .addOption(schemaOpt())
    .addOption(configOpt())
    .addOption(jsonOpt())
    .action(async (o: { out?: string; schema?: string; config?: string; json?: boolean }) => {
      const project = resolveProject(o);
      const ir = schemaToIR(project.schema);
      const { html, model } = await docsPage(ir, bannerSource(project.schema, ir.rootFile, project.root));
      if (o.out !== undefined) writePage(o.out, html);
      const messages = model.messages.map((m) => m.tag);
      const examples = model.messages.filter((m) => m.example !== undefined).map((m) => m.tag);
      if (o.json) {
        printJson({ ok: true, command: 'docs', out: o.out ?? null, version: model.version, messages, examples, ...(o.out === undefined ? { html } : {}), errors: [] });
        return;
      }
      if (o.out === undefined) process.stdout.write(html);
      else process.stdout.write(`wsgen docs: wrote ${o.out} (${model.title} ${model.version}, ${messages.length} message type(s), ${examples.length} example(s))\n`);
    });
}
