import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VaultError } from '@tokenvault/protocol';
import type { ResolvedTokenVaultConfig } from './resolveConfig.js';
import { appCsp, proxyCsp, type AppCspOptions } from './securityHeaders.js';

/**
 * Options of {@link renderNginxSite}: where the two builds are and how nginx listens.
 *
 * @example
 * renderNginxSite(config, { appRoot: '/srv/my-app/dist', proxyRoot: '/srv/my-app/dist-proxy' });
 */
export interface NginxSiteOptions {
  /** The app's build (vite build's `dist/`), absolute. */
  appRoot: string;
  /** The proxy origin's build (`dist-proxy/`), absolute. */
  proxyRoot: string;
  /**
   * `listen` parameters, applied to both origins (e.g. `['127.0.0.1:8080', '[::1]:8080']`).
   * Default: each origin's own port on every address (`443 ssl` and `[::]:443 ssl` for https).
   */
  listen?: readonly string[];
  /** For https origins: the certificate and key files (one certificate covering both names). */
  sslCertificate?: string;
  /** The key file of `sslCertificate`. */
  sslCertificateKey?: string;
  /** The template's text. Default: the template shipped with this package (`nginx/tokenvault.conf.template`, see {@link nginxTemplatePath}). */
  template?: string;
  /** Who may frame the app page. */
  frameAncestors?: AppCspOptions['frameAncestors'];
}

/**
 * The site template shipped with this package, `nginx/tokenvault.conf.template` at its root: the
 * one source of the production shape (the repository's nginx e2e runner renders it too). The same
 * path in a checkout and in an installed package, since `files` ships the directory as it is.
 *
 * @example
 * ```ts
 * readFileSync(nginxTemplatePath(), 'utf8')
 * ```
 */
export function nginxTemplatePath(): string {
  // From dist/renderNginxSite.js (and from src/ under vitest) the package root is one level up.
  const path = fileURLToPath(new URL('../nginx/tokenvault.conf.template', import.meta.url));
  if (!existsSync(path)) throw new VaultError('TV_INVALID_ARGUMENT', `The nginx template is missing from @tokenvault/build (looked at ${path}): reinstall the package`);
  return path;
}

// A value goes into nginx's configuration either bare or in double quotes: nothing in it may end
// the token or the string, start a variable or a comment.
function nginxSafe(value: string, field: string): string {
  if (/[\s"'\\;{}$#]/.test(value) || value === '') {
    throw new VaultError(
      'TV_INVALID_ARGUMENT',
      `${field} cannot go into an nginx configuration as it is (got ${JSON.stringify(value)}): use a path without spaces, quotes, ";", "{", "}", "$" or "#"`,
    );
  }
  return value;
}

function listenLines(origins: readonly string[], options: NginxSiteOptions): string {
  const https = origins.some((origin) => origin.startsWith('https:'));
  const params =
    options.listen ??
    [...new Set(origins.map((origin) => new URL(origin).port || (origin.startsWith('https:') ? '443' : '80')))].flatMap((port) =>
      https ? [`${port} ssl`, `[::]:${port} ssl`] : [port, `[::]:${port}`],
    );
  const lines = params.map(
    (param) =>
      `    listen ${param
        .split(' ')
        .map((part, i) => nginxSafe(part, i === 0 ? 'listen' : 'listen parameter'))
        .join(' ')};`,
  );
  if (https) {
    if (!options.sslCertificate || !options.sslCertificateKey) {
      throw new VaultError('TV_INVALID_ARGUMENT', 'https origins need sslCertificate and sslCertificateKey (--ssl-certificate, --ssl-certificate-key)');
    }
    lines.push(
      `    ssl_certificate ${nginxSafe(options.sslCertificate, 'sslCertificate')};`,
      `    ssl_certificate_key ${nginxSafe(options.sslCertificateKey, 'sslCertificateKey')};`,
    );
  }
  return lines.join('\n');
}

/**
 * The nginx configuration of the two static origins, from the template and the resolved
 * configuration: the same policies the dev host and the Vite servers send.
 *
 * @example
 * ```ts
 * writeFileSync('/etc/nginx/sites-enabled/tokenvault.conf',
 *   renderNginxSite(resolved, { appRoot: '/srv/app/dist', proxyRoot: '/srv/app/dist-proxy' }))
 * ```
 * @see https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header
 */
export function renderNginxSite(config: ResolvedTokenVaultConfig, options: NginxSiteOptions): string {
  for (const [field, path] of [
    ['appRoot', options.appRoot],
    ['proxyRoot', options.proxyRoot],
  ] as const) {
    if (!path.startsWith('/')) throw new VaultError('TV_INVALID_ARGUMENT', `${field} must be an absolute path (got ${JSON.stringify(path)})`);
  }
  const values: Partial<Record<string, string>> = {
    app_listen: listenLines(config.appOrigins, options),
    app_server_names: [...new Set(config.appOrigins.map((origin) => new URL(origin).hostname))].join(' '),
    app_root: nginxSafe(options.appRoot, 'appRoot'),
    app_csp: appCsp(config, options.frameAncestors ? { frameAncestors: options.frameAncestors } : {}),
    worker_path: nginxSafe(config.serviceWorker.path, 'serviceWorker.path'),
    worker_scope: nginxSafe(config.serviceWorker.scope, 'serviceWorker.scope'),
    proxy_listen: listenLines([config.proxyOrigin], options),
    proxy_server_name: new URL(config.proxyOrigin).hostname,
    proxy_root: nginxSafe(options.proxyRoot, 'proxyRoot'),
    proxy_csp: proxyCsp(config),
    proxy_flow_csp: proxyCsp(config, true),
  };
  const template = options.template ?? readFileSync(nginxTemplatePath(), 'utf8');
  return template.replace(/\{\{(\w+)\}\}/g, (match, name: string) => {
    const value: string | undefined = values[name];
    if (value === undefined) throw new VaultError('TV_INVALID_ARGUMENT', `The nginx template has an unknown placeholder ${match}`);
    return value;
  });
}
