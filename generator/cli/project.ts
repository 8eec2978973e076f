/**
 * The project a command works on: the config file (found upward from the
 * working directory, or `--config`) with the flags laid over it.
 */
import { resolve } from 'node:path';
import { type Config, findConfig, loadConfig } from '../config.js';
import { TARGETS, type Target } from '../index.js';
import { type TargetFolder, type TargetSettings, defaultSettings, targetFolders } from '../layout.js';

/** The flags that choose the schema and the layout. */
export interface ProjectFlags {
  schema?: string;
  out?: string;
  target?: Target[];
  config?: string;
}

/** Schema, targets and owned folders of a run. */
export interface Project {
  /** Schema folder or root file. */
  schema: string;
  /** The config file's folder, when there is one: banners name the schema from it. */
  root?: string;
  /** The config file, absolute, when there is one. */
  configFile?: string;
  targets: Target[];
  folders: TargetFolder[];
  /** Python package name. */
  pythonPackage?: string;
  /** `--out`, when given: the one folder every target lies under. */
  out?: string;
}

/**
 * Lays the flags over the config: `--schema` replaces its schema, `--out`
 * every target's folder (OUT/ts, OUT/python; the package name stays),
 * `--target` its target list. Without a config: schema `schema`, every
 * target, under `generated`. Throws WsgenError (WSGEN_IO, WSGEN_CONFIG).
 */
export function resolveProject(flags: ProjectFlags, cwd = process.cwd()): Project {
  const file = flags.config ?? findConfig(cwd);
  const config: Config | undefined = file === undefined ? undefined : loadConfig(file);
  const schema = flags.schema ?? config?.schema ?? 'schema';
  const targets: Target[] = flags.target ?? (config?.targets ? (Object.keys(config.targets) as Target[]) : (Object.keys(TARGETS) as Target[]));
  const defaults = defaultSettings(config ? resolve(config.root, 'generated') : 'generated');
  const pythonPackage = config?.targets?.python?.package;
  const settings: Partial<Record<Target, TargetSettings>> = {};
  for (const t of targets) {
    if (flags.out !== undefined) settings[t] = { ...defaultSettings(flags.out)[t], ...(t === 'python' && pythonPackage ? { package: pythonPackage } : {}) };
    else settings[t] = config?.targets?.[t] ?? defaults[t];
  }
  const where = { file: config?.file ?? '', pointer: '/targets' };
  return {
    schema,
    ...(config ? { root: config.root, configFile: config.file } : {}),
    targets,
    folders: targetFolders(settings, targets, where),
    ...(pythonPackage ? { pythonPackage } : {}),
    ...(flags.out !== undefined ? { out: flags.out } : {}),
  };
}
