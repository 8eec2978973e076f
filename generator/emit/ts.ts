/** The TypeScript target: every file of generated/ts. */
import { type IR, type ObjectIR, type UnionIR, isOpenType, objectByName, reachability, recursiveFields, rootType, rootVariantsOf } from '../ir.js';
import { pointerJoin } from '../errors.js';
import { jsLiteral, jsdocText, render } from '../templates.js';
import { type EmitContext, slashBanner } from './banner.js';
import { emitTsDescriptor } from './descriptor-ts.js';
import { emitShipped } from './shipped.js';
import { KEYWORD_MODULE, emitTsChecked } from './ts-checked.js';
import { emitTsDefaults } from './ts-defaults.js';
import { formatsModuleCheckers } from './ts-format-checkers.js';
import { emitTsTypes, inputName, tsKey } from './ts-types.js';
import { emitTsValidators, validatorName } from './ts-validators.js';
import { defaultedTypes } from '../defaults.js';
import { hasNestedOpen, openPositions, walkedObjects } from '../open-positions.js';

/** The shipped module that fills defaults (generator/shipped/ts/fill.js) and its types. */
const FILL_MODULE = /^fill\.(js|d\.ts)$/;

/** Emits generated/ts as a map of file name to content. */
export async function emitTs(ir: IR, ctx: EmitContext): Promise<Map<string, string>> {
  const banner = slashBanner(ir, ctx);
  // One open-field body (depth and number range) per distinct set of open fields, named after the first type
  // that has it, and one check per type that reads the fields in the type's own code (monomorphic reads).
  const openBodies = new Map<string, { fn: string; fields: { name: string; label: string; path: string }[] }>();
  const openChecks = new Map<string, { fn: string; body: string; type: string; fields: { name: string; label: string; path: string }[] }>();
  // One depth check per distinct set of fields that can hold a recursive type, run before validation.
  const deepChecks = new Map<string, { fn: string; fields: { name: string; path: string }[] }>();
  const reach = reachability(ir);
  // Types whose open values can sit below their own fields (open-positions.ts): one check each, a walk of the
  // positions table (open.js POSITIONS) in open-fields.js.
  const positionChecks = new Map<string, { fn: string; type: string; key: string }>();
  const openCheckOf = (o: ObjectIR): string => {
    if (hasNestedOpen(ir, o)) {
      if (!positionChecks.has(o.name)) positionChecks.set(o.name, { fn: `openIssueIn${o.name}`, type: o.name, key: jsLiteral(o.name) });
      return positionChecks.get(o.name)!.fn;
    }
    const open = o.properties.filter((p) => isOpenType(ir, p.type)).map((p) => p.name);
    if (!open.length) return 'noOpenIssue';
    const key = JSON.stringify(open);
    if (!openBodies.has(key)) {
      openBodies.set(key, { fn: `openFieldsIssueOf${o.name}`, fields: open.map((name) => ({ name, label: jsdocText(JSON.stringify(name)), path: pointerJoin('', name) })) });
    }
    const body = openBodies.get(key)!;
    if (!openChecks.has(o.name)) openChecks.set(o.name, { fn: `openIssueIn${o.name}`, body: body.fn, type: o.name, fields: body.fields });
    return openChecks.get(o.name)!.fn;
  };
  const named = defaultedTypes(ir);
  const variants = rootVariantsOf(ir).map((v) => {
    const o = objectByName(ir, v.object);
    const deep = recursiveFields(ir, o, reach).map((p) => p.name);
    const deepKey = JSON.stringify(deep);
    if (deep.length && !deepChecks.has(deepKey)) {
      deepChecks.set(deepKey, { fn: `deepIssueIn${v.object}`, fields: deep.map((name) => ({ name, label: jsdocText(JSON.stringify(name)), path: pointerJoin('', name) })) });
    }
    return {
      tag: v.tag,
      object: v.object,
      defaulted: named.has(v.object),
      input: named.has(v.object) ? inputName(v.object) : v.object,
      validator: validatorName(v.object),
      depthCheck: openCheckOf(o),
      deepCheck: deep.length ? deepChecks.get(deepKey)!.fn : 'noOpenIssue',
      hasDeep: deep.length > 0,
    };
  });
  // An object root's open fields are checked as a variant's are (before the list below is taken).
  const rootObjectCheck = ir.root.tagged === false && ir.root.kind === 'object' ? openCheckOf(objectByName(ir, ir.root.name)) : undefined;
  const defaults = emitTsDefaults(ir, banner);
  const walked = walkedObjects(ir, [...positionChecks.keys()].map((n) => objectByName(ir, n)));
  const positions = walked.map((o) => ({ key: jsLiteral(o.name), entries: positionsEntries(ir, o) }));
  const common = { banner, fillsDefaults: defaults.size > 0, openBodies: [...openBodies.values()], openChecks: [...openChecks.values()], positionChecks: [...positionChecks.values()], positions, deepChecks: [...deepChecks.values()], hash: ir.hash, semanticHash: ir.semanticHash, version: ir.version, rootFile: ctx.source };
  const data = ir.union === undefined ? rootData(ir, rootObjectCheck, named, common) : unionData(ir.union, variants, named, common);
  const files = new Map<string, string>();
  const types = emitTsTypes(ir, ctx);
  files.set('enums.ts', types.enums);
  files.set('types.ts', types.messages);
  for (const [name, text] of emitTsValidators(ir, ctx, ctx.validatorLayout)) files.set(name, text);
  files.set('validators/index.d.ts', render('ts/validators.d.ts', data));
  // The fixed runtime (every file of generator/shipped/ts), each under the banner and its source line, otherwise unchanged;
  // fill.js and its types only where a default applies (defaults.js imports it), the keyword checker's modules
  // (keyword*.js) only where a checked value needs them (ts-checked.ts).
  const checked = emitTsChecked(ir, banner);
  const ships = (name: string): boolean => (defaults.size > 0 || !FILL_MODULE.test(name)) && (checked.size > 0 || !KEYWORD_MODULE.test(name));
  for (const [name, text] of emitShipped('ts', banner)) if (ships(name)) files.set(name, text);
  for (const [name, text] of defaults) files.set(name, text);
  for (const [name, text] of checked) files.set(name, text);
  files.set('formats.js', render('ts/formats.js', { banner: data.banner, checkers: formatsModuleCheckers() }));
  files.set('parse.js', render('ts/parse.js', data));
  files.set('parse.d.ts', render('ts/parse.d.ts', data));
  files.set('open.js', render('ts/open.js', data));
  files.set('open.d.ts', render('ts/open.d.ts', data));
  files.set('guards.ts', render('ts/guards.ts', data));
  files.set('protocol.ts', emitTsDescriptor(ir, banner));
  files.set('index.ts', render('ts/index.ts', data));
  return files;
}

