/**
 * `wsgen generate --watch`: regenerates when a schema file changes. Events are
 * debounced (DEBOUNCE_MS after the last one, at most MAX_WAIT_MS after the
 * first), runs never overlap, and a bad schema writes nothing, so the last
 * good output stays, while every error found is printed.
 *
 * Files are watched with chokidar, not Node's recursive `fs.watch`: on Linux
 * (Node 20) the latter loses a file once it is replaced by a rename (`sed -i`,
 * an editor's atomic save), so later edits went unseen. chokidar re-watches a
 * replaced file and reports an unlink followed by an add within its `atomic`
 * window as one change.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { watch } from 'chokidar';
import { GeneratorErrorCode as E, WsgenError } from '../errors.js';
import { listJsonFiles, parseJsonFile } from '../load.js';
import { noticeJson, printJson } from './json-output.js';
import type { Project } from './project.js';

/** Quiet time after the last change before a run, in milliseconds. */
export const DEBOUNCE_MS = 100;
/** Longest wait from the first change of a burst to its run, in milliseconds (edits that never pause still regenerate). */
export const MAX_WAIT_MS = 1000;

/**
 * The errors to show for a failed run: the JSON syntax error of every schema
 * file that has one (the pipeline stops at the first), else the pipeline's error;
 * each schema file named from the working directory (WsgenError.path) as the pipeline names it.
 */
export function runErrors(schemaDir: string, err: WsgenError): WsgenError[] {
  const found: WsgenError[] = [];
  try {
    for (const f of listJsonFiles(schemaDir)) {
      try {
        parseJsonFile(readFileSync(f), relative(schemaDir, f).split('\\').join('/'));
      } catch (e) {
        if (e instanceof WsgenError) found.push(e.inSchema(schemaDir));
        else throw e;
      }
    }
  } catch (e) {
    if (!(e instanceof WsgenError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
  }
  // WSGEN_WATCH_ROOT (rootGuard) names a schema file too, found outside the pipeline, which names the others.
  return found.length > 0 ? found : err.all().map((e) => (e.code === E.WATCH_ROOT ? e.inSchema(schemaDir) : e));
}

/**
 * The check every run of one watch makes before it writes: the root schema file stays the one its first good run
 * read. When that file is deleted or renamed (an editor that saves by delete and recreate, a `git checkout`), the
 * folder may still build with another file as its root (the role library alone becomes a root type) and the output
 * would be replaced by another protocol. Such a run is refused instead: WSGEN_WATCH_ROOT, nothing written, the last
 * good output stays; a run whose root is the first one again writes as usual.
 */
export function rootGuard(): (rootFile: string) => void {
  let first: string | undefined;
  return (rootFile) => {
    first ??= rootFile;
    if (rootFile !== first) {
      throw new WsgenError(E.WATCH_ROOT, `the root schema is now ${rootFile}, no longer ${first}; nothing was written`, { file: first, pointer: '' }, `restore ${first}, or stop and restart wsgen generate --watch to generate from ${rootFile}`);
    }
  };
}

/**
 * Watches the schema folder, runs `run` once, then again after every debounced change below the schema folder,
 * until SIGINT or SIGTERM. Resolves when stopped. A WsgenError of a run is
 * printed (stderr, or one JSON line with `--json`), never thrown.
 */
export async function watchSchema(project: Project, run: (p: Project) => Promise<void>, json: boolean): Promise<void> {
  const abs = resolve(project.schema);
  const dir = abs.endsWith('.json') ? dirname(abs) : abs;
  let running = false;
  let again = false;
  const once = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await run(project);
    } catch (err) {
      if (!(err instanceof WsgenError)) throw err;
      const errors = runErrors(dir, err);
      if (json) printJson({ ok: false, command: 'generate', errors: errors.map((e) => e.toJSON()), warnings: err.notices.map((n) => noticeJson(n, err.root ?? dir)) });
      // Without --json, generateOnce has printed the run's warnings (generate.ts generateReporting).
      else process.stderr.write(errors.map((e) => e.format()).join('\n') + `\nwsgen: ${errors.length} error(s); kept the last good output. Watching ${dir}\n`);
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      await once();
    }
  };
  await new Promise<void>((stop, fail) => {
    let timer: NodeJS.Timeout | undefined;
    let first = 0;
    const fire = () => {
      timer = undefined;
      first = 0;
      once().catch(fail);
    };
    const changed = (path: string) => {
      if (!path.endsWith('.json')) return;
      const now = Date.now();
      if (first === 0) first = now;
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, Math.max(0, Math.min(DEBOUNCE_MS, first + MAX_WAIT_MS - now)));
    };
    // Every change below the folder counts: a file edited in place, replaced by a rename, deleted, or new (in any subfolder).
    const watcher = watch(dir, { ignoreInitial: true, atomic: true, persistent: true });
    for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, changed);
    const end = () => {
      if (timer) clearTimeout(timer);
      void watcher.close();
      process.off('SIGINT', end);
      process.off('SIGTERM', end);
      stop();
    };
    watcher.on('error', (e: unknown) => {
      end();
      fail(e);
    });
    process.on('SIGINT', end);
    process.on('SIGTERM', end);
    // The first run starts once the watcher is in place ('ready': every file below the folder is watched), so no
    // change made after it prints is missed.
    new Promise<void>((ready) => watcher.once('ready', ready))
      .then(() => once())
      .then(() => {
        if (!json) process.stderr.write(`wsgen: watching ${dir} (Ctrl-C stops)\n`);
      })
      .catch((e: unknown) => {
        end();
        fail(e);
      });
  });
}
