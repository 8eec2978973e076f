/** The TypeScript target: every file of generated/ts. */
import { FORMAT_GRAMMARS } from '../formats.js';
import { type IR, isOpenType, objectByName, reachability, recursiveFields } from '../ir.js';
import { pointerJoin } from '../errors.js';
import { jsLiteral, jsdocText, render } from '../templates.js';
import { type EmitContext, slashBanner } from './banner.js';
import { emitTsDescriptor } from './descriptor-ts.js';
import { shippedFiles } from './shipped.js';
import { KEYWORD_MODULE, emitTsChecked } from './ts-checked.js';
import { emitTsTypes, tsKey } from './ts-types.js';
import { emitTsValidators, validatorName } from './ts-validators.js';

/** Emits generated/ts as a map of file name to content. */
export async function emitTs(ir: IR, ctx: EmitContext): Promise<Map<string, string>> {
  const banner = slashBanner(ir, ctx);
  // One open-field check (depth and number range) per distinct set of open fields, named after the first type that has it.
  const openChecks = new Map<string, { fn: string; fields: { name: string; path: string }[] }>();
  // One depth check per distinct set of fields that can hold a recursive type, run before validation.
  const deepChecks = new Map<string, { fn: string; fields: { name: string; path: string }[] }>();
  const reach = reachability(ir);
  const variants = ir.union.variants.map((v) => {
    const o = objectByName(ir, v.object);
    const deep = recursiveFields(ir, o, reach).map((p) => p.name);
    const deepKey = JSON.stringify(deep);
    if (deep.length && !deepChecks.has(deepKey)) {
      deepChecks.set(deepKey, { fn: `deepIssueIn${v.object}`, fields: deep.map((name) => ({ name, label: jsdocText(JSON.stringify(name)), path: pointerJoin('', name) })) });
    }
    const open = o.properties.filter((p) => isOpenType(ir, p.type)).map((p) => p.name);
    const key = JSON.stringify(open);
    if (open.length && !openChecks.has(key)) {
      openChecks.set(key, { fn: `openIssueIn${v.object}`, fields: open.map((name) => ({ name, label: jsdocText(JSON.stringify(name)), path: pointerJoin('', name) })) });
    }
    return {
      tag: v.tag,
      object: v.object,
      validator: validatorName(v.object),
      depthCheck: open.length ? openChecks.get(key)!.fn : 'noOpenIssue',
      deepCheck: deep.length ? deepChecks.get(deepKey)!.fn : 'noOpenIssue',
      hasDeep: deep.length > 0,
    };
  });
  const data = {
    banner,
    union: ir.union.name,
    discriminator: ir.union.discriminator,
    discriminatorKey: tsKey(ir.union.discriminator),
    // An absent tag named like an Object.prototype member must read as absent, not as the inherited member.
    discriminatorRead: Object.prototype.hasOwnProperty.call(Object.prototype, ir.union.discriminator)
      ? `(Object.prototype.hasOwnProperty.call(data, ${jsLiteral(ir.union.discriminator)}) ? data[${jsLiteral(ir.union.discriminator)}] : undefined)`
      : `data[${jsLiteral(ir.union.discriminator)}]`,
    discriminatorAccess: tsKey(ir.union.discriminator) === ir.union.discriminator ? `.${ir.union.discriminator}` : `[${jsLiteral(ir.union.discriminator)}]`,
    discriminatorLabel: jsdocText(JSON.stringify(ir.union.discriminator)),
    discriminatorPath: pointerJoin('', ir.union.discriminator),
    missingMessage: `must have required property '${ir.union.discriminator}'`,
    variants, openChecks: [...openChecks.values()], deepChecks: [...deepChecks.values()], openImports: [...new Set(variants.flatMap((v) => (v.hasDeep ? [v.depthCheck, v.deepCheck] : [v.depthCheck])))].sort(), hash: ir.hash, semanticHash: ir.semanticHash, version: ir.version, rootFile: ctx.source };
  const files = new Map<string, string>();
  const types = emitTsTypes(ir, ctx);
  files.set('enums.ts', types.enums);
  files.set('types.ts', types.messages);
  for (const [name, text] of emitTsValidators(ir, ctx, ctx.validatorLayout)) files.set(name, text);
  files.set('validators/index.d.ts', render('ts/validators.d.ts', data));
  // The fixed runtime (generator/shipped/ts: runtime.js and its runtime.d.ts), each file under the banner and otherwise unchanged.
  // The keyword checker's modules (keyword*.js) only where a checked value needs them (ts-checked.ts).
  const checked = emitTsChecked(ir, banner);
  for (const [name, text] of shippedFiles('ts')) if (checked.size > 0 || !KEYWORD_MODULE.test(name)) files.set(name, `${banner}\n${text}`);
  for (const [name, text] of checked) files.set(name, text);
  files.set('formats.js', render('ts/formats.js', { banner: data.banner, formatGrammars: Object.entries(FORMAT_GRAMMARS).map(([name, source]) => `  ${jsLiteral(name)}: ${jsLiteral(source)},`).join('\n') }));
  files.set('parse.js', render('ts/parse.js', data));
  files.set('parse.d.ts', render('ts/parse.d.ts', data));
  files.set('open.js', render('ts/open.js', data));
  files.set('open.d.ts', render('ts/open.d.ts', data));
  files.set('guards.ts', render('ts/guards.ts', data));
  files.set('protocol.ts', emitTsDescriptor(ir, banner));
  files.set('index.ts', render('ts/index.ts', data));
  return files;
}
