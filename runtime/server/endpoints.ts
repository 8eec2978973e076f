// Endpoints with typed path parameters: `/api/ws/liaison/{pillar}` with
// `{pillar}` bound to an enum of the schema. Parameters range over finite
// value sets, so every concrete path is known up front and routing is one Map
// lookup; a path outside them (an unknown pillar) is a 404. The same specs
// type the endpoint a handler sees: `connection.endpoint.params.pillar` is the
// enum's union of values, narrowed by `connection.endpoint.name`.
import type { ProtocolDescriptor } from './descriptor.js';
import { ConfigError } from './errors.js';
import type { Endpoint } from './types.js';

/** What a path parameter ranges over: the name of an enum of protocol `P` (`'PillarType'`), or the values themselves. */
export type ParamSpec<P extends ProtocolDescriptor = ProtocolDescriptor> = (keyof P['enums'] & string) | readonly string[];

/**
 * One declared endpoint. `path` may hold `{name}` segments (a whole segment each); each needs an entry in
 * `params`, and `params` names no other parameter.
 */
export interface EndpointSpec<P extends ProtocolDescriptor = ProtocolDescriptor> {
  readonly path: string;
  readonly params?: { readonly [param: string]: ParamSpec<P> };
}

/**
 * Endpoints by name, each a spec or, for a path without parameters, the path alone (`{ shop: '/shop' }`, as the
 * Python runtime's `create_server` takes it); an enum named in `params` must be one of `P` (a misspelt enum is a
 * compile error).
 */
export type EndpointSpecs<P extends ProtocolDescriptor = ProtocolDescriptor> = { readonly [name: string]: EndpointSpec<P> | string };

/** The values of one parameter spec as text (an enum's values, numbers written as in the path). */
export type ParamValue<P extends ProtocolDescriptor, S> = S extends readonly (infer V extends string)[]
  ? V
  : S extends keyof P['enums']
    ? `${P['enums'][S][number] & (string | number)}`
    : string;

/**
 * The bound parameters of an endpoint spec: each parameter typed by its enum (or its listed values); none without
 * `params` (every entry `never`, so `undefined` under noUncheckedIndexedAccess).
 */
export type ParamsOf<P extends ProtocolDescriptor, S> = S extends { readonly params: infer Ps }
  ? { readonly [K in keyof Ps]: ParamValue<P, Ps[K]> }
  : { readonly [param: string]: never };

/** An endpoint as a handler sees it: {@link Endpoint} with its name and parameters typed (the server's specs decide them). */
export interface TypedEndpoint<N extends string = string, Ps extends object = Readonly<Record<string, string | undefined>>> {
  /** `name`, then `:value` per path parameter in path order (`guide`, `liaison:content`). */
  readonly key: string;
  /** The name the endpoint was declared under. */
  readonly name: N;
  /** The concrete request path. */
  readonly path: string;
  /** The bound path parameters. */
  readonly params: Ps;
}

/**
 * The concrete endpoints of specs `E` as handlers see them: a union over the endpoint names, each with its
 * parameters typed (`name === 'liaison'` narrows `params.pillar` to the PillarType values; an endpoint without
 * parameters has no `params` entry). With the untyped {@link EndpointSpecs} it is {@link Endpoint}.
 */
export type EndpointOf<P extends ProtocolDescriptor, E extends EndpointSpecs<P>> = string extends keyof E
  ? Endpoint
  : { [N in keyof E & string]: TypedEndpoint<N, ParamsOf<P, E[N]>> }[keyof E & string];

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The values a parameter may take. */
function valuesOf(name: string, param: string, spec: ParamSpec | undefined, d: ProtocolDescriptor): readonly string[] {
  if (spec === undefined) throw new ConfigError(`endpoints.${name}`, `path parameter {${param}} has no entry in params`, `add params: { ${param}: '<an enum of the schema>' }`);
  const values = typeof spec === 'string' ? d.enums[spec] : spec;
  if (values === undefined) throw new ConfigError(`endpoints.${name}.params.${param}`, `${String(spec)} is not an enum of ${d.name}`, `one of: ${Object.keys(d.enums).join(', ') || '(the protocol has no enum)'}`);
  if (values.length === 0) throw new ConfigError(`endpoints.${name}.params.${param}`, 'allows no value', 'list at least one value');
  const text = values.map(String);
  if (text.includes('')) throw new ConfigError(`endpoints.${name}.params.${param}`, 'allows the empty string, which is no path segment', 'list non-empty values');
  const twice = text.find((v, i) => text.indexOf(v) !== i);
  if (twice !== undefined) throw new ConfigError(`endpoints.${name}.params.${param}`, `lists ${twice} twice`, 'list each value once');
  return text;
}

/** The parameter named by one path segment, undefined for a literal segment; a malformed placeholder is refused. */
function paramOf(name: string, seg: string): string | undefined {
  const m = PARAM.exec(seg);
  if (m !== null) return m[1]!;
  if (seg.includes('{') || seg.includes('}')) throw new ConfigError(`endpoints.${name}.path`, `segment "${seg}" is neither literal text nor a whole {name} parameter`, 'write a parameter as its own segment: /rooms/{room} ({name}: a letter or _, then letters, digits or _)');
  return undefined;
}

/** One declared endpoint as a spec: a path string is `{ path }`; anything else without a string `path` is refused. */
function specOf(name: string, declared: unknown): EndpointSpec {
  if (typeof declared === 'string') return { path: declared };
  if (typeof declared !== 'object' || declared === null || typeof (declared as { path?: unknown }).path !== 'string') {
    throw new ConfigError(`endpoints.${name}`, `is ${declared === null ? 'null' : typeof declared === 'object' ? 'an object without a string path' : typeof declared}`, `write '/path' or { path: '/rooms/{room}', params: { room: '<an enum of the schema>' } }`);
  }
  return declared as EndpointSpec;
}

/**
 * Every concrete endpoint of `specs`, by request path.
 * @throws {ConfigError} (code WSGEN_CONFIG) for a spec that is neither a path nor an object with one, a malformed or
 * repeated parameter, a parameter without values, an unknown enum, an entry of `params` the path does not use, or
 * two endpoints on one path.
 */
export function expandEndpoints(specs: EndpointSpecs, d: ProtocolDescriptor): Map<string, Endpoint> {
  const out = new Map<string, Endpoint>();
  for (const [name, declared] of Object.entries(specs)) {
    const spec = specOf(name, declared);
    let partial: { path: string[]; key: string; params: Record<string, string> }[] = [{ path: [], key: name, params: {} }];
    const used = new Set<string>();
    for (const seg of spec.path.split('/')) {
      const param = paramOf(name, seg);
      if (param === undefined) {
        for (const p of partial) p.path.push(seg);
        continue;
      }
      if (used.has(param)) throw new ConfigError(`endpoints.${name}.path`, `parameter {${param}} appears twice`, 'give each parameter its own name');
      used.add(param);
      const values = valuesOf(name, param, spec.params?.[param], d);
      partial = partial.flatMap((p) => values.map((v) => ({ path: [...p.path, encodeURIComponent(v)], key: `${p.key}:${v}`, params: { ...p.params, [param]: v } })));
    }
    const unused = Object.keys(spec.params ?? {}).find((k) => !used.has(k));
    if (unused !== undefined) throw new ConfigError(`endpoints.${name}.params.${unused}`, `the path ${spec.path} has no {${unused}} segment`, 'remove the entry or add the parameter to the path');
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
