// Types whose standalone code is filled from one compiled template get their validator module from the
// template's code rewritten once (ts-validator-templated.ts): each module must be the one the rewrites make
// of the type's own code, and a template the rewrites would read differently per use is rewritten per use.
import { Ajv, _ } from 'ajv';
import { describe, expect, it } from 'vitest';
import { moduleCode } from '../../generator/emit/ts-validator-code.js';
import { type Standalone, StandaloneCompiler, TEMPLATE_EXPORT } from '../../generator/emit/ts-validator-reuse.js';
import { TemplatedModules } from '../../generator/emit/ts-validator-templated.js';

const ajvOptions = { code: { source: true, esm: true, lines: true, optimize: 1 }, strict: true, strictTypes: false, inlineRefs: false, validateSchema: false, messages: true } as const;

/** A type tagged `tag` on `type` whose checks make every rewrite run: a length check, a format read, a closed set of many properties. */
function own(tag: string): Record<string, unknown> {
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, { type: 'integer' }]));
  return { type: 'object', properties: { type: { const: tag }, s: { type: 'string', minLength: 2, maxLength: 5 }, at: { type: 'string', format: 'date-time' }, ...many }, required: ['type'], additionalProperties: false };
}

/** Texts the rewrites look for in code, as tags (ts-validator-code.ts), and tags JSON escapes. */
const TAGS = ['ping', '', 'use strict', 'func0(data) > 5)', 'const func1 = ucs2length;', 'formats.uuid', 'formats["date-time"]', 'require("ajv/dist/runtime/equal").default',
  'require("wsgen/checked").default', '{instancePath="", parentData, parentDataProperty, rootData=data}={}', 'const func3 = Object.prototype.hasOwnProperty;', 'a"b\\c', 'line\u2028sep', "it's /* x */ `t` /re/"];

/** Records the property sets asked for, answering as ts-validators.ts does (the first asker names the set). */
function propertySets(): { nameFor: (fileBase: string) => (names: string[]) => string; asked: Array<[string, string[]]> } {
  const fns = new Map<string, string>();
  const asked: Array<[string, string[]]> = [];
  return {
    asked,
    nameFor: (fileBase) => (names) => {
      asked.push([fileBase, names]);
      const key = JSON.stringify(names);
      if (!fns.has(key)) fns.set(key, `isPropertyOf${fileBase}`);
      return fns.get(key)!;
    },
  };
}

const parts = (i: number) => ({ what: `Validator of T${i}.`, runtime: ['composed'], tail: `export const tail${i} = 1;\n` });

describe('validator modules of templated types', () => {
  it('are the modules the rewrites make of each type own code, whatever the tag holds', () => {
    const ajv = new Ajv({ ...ajvOptions, code: { ...ajvOptions.code, formats: _`formats` } });
    ajv.addFormat('date-time', () => true);
    const compiler = new StandaloneCompiler(ajv);
    const sources = TAGS.map((t, i) => compiler.standalone(own(t), `t:${i}`, `validateT${i}Own`, 'type'));
    expect(compiler.compilations).toBe(1);
    expect(sources.every((s) => s.template !== undefined)).toBe(true);
    const cached = propertySets();
    const alone = propertySets();
    const modules = new TemplatedModules();
    sources.forEach((s, i) => {
      const expected = moduleCode('// banner', s.code, alone.nameFor(`T${i}`), parts(i));
      expect(modules.moduleCode('// banner', s, cached.nameFor(`T${i}`), parts(i)), TAGS[i]).toBe(expected);
      expect(expected).toContain(`export const validateT${i}Own = `);
    });
    // Every type is still counted as a user of its property set.
    expect(cached.asked).toEqual(alone.asked);
  });

  /** A hand-made template: its code, replacing `replaced`, used with `values`. */
  function use(code: string, replaced: string[], values: string[], exportName = 'validateT'): Standalone {
    const fill = (vs: string[]) => vs.reduce((c, v, i) => c.replaceAll(JSON.stringify(replaced[i]), JSON.stringify(v)), code).replace(`export const ${TEMPLATE_EXPORT} = `, `export const ${exportName} = `);
    return { code: fill(values), template: { code, replaced, values, exportName } };
  }

  it('rewrite each use alone when a rewrite drops a replaced string (the "use strict" prologue)', () => {
    const code = `"use strict";\nexport const ${TEMPLATE_EXPORT} = validate0;\nfunction validate0(data){return data === "use strict";}\n`;
    const { nameFor } = propertySets();
    const modules = new TemplatedModules();
    for (const v of ['use strict', 'other']) {
      const s = use(code, ['use strict'], [v]);
      expect(modules.moduleCode('// b', s, nameFor('T'), parts(0))).toBe(moduleCode('// b', s.code, nameFor('T'), parts(0)));
    }
    expect(moduleCode('// b', use(code, ['use strict'], ['other']).code, nameFor('T'), parts(0))).toContain('"other";\nexport const validateT');
  });

  it('rewrite each use alone when a rewrite decides by a replaced string (a signature default that is empty in one use only)', () => {
    const code = `export const ${TEMPLATE_EXPORT} = validate0;\nfunction validate0(data, {instancePath="zz1", parentData, parentDataProperty, rootData=data}={}){return instancePath;}\n`;
    const { nameFor } = propertySets();
    const modules = new TemplatedModules();
    for (const v of ['zz1', '']) {
      const s = use(code, ['zz1'], [v]);
      expect(modules.moduleCode('// b', s, nameFor('T'), parts(0))).toBe(moduleCode('// b', s.code, nameFor('T'), parts(0)));
    }
    expect(moduleCode('// b', use(code, ['zz1'], ['']).code, nameFor('T'), parts(0))).toContain('function validate0(data, options){');
  });

  it('rewrite each use alone when a name of the switched property set holds a replaced string', () => {
    const names = Object.fromEntries(['a', 'zz1', 'c'].map((n) => [n, true]));
    const code = `export const ${TEMPLATE_EXPORT} = validate0;\nconst schema0 = ${JSON.stringify({ type: 'object', properties: names })};\nconst func0 = Object.prototype.hasOwnProperty;\nfunction validate0(data){for(const key0 in data){if(!(func0.call(schema0.properties, key0))){return false;}}return true;}\n`;
    const cached = propertySets();
    const alone = propertySets();
    const modules = new TemplatedModules();
    for (const [i, v] of ['zz1', 'zz2'].entries()) {
      const s = use(code, ['zz1'], [v]);
      expect(modules.moduleCode('// b', s, cached.nameFor(`T${i}`), parts(i))).toBe(moduleCode('// b', s.code, alone.nameFor(`T${i}`), parts(i)));
    }
    expect(cached.asked.map(([, n]) => n)).toContainEqual(['a', 'zz2', 'c']);
  });

  it('rewrite each use alone when the export name is not a validate… identifier', () => {
    const code = `export const ${TEMPLATE_EXPORT} = validate0;\nfunction validate0(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){return true;}\n`;
    const { nameFor } = propertySets();
    const modules = new TemplatedModules();
    const s = use(code, [], [], 'parentData');
    expect(modules.moduleCode('// b', s, nameFor('T'), parts(0))).toBe(moduleCode('// b', s.code, nameFor('T'), parts(0)));
  });
});
