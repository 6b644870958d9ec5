import type { ProxyConfig } from '@tokenvault/config';

/** Where the app serves the interceptor worker, and what it controls. */
export interface ServiceWorkerConfig {
  /** The worker script's URL path on the app origin. Default `/sw.js`. */
  path?: string;
  /** The pages it controls. Default `/` (the whole app). */
  scope?: string;
}

/**
 * The one Token Vault configuration of an app: everything the app's worker, the app page and the
 * proxy page are built from. Write it once in `tokenvault.config.ts`.
 */
export interface TokenVaultConfig extends ProxyConfig {
  /**
   * The proxy page's origin: another origin of the same site as the app, for example
   * `https://proxy.example.com` next to `https://app.example.com`. The proxy page is served at its `/`.
   */
  proxyOrigin: string;
  /** Where the app serves the worker (`path`, default `/sw.js`) and which pages it controls (`scope`, default `/`). */
  serviceWorker?: ServiceWorkerConfig;
  /**
   * Origins of host pages on other sites that embed the app (a custom web tab handing it a session
   * ID). They join the `frame-ancestors` of the app page and of the proxy page (that directive
   * checks every ancestor, not just the parent), and the proxy page's own configuration: the proxy
   * takes a host session ID only from the page that embeds the app, at one of them. Default none.
   */
  hostOrigins?: readonly string[];
  /**
   * The redirect URIs registered at the OP for this client (`tokenvault headers` lists them).
   * Sealed mode (the default): only the proxy origin's `/callback` and `/silent-callback`, which are
   * also the default; an app-origin URI is refused. Drop-in mode: the app's own callback pages.
   */
  redirectUris?: readonly string[];
}

/**
 * Types a Token Vault configuration. It returns its argument unchanged; validation happens when the
 * Vite plugin or the `tokenvault` command loads it, and again when the proxy page and the worker start.
 *
 * @example
 * ```ts
 * // tokenvault.config.ts
 * import { defineConfig } from '@tokenvault/build'
 *
 * export default defineConfig({
 *   appOrigins: ['https://app.example.com'],
 *   proxyOrigin: 'https://proxy.example.com',
 *   issuer: 'https://op.example.com',
 *   clientId: 'spa',
 *   rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }],
 * })
 * ```
 * @see https://github.com/tokenvault/tokenvault/blob/main/docs/configuration.md for every field and its default
 */
export function defineConfig(config: TokenVaultConfig): TokenVaultConfig {
  return config;
}
