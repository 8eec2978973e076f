// Endpoints with typed path parameters: `/api/ws/liaison/{pillar}` with
// `{pillar}` bound to an enum of the schema. Parameters range over finite
// value sets, so every concrete path is known up front and routing is one Map
// lookup; a path outside them (an unknown pillar) is a 404.
import type { ProtocolDescriptor } from './descriptor.js';
import { ConfigError } from './errors.js';
import type { Endpoint } from './types.js';

/**
 * One declared endpoint. `path` may hold `{name}` segments; each needs an entry in `params`: the name of an enum of
 * the protocol (`'PillarType'`), or the allowed values themselves.
 */
export interface EndpointSpec {
  readonly path: string;
  readonly params?: { readonly [param: string]: string | readonly string[] };
}

/** Endpoints by name. */
export type EndpointSpecs = { readonly [name: string]: EndpointSpec };

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The values a parameter may take. */
function valuesOf(name: string, param: string, spec: string | readonly string[] | undefined, d: ProtocolDescriptor): readonly string[] {
  if (spec === undefined) throw new ConfigError(`endpoints.${name}`, `path parameter {${param}} has no entry in params`, `add params: { ${param}: '<an enum of the schema>' }`);
  const values = typeof spec === 'string' ? d.enums[spec] : spec;
  if (values === undefined) throw new ConfigError(`endpoints.${name}.params.${param}`, `${String(spec)} is not an enum of ${d.name}`, `one of: ${Object.keys(d.enums).join(', ') || '(the protocol has no enum)'}`);
  if (values.length === 0) throw new ConfigError(`endpoints.${name}.params.${param}`, 'allows no value', 'list at least one value');
  return values.map(String);
}

/**
 * Every concrete endpoint of `specs`, by request path.
 * @throws {ConfigError} (code WSGEN_CONFIG) for a parameter without values, an unknown enum, or two endpoints
 * on one path.
 */
export function expandEndpoints(specs: EndpointSpecs, d: ProtocolDescriptor): Map<string, Endpoint> {
  const out = new Map<string, Endpoint>();
  for (const [name, spec] of Object.entries(specs)) {
    let partial: { path: string[]; key: string; params: Record<string, string> }[] = [{ path: [], key: name, params: {} }];
    for (const seg of spec.path.split('/')) {
      const m = PARAM.exec(seg);
      if (m === null) {
        for (const p of partial) p.path.push(seg);
        continue;
      }
      const param = m[1]!;
      const values = valuesOf(name, param, spec.params?.[param], d);
      partial = partial.flatMap((p) => values.map((v) => ({ path: [...p.path, encodeURIComponent(v)], key: `${p.key}:${v}`, params: { ...p.params, [param]: v } })));
    }
    for (const p of partial) {
      const path = p.path.join('/');
      if (out.has(path)) throw new ConfigError(`endpoints.${name}`, `path ${path} is also endpoint ${out.get(path)!.name}'s`, 'give every endpoint its own path');
      out.set(path, Object.freeze({ key: p.key, name, path, params: Object.freeze(p.params) }));
    }
  }
  return out;
}

/** The endpoint of a request target (query string ignored), or undefined (404). */
export function matchEndpoint(endpoints: ReadonlyMap<string, Endpoint>, url: string): Endpoint | undefined {
  const q = url.indexOf('?');
  return endpoints.get(q === -1 ? url : url.slice(0, q));
}
