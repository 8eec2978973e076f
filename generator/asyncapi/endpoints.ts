/**
 * The endpoints an AsyncAPI export describes. Endpoints are a runtime setting
 * (the server's `endpoints` option, runtime/server/endpoints.ts), not part of
 * the schema, so `wsgen asyncapi` takes them as repeated
 * `--endpoint NAME=PATH` flags. A path segment `{param:EnumName}` is a path
 * parameter that ranges over an enum of the schema, as the runtime's
 * `params: { param: 'EnumName' }`; in the document it becomes the channel
 * parameter `param` with that enum's values. README "wsgen asyncapi".
 */
import { CommanderError } from 'commander';
import type { IR } from '../ir.js';

/** One channel parameter: its name, the enum it ranges over, and that enum's values (schema order). */
export interface EndpointParam {
  name: string;
  enumName: string;
  values: string[];
  description?: string;
}

/** One endpoint: channel name, address as AsyncAPI writes it (`/api/ws/liaison/{pillar}`), parameters in path order. */
export interface Endpoint {
  name: string;
  address: string;
  params: EndpointParam[];
}

/** An endpoint as the flag gives it, before the schema is read. */
export interface EndpointFlag {
  name: string;
  path: string;
  params: Array<{ name: string; enumName: string }>;
}

/** AsyncAPI 3.0 component and channel keys: `^[a-zA-Z0-9\.\-_]+$`. */
const NAME = /^[A-Za-z0-9._-]+$/;
const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*):([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** A usage error (exit 3) about one `--endpoint` flag. */
function usage(message: string): CommanderError {
  return new CommanderError(3, 'wsgen.endpoint', message);
}

/**
 * Parses one `--endpoint NAME=PATH` flag and appends it to `previous`
 * (commander's repeatable-option reducer).
 * @throws {CommanderError} (code `wsgen.endpoint`, exit 3) for a bad name, a path not starting with `/`, a
 * `{...}` segment that is not `{param:EnumName}`, a parameter used twice, or a name used twice.
 */
export function parseEndpointFlag(value: string, previous: EndpointFlag[] = []): EndpointFlag[] {
  const eq = value.indexOf('=');
  const name = eq === -1 ? '' : value.slice(0, eq);
  const path = eq === -1 ? '' : value.slice(eq + 1);
  if (!NAME.test(name)) throw usage(`--endpoint ${JSON.stringify(value)}: expected NAME=PATH with NAME of letters, digits, ".", "-", "_" (for example guide=/api/ws/guide)`);
  if (!path.startsWith('/')) throw usage(`--endpoint ${name}: the path must start with "/" (got ${JSON.stringify(path)})`);
  if (previous.some((e) => e.name === name)) throw usage(`--endpoint ${name} is given twice`);
  const params: EndpointFlag['params'] = [];
  const segments = path.split('/').map((seg) => {
    if (!seg.includes('{') && !seg.includes('}')) return seg;
    const m = PARAM.exec(seg);
    if (m === null) throw usage(`--endpoint ${name}: path segment ${JSON.stringify(seg)} must be a whole {param:EnumName} (for example {pillar:PillarType})`);
    if (params.some((p) => p.name === m[1])) throw usage(`--endpoint ${name}: parameter {${m[1]}} appears twice`);
    params.push({ name: m[1]!, enumName: m[2]! });
    return `{${m[1]}}`;
  });
  return [...previous, { name, path: segments.join('/'), params }];
}

/**
 * Binds the flags' parameters to the schema's enums.
 * @throws {CommanderError} (code `wsgen.endpoint`, exit 3) when a parameter names an enum the schema lacks.
 */
export function resolveEndpoints(flags: readonly EndpointFlag[], ir: IR): Endpoint[] {
  return flags.map((f) => ({
    name: f.name,
    address: f.path,
    params: f.params.map((p): EndpointParam => {
      const e = ir.enums.find((x) => x.name === p.enumName);
      if (e === undefined) throw usage(`--endpoint ${f.name}: {${p.name}:${p.enumName}} names no enum of the schema (enums: ${ir.enums.map((x) => x.name).join(', ') || 'none'})`);
      return { name: p.name, enumName: e.name, values: e.members.map((m) => String(m.value)), ...(e.description !== undefined ? { description: e.description } : {}) };
    }),
  }));
}
