import { withConfigBlock } from './configBlock.js';
import type { ResolvedTokenVaultConfig } from './resolveConfig.js';

/** The id of the proxy page's configuration block (read by packages/proxy's readConfig). */
export const PROXY_CONFIG_ID = 'tokenvault-config';
/** The id of the app page's configuration block (read by `virtual:tokenvault/config`). */
export const APP_CONFIG_ID = 'tokenvault-app-config';

/**
 * The proxy page with its built-in configuration. This page is all the proxy trusts: nothing the
 * app sends at run time can add an origin or a rule to it.
 *
 * @example
 * ```ts
 * renderProxyPage(resolveConfig(config), readFileSync(kitFiles().proxyPage, 'utf8'))
 * ```
 */
export function renderProxyPage(config: ResolvedTokenVaultConfig, html: string): string {
  return withConfigBlock(html, PROXY_CONFIG_ID, config.proxy);
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
