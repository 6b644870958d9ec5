import { createHash } from 'node:crypto';
import { builtConfigDigestInput, RESOLVED_CONFIG_ID, resolveProxyConfig, toBuiltConfig } from '@tokenvault/config';
import { scriptSafeJson, withConfigBlock, withJsonBlock } from './configBlock.js';
import type { ResolvedTokenVaultConfig } from './resolveConfig.js';

/** The id of the proxy page's configuration block (read by packages/proxy's readConfig). */
export const PROXY_CONFIG_ID = 'tokenvault-config';
/** The id of the app page's configuration block (read by `virtual:tokenvault/config`). */
export const APP_CONFIG_ID = 'tokenvault-app-config';

/** The id of the proxy page's resolved configuration block (see {@link renderProxyPage}). */
export const PROXY_RESOLVED_CONFIG_ID = RESOLVED_CONFIG_ID;

/**
 * The proxy page with its built-in configuration. This page is all the proxy trusts: nothing the
 * app sends at run time can add an origin or a rule to it.
 *
 * Two blocks: the configuration as given (`tokenvault-config`), and the same configuration checked
 * and resolved here (`tokenvault-config-resolved`, by resolveProxyConfig, the proxy's own checker)
 * with `data-sha256`, the SHA-256 (base64url) of both texts (builtConfigDigestInput of
 * `@tokenvault/config`). The proxy frame takes the resolved block when the digest matches, so
 * its first chunk carries no checker; a block edited since is checked in the frame as before.
 *
 * @example
 * ```ts
 * renderProxyPage(resolveConfig(config), readFileSync(kitFiles().proxyPage, 'utf8'))
 * ```
 */
export function renderProxyPage(config: ResolvedTokenVaultConfig, html: string): string {
  const given = scriptSafeJson(config.proxy);
  const resolved = scriptSafeJson(toBuiltConfig(resolveProxyConfig(config.proxy)));
  const digest = createHash('sha256').update(builtConfigDigestInput(given, resolved)).digest('base64url');
  return withJsonBlock(withJsonBlock(html, PROXY_CONFIG_ID, given), PROXY_RESOLVED_CONFIG_ID, resolved, { 'data-sha256': digest });
}

/**
 * An app page with what the app is told (issuer, client id, proxy URL, worker URL). Replaces the
 * block a previous build wrote, so a server can re-target one build (the dev host does, per port).
 *
 * @example
 * ```ts
 * renderAppPage(resolveConfig(config), readFileSync('dist/index.html', 'utf8'))
 * ```
 */
export function renderAppPage(config: ResolvedTokenVaultConfig, html: string): string {
  return withConfigBlock(html, APP_CONFIG_ID, config.app);
}
