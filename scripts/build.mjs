// Builds dist/ in two steps: the generator first (it needs nothing generated),
// then the generated TypeScript and the runtimes, plus a copy of the generated
// plain-ESM validators that tsc does not emit.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';
import Handlebars from 'handlebars';

const tsc = (project) => execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });

tsc('tsconfig.build.json');
const src = 'generated/ts';
if (existsSync(src)) {
  tsc('tsconfig.runtime.json');
  mkdirSync(join('dist', src), { recursive: true });
  for (const f of readdirSync(src)) if (f.endsWith('.js') || f.endsWith('.d.ts')) cpSync(join(src, f), join('dist', src, f));
  cpSync(join(src, 'validators'), join('dist', src, 'validators'), { recursive: true });
}

// The JSON Schema 2020-12 metaschema check of the validate stage, compiled once
// here instead of on every `wsgen` run (ajv takes ~30 ms to compile it), with
// the id and options generator/built.ts gives the run-time fallback.
// The Lua scripts of the Redis session store (runtime/redis/, shared with the Python runtime): runtime/server/redis
// reads them from ../../redis/ beside its own folder, in the sources and in dist/ alike.
cpSync('runtime/redis', join('dist', 'runtime', 'redis'), { recursive: true, filter: (f) => !f.includes('.') || f.endsWith('.lua') });

const { METASCHEMA_ID, METASCHEMA_OPTIONS } = await import('../dist/generator/built.js');
const meta = new Ajv2020({ ...METASCHEMA_OPTIONS, code: { source: true, esm: true } });
const metaCode = (standalone.default ?? standalone)(meta, meta.getSchema(METASCHEMA_ID));
const requires = metaCode.match(/require\("[^"]+"\)\.default/g) ?? [];
if (requires.some((r) => r !== 'require("ajv/dist/runtime/equal").default')) throw new Error(`build: unexpected require in the metaschema validator: ${requires}`);
writeFileSync(
  join('dist', 'generator', 'metaschema.js'),
  "// Built by scripts/build.mjs from ajv's JSON Schema 2020-12 metaschema. DO NOT EDIT.\n" +
    "import equalModule from 'ajv/dist/runtime/equal.js';\n" +
    "const equal = typeof equalModule === 'function' ? equalModule : equalModule.default; // CommonJS interop differs between Node and bundlers\n" +
    metaCode.replace(/^"use strict";/, '').replaceAll('require("ajv/dist/runtime/equal").default', 'equal') +
    '\n',
);

// The handlebars templates, precompiled, each with the hash of its source
// (generator/templates.ts compiles a .hbs file itself when this file is missing
// or the source changed since the build).
const { TEMPLATE_OPTIONS, templateHash } = await import('../dist/generator/templates.js');
const specs = [];
for (const dir of readdirSync('generator/templates').sort()) {
  for (const f of readdirSync(join('generator/templates', dir)).sort()) {
    if (!f.endsWith('.hbs')) continue;
    const name = `${dir}/${f.slice(0, -'.hbs'.length)}`;
    const source = readFileSync(join('generator/templates', dir, f), 'utf8');
    specs.push(`  ${JSON.stringify(name)}: { hash: ${JSON.stringify(templateHash(source))}, spec: ${Handlebars.precompile(source, TEMPLATE_OPTIONS)} },`);
  }
}
writeFileSync(
  join('dist', 'generator', 'templates.compiled.js'),
  '// Built by scripts/build.mjs from generator/templates/**/*.hbs. DO NOT EDIT.\n/* eslint-disable */\nexport default {\n' + specs.join('\n') + '\n};\n',
);
