import { invalidBuildConfig as invalidConfig } from './invalidBuildConfig.js';
import { resolveInterceptorConfig, secureOrigin, resolveProxyConfig, type InterceptorConfig, type ProxyConfig, type ResourceRule, type Timeouts } from '@tokenvault/config';
import type { ServiceWorkerConfig, TokenVaultConfig } from './defineConfig.js';

/**
 * What the app page is told (the Vite plugin's `virtual:tokenvault/config`). Nothing in it is a
 * secret, and nothing in it is trusted by the proxy: the proxy has its own copy in its own page.
 */
export interface AppConfig {
  /** The OP's issuer, as configured. */
  issuer: string;
  /** The OAuth client ID. */
  clientId: string;
  /** The proxy page: `proxyOrigin` + `/`. */
  proxyUrl: string;
  /** The worker script's URL path on the app origin (`serviceWorker.path`). */
  serviceWorkerUrl: string;
  /** The worker's scope (`serviceWorker.scope`). */
  scope: string;
  /** The rules, as the proxy has them: which requests get a credential. */
  rules: ResourceRule[];
  /** The configured time limits, when any. */
  timeouts?: Timeouts;
}

/** A validated configuration and the three configurations derived from it. */
export interface ResolvedTokenVaultConfig {
  /** The app's origins, checked (https, or http on a `localhost` name). */
  readonly appOrigins: readonly string[];
  /** The proxy page's origin: same site as the app, another origin. */
  readonly proxyOrigin: string;
  /** The origin of the issuer URL. */
  readonly issuerOrigin: string;
  /** The origins the proxy page fetches from: the OP's (issuer and `opOrigins`) and every rule's, once each. */
  readonly connectOrigins: readonly string[];
  /** Host pages (other sites) allowed to embed the app; see `TokenVaultConfig.hostOrigins`. */
  readonly hostOrigins: readonly string[];
  /** The worker's path and scope, defaults filled in. */
  readonly serviceWorker: Readonly<Required<ServiceWorkerConfig>>;
  /** `'sealed'` (default) or `'drop-in'`: who is the OAuth client. */
  readonly mode: 'sealed' | 'drop-in';
  /**
   * The redirect URIs to register at the OP for this client, and only these. Sealed mode: the
   * proxy origin's `/callback` and `/silent-callback`. Drop-in mode: the configured `redirectUris`.
   */
  readonly redirectUris: readonly string[];
  /** The proxy page's built-in configuration (its JSON block). */
  readonly proxy: ProxyConfig;
  /** What the worker script starts with (`self.TOKENVAULT_CONFIG`). */
  readonly interceptor: InterceptorConfig;
  /** What the app page is told (its JSON block, and the Vite plugin's `vaultOptions`). */
  readonly app: AppConfig;
}

// Every field of ProxyConfig, checked by the compiler: a field added there must be added here, or
// the build tools would refuse it as unknown.
const PROXY_FIELDS: Record<keyof ProxyConfig, true> = {
  appOrigins: true,
  hostOrigins: true,
  issuer: true,
  clientId: true,
  rules: true,
  redact: true,
  placeholder: true,
  refreshSkewSeconds: true,
  timeouts: true,
  maxUpstreamRequests: true,
  hostSession: true,
  sessionWatch: true,
  sessionCheck: true,
  opOrigins: true,
  opPassThrough: true,
  keep: true,
  mode: true,
  scope: true,
};
const BUILD_FIELDS: Record<Exclude<keyof TokenVaultConfig, keyof ProxyConfig>, true> = {
  proxyOrigin: true,
  serviceWorker: true,
  redirectUris: true,
};
const KNOWN_FIELDS = [...Object.keys(PROXY_FIELDS), ...Object.keys(BUILD_FIELDS)];

