import { base64url, invalidConfig, VaultError } from '@tokenvault/protocol';
import { builtConfigDigestInput, fromBuiltConfig, RESOLVED_CONFIG_ID, type ResolvedProxyConfig } from '@tokenvault/config';

/**
 * The proxy's configuration is part of its own page: a JSON block written into the HTML at build
 * time (or by the server of the proxy origin). Nothing the app sends can add to it.
 *
 * The build writes it twice: as given (`tokenvault-config`) and resolved (`tokenvault-config-resolved`,
 * with the SHA-256 of both texts in `data-sha256`, see builtConfigDigestInput). When the digest
 * matches, the resolved block is the configuration: the build checked and resolved exactly this
 * text, and the page is this origin's own, as trusted as its script. Otherwise (a page written by
 * hand or by another server, a block edited after the build, no WebCrypto) the given block is
 * checked here as the build checks it, with the checker loaded by `import()`, and refused with the
 * same `TV_INVALID_CONFIG` errors. Either way, no rule may name the proxy's own origin.
 */
export async function readConfig(doc: Document = document): Promise<ResolvedProxyConfig> {
  const text = doc.getElementById('tokenvault-config')?.textContent;
  if (!text) {
    throw new VaultError('TV_INVALID_CONFIG', { why: 'noConfigBlock' });
  }
  const config = (await builtConfig(doc, text)) ?? (await import('./checkConfig.js')).checkConfig(text);
  // The build refuses it too; a page written by hand (or by another server) is checked here.
  // Null for a document without a browsing context (DOMParser's), whatever lib.dom says.
  const own = (doc.location as Location | null)?.origin;
  config.rules.forEach((rule, index) => {
    if (rule.origin === own) throw invalidConfig(`rules[${index}].origin`, { why: 'ruleIsProxyOrigin' });
  });
  return config;
}

/** The resolved block, when its digest says the build wrote it for exactly this given block; null otherwise. */
async function builtConfig(doc: Document, given: string): Promise<ResolvedProxyConfig | null> {
  const block = doc.getElementById(RESOLVED_CONFIG_ID);
  const resolved = block?.textContent;
  const expected = block?.getAttribute('data-sha256');
  // WebCrypto is there in every secure context (the proxy origin must be one).
  const subtle: SubtleCrypto | undefined = (globalThis.crypto as Crypto | undefined)?.subtle;
  if (!resolved || !expected || !subtle) return null;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(builtConfigDigestInput(given, resolved)));
  if (base64url(new Uint8Array(digest)) !== expected) return null;
  try {
    return fromBuiltConfig(JSON.parse(resolved));
  } catch {
    return null;
  }
}
