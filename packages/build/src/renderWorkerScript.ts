import type { ResolvedTokenVaultConfig } from './resolveConfig.js';
import { scriptSafeJson } from './configBlock.js';

/**
 * The app's interceptor worker: the drop-in bundle (`@tokenvault/interceptor/sw.js`) with its
 * configuration prepended. A change of configuration or of kit version changes the script's bytes,
 * which is what makes browsers install the new worker.
 *
 * @example
 * ```ts
 * renderWorkerScript(resolveConfig(config), readFileSync(kitFiles().workerScript, 'utf8'))
 * // 'self.TOKENVAULT_CONFIG={"issuer":"https://op.example.com",...};\n(function(){...'
 * ```
 * @see https://w3c.github.io/ServiceWorker/#soft-update (byte-for-byte update check)
 */
export function renderWorkerScript(config: ResolvedTokenVaultConfig, workerSource: string): string {
  return `self.TOKENVAULT_CONFIG=${scriptSafeJson(config.interceptor)};\n${workerSource}`;
}
