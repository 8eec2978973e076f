// Builds dist/ in two steps: the generator first (it needs nothing generated),
// then the generated TypeScript and the runtimes, plus a copy of the generated
// plain-ESM validators that tsc does not emit.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const tsc = (project) => execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });

tsc('tsconfig.build.json');
const src = 'generated/ts';
if (existsSync(src)) {
  tsc('tsconfig.runtime.json');
  mkdirSync(join('dist', src), { recursive: true });
  for (const f of readdirSync(src)) if (f.endsWith('.js') || f.endsWith('.d.ts')) cpSync(join(src, f), join('dist', src, f));
  cpSync(join(src, 'validators'), join('dist', src, 'validators'), { recursive: true });
}
