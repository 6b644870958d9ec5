import { VaultError } from '@tokenvault/protocol';

/**
 * A configuration error of the build tools: `TV_INVALID_CONFIG`, naming the field and the fix. The
 * build tools run in Node only, where every message is kept, so the fix is written here rather than
 * in the protocol's catalog of browser messages (`invalidConfig`, whose templates production
 * bundles drop).
 *
 * @example
 * ```ts
 * throw invalidBuildConfig('proxyOrigin', 'is missing')
 * // VaultError TV_INVALID_CONFIG: Invalid Token Vault configuration: proxyOrigin is missing
 * ```
 */
export function invalidBuildConfig(field: string, fix: string): VaultError {
  return new VaultError('TV_INVALID_CONFIG', `Invalid Token Vault configuration: ${field} ${fix}`);
}
