import { VaultError } from '@tokenvault/protocol';
import { resolveProxyConfig, type ResolvedProxyConfig } from '@tokenvault/config';

/**
 * The full check of the page's configuration block (resolveProxyConfig): for a block the build did
 * not resolve, or one edited since. A chunk of its own, which readConfig loads with `import()` only
 * then: a page the build wrote never needs it.
 */
export function checkConfig(text: string): ResolvedProxyConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new VaultError('TV_INVALID_CONFIG', { why: 'configBlockNotJson' }, { cause });
  }
  return resolveProxyConfig(value);
}