function urlPath(value: unknown, field: string, example: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || /[?#\\]/.test(value) || value.split('/').some((s) => s === '.' || s === '..')) {
    throw invalidConfig(field, `must be a path on the app origin such as ${example} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function serviceWorker(value: unknown): Required<ServiceWorkerConfig> {
  if (value === undefined) return { path: '/sw.js', scope: '/' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidConfig('serviceWorker', 'must be an object { path?, scope? }');
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (key !== 'path' && key !== 'scope') throw invalidConfig(`serviceWorker.${key}`, 'is not a known field (known: path, scope)');
  }
  const path = urlPath(input.path ?? '/sw.js', 'serviceWorker.path', '/sw.js');
  if (!path.endsWith('.js')) throw invalidConfig('serviceWorker.path', `must name a .js file, such as /sw.js (got ${JSON.stringify(path)})`);
  return { path, scope: urlPath(input.scope ?? '/', 'serviceWorker.scope', '/') };
}

/** The proxy origin's redirect URIs in sealed mode: where the OP sends the codes. */
export function sealedRedirectUris(proxyOrigin: string): string[] {
  return [`${proxyOrigin}/callback`, `${proxyOrigin}/silent-callback`];
}

function resolveRedirectUris(value: unknown, mode: 'sealed' | 'drop-in', proxyOrigin: string, appOrigins: readonly string[]): string[] {
  if (value === undefined) return mode === 'sealed' ? sealedRedirectUris(proxyOrigin) : [];
  if (!Array.isArray(value)) throw invalidConfig('redirectUris', 'must be a list of URLs');
  return value.map((uri, index) => {
    const field = `redirectUris[${index}]`;
    if (typeof uri !== 'string' || !URL.canParse(uri)) throw invalidConfig(field, `must be an absolute URL (got ${JSON.stringify(uri)})`);
    const url = new URL(uri);
    if (url.hash || url.username || url.password) throw invalidConfig(field, 'must have no fragment and no credentials');
    if (mode === 'sealed') {
      // The whole point of sealed mode: a code that lands on the app origin can be read by any
      // script there, which can redeem it elsewhere (RFC 10017 §5.1.3). Only the proxy's own pages.
      if (!sealedRedirectUris(proxyOrigin).includes(url.href)) {
        throw invalidConfig(
          field,
          `is refused in sealed mode: register only the proxy origin's redirect URIs (${sealedRedirectUris(proxyOrigin).join(', ')}); a code sent to ${url.origin === proxyOrigin ? 'another page' : 'the app origin'} could be read by the app's script`,
        );
      }
    } else if (!appOrigins.includes(url.origin)) {
      throw invalidConfig(field, `must be a page of an app origin (${appOrigins.join(', ')}) in drop-in mode`);
    }
    return url.href;
  });
}

/**
 * Validates a Token Vault configuration and derives what each part is built from. Throws
 * `TV_INVALID_CONFIG` with a message that names the field and the fix. The proxy fields are checked
 * by the same code the proxy page runs at start-up (`resolveProxyConfig`).
 *
 * @example
 * ```ts
 * const resolved = resolveConfig(config)
 * resolved.proxy       // the proxy page's JSON block
 * resolved.interceptor // self.TOKENVAULT_CONFIG of the worker
 * resolved.app         // what the app page is told
 * ```
 * @see https://github.com/tokenvault/tokenvault/blob/main/docs/configuration.md
 */
export function resolveConfig(value: unknown): ResolvedTokenVaultConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidConfig('config', 'must be an object: export default defineConfig({ ... }) from tokenvault.config.ts');
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.includes(key)) throw invalidConfig(key, `is not a known field (known: ${KNOWN_FIELDS.join(', ')})`);
  }
  const proxy = Object.fromEntries(Object.entries(input).filter(([key, v]) => key in PROXY_FIELDS && v !== undefined)) as unknown as ProxyConfig;
  const resolved = resolveProxyConfig(proxy);
  const interceptor: InterceptorConfig = {
    issuer: proxy.issuer,
    ...(proxy.opOrigins ? { opOrigins: proxy.opOrigins } : {}),
    ...(proxy.opPassThrough ? { opPassThrough: proxy.opPassThrough } : {}),
    rules: proxy.rules,
    ...(proxy.timeouts ? { timeouts: proxy.timeouts } : {}),
  };
  resolveInterceptorConfig(interceptor);

  if (input.proxyOrigin === undefined) {
    throw invalidConfig('proxyOrigin', 'is missing: set it to the origin that serves the proxy page, such as https://proxy.example.com');
  }
  const proxyOrigin = secureOrigin(input.proxyOrigin, 'proxyOrigin');
  const appOrigins = proxy.appOrigins.map((origin, index) => secureOrigin(origin, `appOrigins[${index}]`));
  appOrigins.forEach((origin, index) => {
    if (origin === proxyOrigin) {
      throw invalidConfig('proxyOrigin', `must be another origin than the app's (appOrigins[${index}]): on the app's own origin, the app's script could read the tokens`);
    }
    if (new URL(origin).protocol !== new URL(proxyOrigin).protocol) {
      throw invalidConfig('proxyOrigin', `must use the same scheme as appOrigins[${index}] (${origin}): the two must be one site, or the proxy's storage is partitioned`);
    }
  });
  resolved.rules.forEach((rule, index) => {
    if (rule.origin === proxyOrigin) {
      throw invalidConfig(
        `rules[${index}].origin`,
        `must not be the proxy origin (${proxyOrigin}): the vault would send the tokens to itself, where its page could be asked to read them`,
      );
    }
  });
  const worker = serviceWorker(input.serviceWorker);
  const issuerOrigin = new URL(resolved.issuer).origin;
  const redirectUris = resolveRedirectUris(input.redirectUris, resolved.mode, proxyOrigin, appOrigins);
  const hostOrigins = resolved.hostOrigins.map((origin, index) => secureOrigin(origin, `hostOrigins[${index}]`));
  hostOrigins.forEach((origin, index) => {
    if (origin === proxyOrigin) throw invalidConfig(`hostOrigins[${index}]`, `must not be the proxy origin (${origin}): a host is a page that embeds the app`);
  });

  return {
    appOrigins,
    proxyOrigin,
    issuerOrigin,
    connectOrigins: [...new Set([...resolved.opOrigins, ...resolved.rules.map((rule) => rule.origin)])],
    hostOrigins,
    serviceWorker: worker,
    mode: resolved.mode,
    redirectUris,
    proxy,
    interceptor,
    app: {
      issuer: proxy.issuer,
      clientId: proxy.clientId,
      proxyUrl: `${proxyOrigin}/`,
      serviceWorkerUrl: worker.path,
      scope: worker.scope,
      rules: [...proxy.rules],
      ...(proxy.timeouts ? { timeouts: proxy.timeouts } : {}),
    },
  };
}
