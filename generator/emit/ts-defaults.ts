/**
 * defaults.js of the TS target: per type that holds a default (generator/defaults.ts),
 * the table of its declared properties that `fill.js` (generator/shipped/ts) fills
 * after validation, and `fillDefaults(tag, message)`, which parse.js calls on every
 * valid message. Emitted only when some type holds a default.
 */
import { appliesDefault, branchObject, defaultedTypes, reaches, unionTag } from '../defaults.js';
import { type IR, type TypeIR, rootType } from '../ir.js';
import { jsLiteral } from '../templates.js';

/** The function that fills a named type's defaults. */
export function fillerName(name: string): string {
  return `fill${name}`;
}

/** The JSON types (object, array) a type's values can have, through aliases, nullables and unions. */
function jsonKinds(ir: IR, t: TypeIR, seen: Set<string> = new Set()): Set<'object' | 'array'> {
  switch (t.kind) {
    case 'object':
    case 'record':
      return new Set(['object']);
    case 'array':
      return new Set(['array']);
    case 'nullable':
      return jsonKinds(ir, t.inner, seen);
    case 'alias': {
      if (seen.has(t.name)) return new Set();
      seen.add(t.name);
      return jsonKinds(ir, ir.aliases.find((a) => a.name === t.name)!.type, seen);
    }
    case 'union':
      return new Set(t.variants.flatMap((v) => [...jsonKinds(ir, v, seen)]));
    default:
      return new Set();
  }
}

/** The JS expression of the filler of a value of type `t`, or undefined when no default applies in it. */
function fillerOf(ir: IR, named: ReadonlySet<string>, t: TypeIR): string | undefined {
  if (!reaches(t, named)) return undefined;
  switch (t.kind) {
    case 'object':
    case 'alias':
      return fillerName(t.name);
    case 'array':
      return `arrayOf(${fillerOf(ir, named, t.items)!})`;
    case 'record':
      return `recordOf(${fillerOf(ir, named, t.values)!})`;
    case 'nullable':
      return `nullOr(${fillerOf(ir, named, t.inner)!})`;
    case 'union': {
      // A tag selects the branch (the discriminator, or a required single value per branch: defaults.ts unionTag).
      const tag = unionTag(ir, t);
      if (tag !== undefined) {
        const entries = t.variants.flatMap((v) => {
          const f = fillerOf(ir, named, v);
          const o = branchObject(ir, v);
          return f === undefined || o === undefined ? [] : [`[${jsLiteral(tag.values.get(o)!)}, ${f}]`];
        });
        return `byTag(${jsLiteral(tag.property)}, new Map([${entries.join(', ')}]))`;
      }
      // Exclusive branches (defaults.ts refuses the others): at most one takes objects, one takes arrays.
      const pick = (kind: 'object' | 'array') => t.variants.map((v) => (jsonKinds(ir, v).has(kind) ? fillerOf(ir, named, v) : undefined)).find((f) => f !== undefined) ?? 'undefined';
      return `byJsonType(${pick('object')}, ${pick('array')})`;
    }
    default:
      return undefined;
  }
}

/** The expression of a fresh copy of a default value (JSON.parse for objects and arrays: a key `__proto__` stays a key). */
function freshValue(v: unknown): string {
  return v !== null && typeof v === 'object' ? `JSON.parse(${jsLiteral(JSON.stringify(v))})` : jsLiteral(v);
}

/** Emits defaults.js and defaults.d.ts, or nothing when no type holds a default. */
export function emitTsDefaults(ir: IR, banner: string): Map<string, string> {
  const named = defaultedTypes(ir);
  const files = new Map<string, string>();
  if (named.size === 0) return files;
  const blocks: string[] = [];
  for (const o of ir.objects) {
    if (!named.has(o.name)) continue;
    const rows = o.properties.flatMap((p) => {
      const fill = fillerOf(ir, named, p.type);
      const make = appliesDefault(p) ? `() => ${fill !== undefined && typeof p.default === 'object' && p.default !== null ? `${fill}(${freshValue(p.default)})` : freshValue(p.default)}` : undefined;
      if (make === undefined && fill === undefined) return [];
      return [`  [${jsLiteral(p.name)}, ${make ?? 'undefined'}, ${fill ?? 'undefined'}],`];
    });
    blocks.push(
      `/** The declared properties of ${o.name} that hold defaults: [key, default, filler of a present value]. */`,
      `const ${o.name}Fields = [\n${rows.join('\n')}\n];\n`,
      `/** Fills the defaults of a valid ${o.name} (copy on write). */`,
      `function ${fillerName(o.name)}(value) {\n  return fillObject(value, ${o.name}Fields);\n}\n`,
    );
  }
  for (const a of ir.aliases) {
    if (!named.has(a.name)) continue;
    blocks.push(`const ${a.name}Fill = ${fillerOf(ir, named, a.type)!};\n`, `/** Fills the defaults of a valid ${a.name} (copy on write). */`, `function ${fillerName(a.name)}(value) {\n  return ${a.name}Fill(value);\n}\n`);
  }
  const used = ['arrayOf', 'byJsonType', 'byTag', 'fillObject', 'nullOr', 'recordOf'].filter((n) => blocks.some((b) => b.includes(`${n}(`)));
  files.set('defaults.js', [banner, '// The schema defaults of this protocol, filled into every valid message after validation (fill.js).', `import { ${used.join(', ')} } from './fill.js';`, '', ...blocks, ...entryPoint(ir, named), ''].join('\n'));
  files.set(
    'defaults.d.ts',
    [banner, '/** The message with its defaults filled: `message` itself when none is absent, else a copy (the argument is never changed). */', 'export declare function fillDefaults<T>(tag: string, message: T): T;', ''].join('\n'),
  );
  return files;
}

/** `fillDefaults(tag, message)`: by the root union's tag, or (a root that is no tagged union) the root type's filler. */
function entryPoint(ir: IR, named: ReadonlySet<string>): string[] {
  const doc = '/** The message with its defaults filled: `message` itself when none is absent, else a copy (the argument is never changed). */';
  if (ir.union === undefined) {
    const root = rootType(ir);
    const fill = root === undefined ? undefined : fillerOf(ir, named, root);
    return [doc, `export function fillDefaults(_tag, message) {`, `  return ${fill === undefined ? 'message' : `${fill}(message)`};`, '}'];
  }
  const variants = ir.union.variants.filter((v) => named.has(v.object)).map((v) => `  [${jsLiteral(v.tag)}, ${fillerName(v.object)}],`);
  return [
    `/** The filler of each message type that holds defaults, by ${jsLiteral(ir.union.discriminator)}. */`,
    `const FILLS = /* @__PURE__ */ new Map([\n${variants.join('\n')}\n]);\n`,
    doc,
    'export function fillDefaults(tag, message) {',
    '  const fill = FILLS.get(tag);',
    '  return fill === undefined ? message : fill(message);',
    '}',
  ];
}
