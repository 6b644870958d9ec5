import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { VaultError } from '@tokenvault/protocol';
import { invalidBuildConfig as invalidConfig } from './invalidBuildConfig.js';
import { createJiti } from 'jiti';
import { resolveConfig, type ResolvedTokenVaultConfig } from './resolveConfig.js';

/** The file names looked for, in this order, when no file is named. */
export const CONFIG_FILES = ['tokenvault.config.ts', 'tokenvault.config.mts', 'tokenvault.config.js', 'tokenvault.config.mjs', 'tokenvault.config.json'] as const;

/** Where {@link loadConfig} looks for the configuration. */
export interface LoadConfigOptions {
  /** Where to look for the config file, and what a relative `file` is relative to. Default: the working directory. */
  root?: string;
  /** The config file. Default: the first of CONFIG_FILES that exists in `root`. */
  file?: string;
}

/** What {@link loadConfig} found: the file and the configuration it resolves to. */
export interface LoadedConfig {
  /** The absolute path of the file it came from. */
  file: string;
  /** The configuration, validated and resolved ({@link resolveConfig}). */
  config: ResolvedTokenVaultConfig;
}

function findFile(root: string, file: string | undefined): string {
  if (file !== undefined) {
    const path = resolve(root, file);
    if (!existsSync(path)) throw invalidConfig('file', `${path} does not exist: check the path given to the plugin or to --config`);
    return path;
  }
  const found = CONFIG_FILES.map((name) => resolve(root, name)).find((path) => existsSync(path));
  if (!found) throw invalidConfig('file', `not found: create ${CONFIG_FILES[0]} in ${root} (export default defineConfig({ ... }), see the README's quick start)`);
  return found;
}

async function evaluate(path: string): Promise<unknown> {
  if (path.endsWith('.json')) return JSON.parse(readFileSync(path, 'utf8'));
  // Node 20 cannot run TypeScript by itself. jiti transpiles the file (and what it imports) in
  // process, without Vite or a bundler, so `npx tokenvault build` works for any app. No caches: a
  // watching dev server must see every edit.
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false, interopDefault: true });
  return jiti.import(path, { default: true });
}

/**
 * Loads `tokenvault.config.ts` (or .mts, .js, .mjs, .json) and validates it. Throws
 * `TV_INVALID_CONFIG` with the file, the field and the fix.
 *
 * @example
 * ```ts
 * const { file, config } = await loadConfig({ root: process.cwd() })
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const file = findFile(options.root ?? process.cwd(), options.file);
  let value: unknown;
  try {
    value = await evaluate(file);
  } catch (cause) {
    throw new VaultError('TV_INVALID_CONFIG', `Cannot load ${basename(file)}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  try {
    return { file, config: resolveConfig(value) };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new VaultError('TV_INVALID_CONFIG', `${basename(file)}: ${message}`, { cause });
  }
}
