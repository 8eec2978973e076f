/**
 * What the build precompiles into dist/generator/ so that a `wsgen` run does not
 * compile it again: ajv's metaschema check (metaschema.js) and the handlebars
 * templates (templates.compiled.js). scripts/build.mjs writes them with the
 * settings below; the stages load them with {@link importBuilt}.
 */

/** The metaschema every schema document is checked against. */
export const METASCHEMA_ID = 'https://json-schema.org/draft/2020-12/schema';

/** The ajv options of the metaschema check, at build time and when compiled at run time. */
export const METASCHEMA_OPTIONS = { strict: false, allErrors: false } as const;

/**
 * Imports a file the build wrote beside this module, or undefined when there is
 * none (the tests run the TypeScript sources, which have no build output). Any
 * other failure, such as a broken build file, is thrown, not hidden.
 */
export async function importBuilt<T>(file: string): Promise<T | undefined> {
  const url = new URL(file, import.meta.url).href;
  try {
    return (await import(/* @vite-ignore */ url)) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
