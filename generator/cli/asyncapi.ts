/** `wsgen asyncapi`: the AsyncAPI 3.0 document of the protocol (README "wsgen asyncapi"). */
import { Option, type Command } from 'commander';
import { asyncApiDocument } from '../asyncapi/document.js';
import { type EndpointFlag, parseEndpointFlag, resolveEndpoints } from '../asyncapi/endpoints.js';
import { schemaToIR } from '../index.js';
import { configOpt, jsonOpt, schemaOpt, writeOutputFile } from './common.js';
import { printJson } from './json-output.js';
import { resolveProject } from './project.js';

/** Adds `asyncapi` to the program. */
export function registerAsyncApi(program: Command): void {
  program
    .command('asyncapi')
    .description('print (or write with --out) the AsyncAPI 3.0 document of the protocol: a channel per --endpoint, operations from the server\'s point of view')
    .addOption(new Option('--endpoint <name=path>', 'an endpoint, repeatable: NAME=PATH, a path parameter as {param:EnumName} (for example liaison=/api/ws/liaison/{pillar:PillarType})').argParser(parseEndpointFlag))
    .addOption(new Option('--out <file>', 'write the document to this file instead of stdout'))
    .addOption(schemaOpt())
    .addOption(configOpt())
    .addOption(jsonOpt())
    .action((o: { endpoint?: EndpointFlag[]; out?: string; schema?: string; config?: string; json?: boolean }) => {
      const project = resolveProject(o);
      const ir = schemaToIR(project.schema);
      const doc = asyncApiDocument(ir, resolveEndpoints(o.endpoint ?? [], ir));
      const text = JSON.stringify(doc, null, 2) + '\n';
      if (o.out !== undefined) writeOutputFile(o.out, text);
      const channels = Object.keys(doc['channels'] as object);
      const messages = Object.keys((doc['components'] as { messages: object }).messages);
      if (o.json) {
        printJson({ ok: true, command: 'asyncapi', out: o.out ?? null, channels, messages, ...(o.out === undefined ? { document: doc } : {}), errors: [] });
        return;
      }
      if (o.out === undefined) process.stdout.write(text);
      else process.stdout.write(`wsgen asyncapi: wrote ${o.out} (AsyncAPI 3.0.0, ${channels.length} channel(s), ${messages.length} message(s))\n`);
    });
}
