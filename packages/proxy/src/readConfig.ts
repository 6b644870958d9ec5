import { invalidConfig, VaultError } from '@tokenvault/protocol';
import { resolveProxyConfig, type ResolvedProxyConfig } from '@tokenvault/config';

/**
 * The proxy's configuration is part of its own page: a JSON block written into the HTML at build
 * time (or by the server of the proxy origin). Nothing the app sends can add to it.
 */
export function readConfig(doc: Document = document): ResolvedProxyConfig {
  const element = doc.getElementById('tokenvault-config');
  if (!element?.textContent) {
    throw new VaultError('TV_INVALID_CONFIG', { why: 'noConfigBlock' });
  }
  let value: unknown;
  try {
    value = JSON.parse(element.textContent);
  } catch (cause) {
    throw new VaultError('TV_INVALID_CONFIG', { why: 'configBlockNotJson' }, { cause });
  }
  const config = resolveProxyConfig(value);
  // The build refuses it too; a page written by hand (or by another server) is checked here.
  // Null for a document without a browsing context (DOMParser's), whatever lib.dom says.
  const own = (doc.location as Location | null)?.origin;
  config.rules.forEach((rule, index) => {
    if (rule.origin === own) throw invalidConfig(`rules[${index}].origin`, { why: 'ruleIsProxyOrigin' });
  });
  return config;
}