/** One type's row of open.js's POSITIONS table (open-fields.js `positionsIssue` reads it), as JavaScript. */
function positionsEntries(ir: IR, o: ObjectIR): string {
  const rows = openPositions(ir, o).map((p) => {
    if (p.kind === 'extra') return `[3, new Set(${jsLiteral(p.declared)})]`;
    const head = `${jsLiteral(p.name)}, ${jsLiteral(pointerJoin('', p.name))}`;
    if (p.kind === 'open') return `[0, ${head}]`;
    if ('object' in p.target) return `[1, ${head}, ${jsLiteral(p.target.object)}]`;
    const tags = Object.entries(p.target.objects).map(([tag, name]) => `[${jsLiteral(tag)}, ${jsLiteral(name)}]`);
    return `[2, ${head}, ${jsLiteral(p.target.tag)}, new Map([${tags.join(', ')}])]`;
  });
  return `[${rows.join(', ')}]`;
}

/** The template data of a root union: dispatch on its discriminator to one validator per variant. */
function unionData<C extends object>(union: UnionIR, variants: Array<{ object: string; depthCheck: string; deepCheck: string; hasDeep: boolean }>, named: ReadonlySet<string>, common: C) {
  const disc = union.discriminator;
  return {
    ...common,
    union: union.name,
    // The wire form guards narrow to: `<Union>Input` when a message type holds defaults.
    unionInput: variants.some((v) => named.has(v.object)) ? inputName(union.name) : union.name,
    unionModule: './types.js',
    discriminator: disc,
    discriminatorKey: tsKey(disc),
    // An absent tag named like an Object.prototype member must read as absent, not as the inherited member.
    discriminatorRead: Object.prototype.hasOwnProperty.call(Object.prototype, disc)
      ? `(Object.prototype.hasOwnProperty.call(data, ${jsLiteral(disc)}) ? data[${jsLiteral(disc)}] : undefined)`
      : `data[${jsLiteral(disc)}]`,
    discriminatorAccess: tsKey(disc) === disc ? `.${disc}` : `[${jsLiteral(disc)}]`,
    discriminatorLabel: jsdocText(JSON.stringify(disc)),
    discriminatorPath: pointerJoin('', disc),
    missingMessage: `must have required property '${disc}'`,
    variants,
    openImports: [...new Set(variants.flatMap((v) => (v.hasDeep ? [v.depthCheck, v.deepCheck] : [v.depthCheck])))].sort(),
  };
}

/**
 * The template data of a root that is no tagged union: one validator, a depth check of the whole
 * message first, and after validation the open fields of an object root, or the whole value of an
 * open root (any JSON, an array, a record...), checked for numbers beyond ±(2^53 − 1).
 */
function rootData<C extends object>(ir: IR, objectCheck: string | undefined, named: ReadonlySet<string>, common: C) {
  const root = ir.root;
  const openCheck = objectCheck ?? (isOpenType(ir, rootType(ir)!) ? 'rootNumberIssue' : 'noOpenIssue');
  const validator = validatorName(root.name);
  const imports = [...new Set([openCheck, 'rootDepthIssue'])].filter((f) => !f.startsWith('openIssueIn')).join(', ');
  return {
    ...common,
    union: root.name,
    unionInput: named.has(root.name) ? inputName(root.name) : root.name,
    unionModule: root.tagged === false && root.kind === 'object' ? './types.js' : './enums.js',
    root: { validator, openCheck, imports, open: openCheck === 'rootNumberIssue', guard: root.tagged === false && root.kind !== 'enum' },
    variants: [{ object: root.name, validator }],
  };
}
