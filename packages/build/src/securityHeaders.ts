import type { ResolvedTokenVaultConfig } from './resolveConfig.js';

/** Response headers, lower-case names. */
export type HeaderMap = Record<string, string>;

const COMMON: HeaderMap = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Hashed file names never change content: cache them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages and the worker: always revalidate, so a fixed rule or a new version is picked up at once. */
export const REVALIDATE = 'no-cache';

/**
 * The proxy page's policy: only the app origins may frame it, only its own script runs, and it can
 * only connect to the OP and the APIs of its rules.
 *
 * @example
 * ```ts
 * proxyCsp(resolveConfig(config))
 * // "default-src 'none'; script-src 'self'; connect-src https://op.example.com https://api.example.com; frame-ancestors https://app.example.com; base-uri 'none'; form-action 'none'"
 * ```
 * @see https://www.w3.org/TR/CSP3/#directive-frame-ancestors
 */
export function proxyCsp(config: ResolvedTokenVaultConfig, framedBySelf = false): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `connect-src ${config.connectOrigins.join(' ')}`,
    // Sealed mode: the proxy frame runs the prompt=none renewal (back to its own silent callback)
    // and the OP's check_session_iframe in frames of its own.
    ...(config.mode === 'sealed' ? [`frame-src 'self' ${config.issuerOrigin}`] : []),
    // Every ancestor is checked, not just the parent: a host page embedding the app must be listed.
    `frame-ancestors ${[...(framedBySelf ? ["'self'"] : []), ...config.appOrigins, ...config.hostOrigins].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Options of {@link appCsp} and {@link appPageHeaders}. */
export interface AppCspOptions {
  /** Who may frame the app. Default `'self'` and the configured `hostOrigins`. */
  frameAncestors?: readonly string[];
}

/**
 * A strict policy for the app page: its own scripts only; it talks to the OP and the APIs, frames
 * the proxy (and the OP's check_session_iframe). A starting point: an app that needs more adds it.
 *
 * @example
 * ```ts
 * appCsp(resolved) // "default-src 'self'; script-src 'self'; … frame-ancestors 'self'"
 * ```
 * @see https://www.w3.org/TR/CSP3/
 */
export function appCsp(config: ResolvedTokenVaultConfig, options: AppCspOptions = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${config.connectOrigins.join(' ')}`,
    // 'self': a prompt=none re-check frame goes to the OP and comes back to the app's silent callback.
    `frame-src 'self' ${[...new Set([config.proxyOrigin, config.issuerOrigin])].join(' ')}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${(options.frameAncestors ?? ["'self'", ...config.hostOrigins]).join(' ')}`,
  ].join('; ');
}

/**
 * Headers of the proxy page (`/` on the proxy origin). Every server of the proxy origin sends these:
 * the dev host, the Vite dev server and the nginx template.
 *
 * @example
 * ```ts
 * for (const [name, value] of Object.entries(proxyPageHeaders(resolved))) reply.header(name, value)
 * ```
 */
export function proxyPageHeaders(config: ResolvedTokenVaultConfig): HeaderMap {
  return {
    ...COMMON,
    'content-security-policy': proxyCsp(config),
    'cross-origin-resource-policy': 'same-origin',
    // Asks for the proxy page's own agent cluster: no document.domain relaxation to the app's site,
    // and a browser that isolates by origin may give it its own process. A hint, not a guarantee.
    'origin-agent-cluster': '?1',
    'cache-control': REVALIDATE,
  };
}

/**
 * Headers of the sealed sign-in's pages on the proxy origin (`/signin`, `/callback`,
 * `/silent-callback`): the proxy page's, never cached (a code or a state is in their URL), and no
 * referrer, so that the code in the URL never leaves in a Referer header.
 *
 * @example
 * ```ts
 * proxyFlowPageHeaders(resolved)['cache-control'] // 'no-store'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4
 */
export function proxyFlowPageHeaders(config: ResolvedTokenVaultConfig): HeaderMap {
  // 'self' among the ancestors: the silent callback is a frame of the proxy frame.
  return { ...proxyPageHeaders(config), 'content-security-policy': proxyCsp(config, true), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
}

/**
 * Headers of the proxy page's hashed assets (`/assets/*` on the proxy origin).
 *
 * @example
 * ```ts
 * proxyAssetHeaders()['cache-control'] // 'public, max-age=31536000, immutable'
 * ```
 */
export function proxyAssetHeaders(): HeaderMap {
  return { ...COMMON, 'cross-origin-resource-policy': 'same-origin', 'cache-control': IMMUTABLE };
}

/**
 * Headers of the worker script on the app origin. `no-cache`: a browser (or a CDN) must ask again
 * at every update check, or a fixed rule could linger. `Service-Worker-Allowed` lets the worker
 * control its configured scope even when its script lives below it.
 *
 * @example
 * ```ts
 * workerScriptHeaders(resolved)['service-worker-allowed'] // '/'
 * ```
 * @see https://w3c.github.io/ServiceWorker/#service-worker-allowed
 */
export function workerScriptHeaders(config: ResolvedTokenVaultConfig): HeaderMap {
  return {
    ...COMMON,
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': REVALIDATE,
    'service-worker-allowed': config.serviceWorker.scope,
  };
}

/**
 * Headers of the app's pages: the strict policy, revalidated on every load, and
 * `Cross-Origin-Opener-Policy: same-origin-allow-popups`: a page of another origin that opens the
 * app gets a severed handle (it cannot reach the proxy frame through it to post messages), while the
 * windows the app opens itself (the popup sign-in) keep their opener.
 *
 * @example
 * ```ts
 * appPageHeaders(resolved, { frameAncestors: ["'self'", 'https://portal.example.com'] })
 * ```
 */
export function appPageHeaders(config: ResolvedTokenVaultConfig, options: AppCspOptions = {}): HeaderMap {
  return {
    ...COMMON,
    'content-security-policy': appCsp(config, options),
    'cross-origin-opener-policy': 'same-origin-allow-popups',
    'cache-control': REVALIDATE,
  };
}
