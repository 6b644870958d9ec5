import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VaultError } from '@tokenvault/protocol';
import { kitFiles, type KitFiles } from './kitFiles.js';
import { PROXY_CONFIG_ID, renderProxyPage } from './renderPages.js';
import type { ResolvedTokenVaultConfig } from './resolveConfig.js';
import { renderWorkerScript } from './renderWorkerScript.js';
import { SILENT_CALLBACK_FILE, SILENT_CALLBACK_PAGE } from './silentCallbackPage.js';

/**
 * The worker script's file name inside the app's output directory, for an app served at `base`.
 *
 * @example
 * ```ts
 * workerFileName(resolved)         // 'sw.js' for the default path /sw.js
 * workerFileName(resolved, '/app/') // throws: /sw.js is not below /app/
 * ```
 */
export function workerFileName(config: ResolvedTokenVaultConfig, base = '/'): string {
  const path = config.serviceWorker.path;
  if (!path.startsWith(base)) {
    throw new VaultError('TV_INVALID_CONFIG', `Invalid Token Vault configuration: serviceWorker.path ${path} must be below the app's base ${base}`);
  }
  return path.slice(base.length);
}

/**
 * Writes the proxy origin's files (its page with the configuration built in, and its assets) into
 * an empty directory, or over a previous proxy build. Refuses any other non-empty directory. In
 * sealed mode also the page its server answers `/silent-callback` with (`silent-callback.html`, a
 * page that runs nothing: {@link SILENT_CALLBACK_PAGE}).
 *
 * @example
 * ```ts
 * writeProxyOrigin(resolveConfig(config), 'dist-proxy') // ['dist-proxy/index.html', 'dist-proxy/silent-callback.html', 'dist-proxy/assets/…']
 * ```
 */
export function writeProxyOrigin(config: ResolvedTokenVaultConfig, outDir: string, kit: KitFiles = kitFiles()): string[] {
  const page = join(outDir, 'index.html');
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    const previous = existsSync(page) && readFileSync(page, 'utf8').includes(`id="${PROXY_CONFIG_ID}"`);
    if (!previous) throw new VaultError('TV_INVALID_CONFIG', `${outDir} is not empty and holds no proxy build: choose an empty directory for the proxy origin's files`);
    rmSync(outDir, { recursive: true });
  }
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  writeFileSync(page, renderProxyPage(config, readFileSync(kit.proxyPage, 'utf8')));
  const silentCallback = config.mode === 'sealed' ? [join(outDir, SILENT_CALLBACK_FILE)] : [];
  for (const file of silentCallback) writeFileSync(file, SILENT_CALLBACK_PAGE);
  cpSync(kit.proxyAssets, join(outDir, 'assets'), { recursive: true });
  return [page, ...silentCallback, ...readdirSync(join(outDir, 'assets')).map((name) => join(outDir, 'assets', name))];
}

/**
 * Writes the app's worker script (the drop-in bundle with its configuration) into the app's
 * output directory and returns its path.
 *
 * @example
 * ```ts
 * writeWorker(resolveConfig(config), 'dist') // 'dist/sw.js'
 * ```
 */
export function writeWorker(config: ResolvedTokenVaultConfig, outDir: string, kit: KitFiles = kitFiles()): string {
  const file = join(outDir, workerFileName(config));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderWorkerScript(config, readFileSync(kit.workerScript, 'utf8')));
  return file;
}
