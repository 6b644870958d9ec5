// The proxy page's two configuration blocks, as the build writes them: the configuration as given
// (`tokenvault-config`) and, beside it, the same configuration resolved by resolveProxyConfig
// (`tokenvault-config-resolved`) with a SHA-256 digest of both texts in its `data-sha256`
// attribute. The proxy frame takes the resolved block as it is when the digest matches, and
// otherwise checks the given block with resolveProxyConfig (a page written by hand or by another
// server, or edited after the build). The digest is no signature: the page is the proxy origin's
// own, trusted as its script is; it tells a block the build wrote from one edited since, so that
// the frame need not ship the checker in its first chunk.
import type { ResolvedProxyConfig } from './config.js';
import type { NormalizedRule } from './rules.js';

/** The id of the proxy page's resolved configuration block. */
export const RESOLVED_CONFIG_ID = 'tokenvault-config-resolved';

/**
 * The format of the resolved block. It is part of the digested text: a proxy and a build that
 * disagree on the resolved form (another version of the kit) do not match, and the proxy checks
 * the given block itself.
 */
export const RESOLVED_CONFIG_FORMAT = 'tokenvault-resolved-proxy-config/2';

/**
 * The text whose SHA-256 (base64url, no padding) is the resolved block's `data-sha256`: the format,
 * the given block's exact text and the resolved block's exact text, one per line.
 *
 * @example
 * ```ts
 * createHash('sha256').update(builtConfigDigestInput(given, resolved)).digest('base64url')
 * ```
 */
export function builtConfigDigestInput(given: string, resolved: string): string {
  return `${RESOLVED_CONFIG_FORMAT}\n${given}\n${resolved}`;
}

/**
 * The resolved configuration as the resolved block holds it: JSON, with each rule's `methods` set
 * written as a list (JSON has no sets). {@link fromBuiltConfig} reads it back.
 *
 * @example
 * ```ts
 * scriptSafeJson(toBuiltConfig(resolveProxyConfig(config)))
 * ```
 */
export function toBuiltConfig(config: ResolvedProxyConfig): unknown {
  return { ...config, rules: config.rules.map((rule) => ({ ...rule, methods: rule.methods && [...rule.methods] })) };
}

/**
 * The resolved configuration from a resolved block the digest vouched for (see the top of this
 * file): the rules' method lists made sets again. It checks nothing else: the build did.
 *
 * @example
 * ```ts
 * const config = fromBuiltConfig(JSON.parse(resolvedBlock.textContent))
 * ```
 */
export function fromBuiltConfig(value: unknown): ResolvedProxyConfig {
  const config = value as Omit<ResolvedProxyConfig, 'rules'> & { rules: (Omit<NormalizedRule, 'methods'> & { methods: string[] | null })[] };
  return { ...config, rules: config.rules.map((rule) => ({ ...rule, methods: rule.methods && new Set(rule.methods) })) };
}
