/**
 * IR types as Python annotations for the pydantic target: each JSON Schema rule
 * pydantic would read more loosely is narrowed by a marker of `_wire.py`, and
 * every name an annotation uses is collected for the module's imports.
 */
import { decimalOf } from '../decimal-multiple.js';
import type { IR, TypeIR, UnionTypeIR } from '../ir.js';
import type { SchemaLocation } from '../types.js';
import { pyLiteral } from '../templates.js';
import { enginePattern } from '../pattern.js';
import { pyAttrName, snake } from './py-names.js';
import { pyTupleShape } from './py-tuples.js';

/** A bound as a Python number literal (integers plain, others as JSON writes them). */
export function pyNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`internal: non-finite bound ${n}`);
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? String(n) : JSON.stringify(n);
}

/** Keyword arguments `k=v` from the defined entries. */
export function kwargs(entries: Array<[string, string | undefined]>): string {
  return entries
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** Converts IR types to Python annotations, collecting what each module must import. */
export class PyTypes {
  readonly used = new Set<string>();
  /** The module-level names the package defines from the schema's type names: no field may take one. */
  readonly typeNames: ReadonlySet<string>;

  /**
   * `local`: aliases defined in the module being written (named, not imported);
   * `inline`: aliases written out in place (see py-aliases.ts).
   */
  constructor(
    readonly ir: IR,
    readonly scope: { local?: ReadonlySet<string>; inline?: ReadonlySet<string> } = {},
  ) {
    this.typeNames = pyTypeNames(ir);
  }

  private use(...names: string[]): void {
    for (const n of names) this.used.add(n);
  }

  /**
   * The annotation of a type (without optional/None handling). `tag`: the type is
   * a union variant's discriminator, which pydantic needs as a plain Literal.
   */
  type(t: TypeIR, loc: SchemaLocation, tag = false): string {
    switch (t.kind) {
      case 'string':
        return this.string(t, loc);
      case 'integer': {
        this.use('Annotated', 'Integral');
        return `Annotated[int, Integral(${this.bounds(t)})${this.multipleOf(t)}]`;
      }
      case 'number': {
        const bounds = this.bounds(t);
        const multiple = this.multipleOf(t);
        if (!bounds && !multiple) return 'float';
        if (bounds) this.use('Field');
        this.use('Annotated');
        return `Annotated[float${bounds ? `, Field(${bounds})` : ''}${multiple}]`;
      }
      case 'boolean':
        return 'bool';
      case 'null':
        return 'None';
      case 'const': {
        this.use('Literal');
        const v = t.value;
        if (typeof v === 'string' && tag) return `Literal[${pyLiteral(v)}]`;
        this.use('Annotated', 'Const');
        return `Annotated[Literal[${pyLiteral(v)}], Const(${pyLiteral(v)})]`;
      }
      case 'enum':
        this.use('Annotated', 'WireEnum', `enum:${t.name}`);
        return `Annotated[${t.name}, WireEnum]`;
      case 'alias':
        if (this.scope.inline?.has(t.name)) return this.type(this.ir.aliases.find((a) => a.name === t.name)!.type, loc);
        if (!this.scope.local?.has(t.name)) this.use(`alias:${t.name}`);
        return t.name;
      case 'object':
        this.use(`object:${t.name}`);
        return t.name;
      case 'any':
        this.use('Any');
        return 'Any';
      case 'checked':
        return this.checked(t.key);
      case 'formatted':
        this.use('Annotated', 'Any', 'WireFormat');
        return `Annotated[Any, WireFormat(${pyLiteral(t.format)})]`;
      case 'record':
        return `dict[str, ${this.type(t.values, loc)}]`;
      case 'array': {
        const inner = `list[${this.type(t.items, loc)}]`;
        const sizes = kwargs([
          ['min_length', t.minItems !== undefined ? pyNumber(t.minItems) : undefined],
          ['max_length', t.maxItems !== undefined ? pyNumber(t.maxItems) : undefined],
        ]);
        if (!sizes) return inner;
        this.use('Annotated', 'Field');
        return `Annotated[${inner}, Field(${sizes})]`;
      }
      case 'nullable': {
        const inner = this.type(t.inner, loc);
        return inner === 'Any' ? 'Any' : `${inner} | None`;
      }
      case 'union':
        return this.union(t, loc);
    }
  }

  /**
   * A checked value (generator/checked.ts): `Annotated[Any, checked(key)]`, or for a tuple (py-tuples.ts)
   * `Annotated[Shaped[tuple[str, int]], checked(key, as_tuple=True)]`: type checkers read the tuple type, pydantic
   * `Any`, and the value is handed out as a tuple.
   */
  checked(key: string): string {
    const shape = pyTupleShape(this.ir.checked[key]);
    if (shape === undefined) {
      this.use('Annotated', 'Any', 'checked');
      return `Annotated[Any, checked(${pyLiteral(key)})]`;
    }
    this.use('Annotated', 'checked', 'Shaped');
    if (/\bAny\b/.test(shape)) this.use('Any');
    return `Annotated[Shaped[${shape}], checked(${pyLiteral(key)}, as_tuple=True)]`;
  }

  /** Whether `t` is a checked tuple (py-tuples.ts), directly or through aliases: its Python type admits no None. */
  isShaped(t: TypeIR): boolean {
    if (t.kind === 'checked') return pyTupleShape(this.ir.checked[t.key]) !== undefined;
    if (t.kind === 'alias') return this.isShaped(this.ir.aliases.find((a) => a.name === t.name)!.type);
    return false;
  }

  /**
   * `OrNone[annotation]`: `annotation | None` for type checkers, the annotation itself for pydantic: the type of an
   * optional checked tuple without a default, whose absence reads as None while null stays the checker's to judge
   * (`annotation | None` at run time would let pydantic take null).
   */
  orNone(annotation: string): string {
    this.use('OrNone');
    return `OrNone[${annotation}]`;
  }

  /**
   * `oneOf`/`anyOf`. Discriminated: pydantic's tagged union on the property (its
   * Literal picks the model). Exclusive branches, or `anyOf`: a smart union, valid
   * when some branch is (strict models, no coercion). `oneOf` whose branches can
   * overlap: the union, then `OneOf` counting the branches the value matches.
   */
  private union(t: UnionTypeIR, loc: SchemaLocation): string {
    const branches = t.variants.map((v) => this.type(v, loc));
    const joined = [...new Set(branches)].join(' | ');
    if (t.discriminator !== undefined) {
      this.use('Annotated', 'Field');
      return `Annotated[${joined}, Field(discriminator=${pyLiteral(pyAttrName(t.discriminator, this.typeNames))})]`;
    }
    if (t.mode === 'anyOf' || t.exclusive) {
      if (branches.includes('Any')) return 'Any';
      return joined;
    }
    this.use('Annotated', 'OneOf');
    return `Annotated[${branches.includes('Any') ? 'Any' : joined}, OneOf(${branches.join(', ')})]`;
  }

  /** `, MultipleOf(digits, exponent, limit, text)` when the type has multipleOf (generator/decimal-multiple.ts), else nothing. */
  private multipleOf(t: Extract<TypeIR, { kind: 'integer' | 'number' }>): string {
    if (t.multipleOf === undefined) return '';
    this.use('MultipleOf');
    const { digits, exponent } = decimalOf(t.multipleOf);
    return `, MultipleOf(${digits}, ${exponent}, ${pyNumber(t.multipleOf)}, ${pyLiteral(String(t.multipleOf))})`;
  }

  private bounds(t: Extract<TypeIR, { kind: 'integer' | 'number' }>): string {
    return kwargs([
      ['ge', t.minimum !== undefined ? pyNumber(t.minimum) : undefined],
      ['le', t.maximum !== undefined ? pyNumber(t.maximum) : undefined],
      ['gt', t.exclusiveMinimum !== undefined ? pyNumber(t.exclusiveMinimum) : undefined],
      ['lt', t.exclusiveMaximum !== undefined ? pyNumber(t.exclusiveMaximum) : undefined],
    ]);
  }

  private string(t: Extract<TypeIR, { kind: 'string' }>, loc: SchemaLocation): string {
    const sc = kwargs([
      ['min_length', t.minLength !== undefined ? pyNumber(t.minLength) : undefined],
      ['max_length', t.maxLength !== undefined ? pyNumber(t.maxLength) : undefined],
      // A pattern pydantic-core reads only once translated (a "." outside a class) is a TextPattern, which names the schema's own.
      ['pattern', t.pattern !== undefined && enginePattern(t.pattern) === t.pattern ? pyLiteral(t.pattern) : undefined],
    ]);
    const textPattern = t.pattern === undefined ? undefined : enginePattern(t.pattern) === t.pattern ? `TextPattern(${pyLiteral(t.pattern)})` : `TextPattern(${pyLiteral(t.pattern)}, ${pyLiteral(enginePattern(t.pattern))})`;
    if (t.format === 'date-time') {
      this.use('Annotated', 'datetime', 'DateTimeFormat');
      if (textPattern === undefined) return 'Annotated[datetime, DateTimeFormat]';
      // The pattern reads the wire text, before DateTimeFormat makes it a datetime.
      this.use('TextPattern');
      return `Annotated[datetime, DateTimeFormat, ${textPattern}]`;
    }
    const translated = t.pattern !== undefined && enginePattern(t.pattern) !== t.pattern ? textPattern : undefined;
    if (translated !== undefined) this.use('Annotated', 'TextPattern');
    const after = translated !== undefined ? `, ${translated}` : '';
    if (t.format === 'uuid') {
      this.use('Annotated', 'UuidFormat');
      if (sc) this.use('StringConstraints');
      return sc ? `Annotated[str, StringConstraints(${sc})${after}, UuidFormat]` : `Annotated[str${after}, UuidFormat]`;
    }
    if (t.format !== undefined) {
      this.use('Annotated', 'WireFormat');
      if (sc) this.use('StringConstraints');
      return sc ? `Annotated[str, StringConstraints(${sc})${after}, WireFormat(${pyLiteral(t.format)})]` : `Annotated[str${after}, WireFormat(${pyLiteral(t.format)})]`;
    }
    if (!sc) return after ? `Annotated[str${after}]` : 'str';
    this.use('Annotated', 'StringConstraints');
    return `Annotated[str, StringConstraints(${sc})${after}]`;
  }
}

/** Every module-level name the package derives from a schema type name (the type, its VALUES tuple, Info and Meta tables). */
export function pyTypeNames(ir: IR): ReadonlySet<string> {
  const known = typeNamesByIR.get(ir);
  if (known) return known;
  const names = new Set<string>([ir.root.name, ...ir.aliases.map((a) => a.name), ...ir.objects.map((o) => o.name)]);
  for (const e of ir.enums) for (const n of [e.name, `${snake(e.name).toUpperCase()}_VALUES`, `${e.name}Info`, `${e.name}Meta`]) names.add(n);
  typeNamesByIR.set(ir, names);
  return names;
}

/** pyTypeNames per IR, computed once (every model module's PyTypes asks for it: once per module was quadratic). */
const typeNamesByIR = new WeakMap<IR, ReadonlySet<string>>();
