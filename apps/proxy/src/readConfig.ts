import { resolveProxyConfig, VaultError, type ResolvedProxyConfig } from '@tokenvault/protocol';

// Long messages are for development: the proxy ships built for production and keeps the codes.
const dev = process.env.NODE_ENV !== 'production';

/**
 * The proxy's configuration is part of its own page: a JSON block written into the HTML at build
 * time (or by the server of the proxy origin). Nothing the app sends can add to it.
 */
export function readConfig(doc: Document = document): ResolvedProxyConfig {
  const element = doc.getElementById('tokenvault-config');
  if (!element?.textContent) {
    throw new VaultError('TV_INVALID_CONFIG', dev ? 'The proxy page has no <script type="application/json" id="tokenvault-config"> block: build it with the Token Vault plugin or CLI' : '');
  }
  let value: unknown;
  try {
    value = JSON.parse(element.textContent);
  } catch (cause) {
    throw new VaultError('TV_INVALID_CONFIG', dev ? 'The proxy configuration block is not valid JSON' : '', { cause });
  }
  return resolveProxyConfig(value);
}
