import { createHash } from 'node:crypto';
import { builtConfigDigestInput, RESOLVED_CONFIG_ID, resolveProxyConfig, toBuiltConfig } from '@tokenvault/config';
import { VaultError } from '@tokenvault/protocol';
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
  const proxy = resolveProxyConfig(config.proxy);
  const resolved = scriptSafeJson(toBuiltConfig(proxy));
  const digest = createHash('sha256').update(builtConfigDigestInput(given, resolved)).digest('base64url');
  const page = withJsonBlock(withJsonBlock(html, PROXY_CONFIG_ID, given), PROXY_RESOLVED_CONFIG_ID, resolved, { 'data-sha256': digest });
  const parts = { host: proxy.hostSession.handoff === 'direct' && proxy.hostOrigins.length > 0, request: true };
  return withDiscoveryPreload(withStartChunks(page, parts), discoveryUrl(config.proxy.issuer));
}

/**
 * The page with only the module preloads of the parts the configuration uses at start: the proxy's
 * build writes one `<link rel="modulepreload" … data-tokenvault-start="<parts>">` per chunk the
 * frame imports at start or right after its first hello, naming the parts that import it (the
 * host's door: `host`; the request path: `request`, always kept), so that the browser fetches them
 * beside the first chunk; a part this configuration does not use would only cost a fetch.
 */
function withStartChunks(html: string, parts: Readonly<Record<string, boolean>>): string {
  return html.replace(/[ \t]*<link rel="modulepreload"[^>]*data-tokenvault-start="([a-z ]+)"[^>]*>\n?/g, (link, of: string) =>
    of.split(' ').some((part) => parts[part]) ? link : '',
  );
}

/** The id of the proxy page's preload of the OP's discovery document (see {@link withDiscoveryPreload}). */
export const DISCOVERY_PRELOAD_ID = 'tokenvault-discovery';

/** The OP's discovery document's URL, as the proxy's `discover` (of `@tokenvault/config`) builds it. */
function discoveryUrl(issuer: string): string {
  return `${issuer}/.well-known/openid-configuration`;
}

/**
 * The page with a preload of the OP's discovery document first in its head: the browser asks for
 * it as it parses the page, while the frame's script is still on its way, and the proxy's own
 * discovery fetch (packages/proxy's network/discover.ts) takes that response. The two requests must
 * match for that (a CORS GET without credentials to another origin, no referrer, no extra header):
 * a preload that does not match costs one more GET of a public document, nothing else. Replaces
 * the preload a previous rendering wrote.
 *
 * @example
 * ```ts
 * withDiscoveryPreload('<head><meta charset="utf-8" />…', 'https://op.example.com/.well-known/openid-configuration')
 * // '<head><link rel="preload" as="fetch" crossorigin="anonymous" referrerpolicy="no-referrer" id="tokenvault-discovery" href="https://op.example.com/…" /><meta …'
 * ```
 */
export function withDiscoveryPreload(html: string, url: string): string {
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const link = `<link rel="preload" as="fetch" crossorigin="anonymous" referrerpolicy="no-referrer" id="${DISCOVERY_PRELOAD_ID}" href="${href}" />`;
  const existing = new RegExp(`<link rel="preload" as="fetch" crossorigin="anonymous" referrerpolicy="no-referrer" id="${DISCOVERY_PRELOAD_ID}" href="[^"]*" />`);
  if (existing.test(html)) return html.replace(existing, () => link);
  const head = /<head(?:\s[^>]*)?>/.exec(html);
  if (!head) throw new VaultError('TV_INVALID_CONFIG', `The page has no <head> to put the ${DISCOVERY_PRELOAD_ID} preload in`);
  return html.replace(head[0], () => `${head[0]}${link}`);
}

/** Options of {@link renderAppPage}. */
export interface AppPageOptions {
  /**
   * Whether the page gets the hidden proxy frame (`<iframe data-tokenvault-proxy …>`). Default: what a
   * previous rendering decided (a build re-targeted); for a page rendered the first time, whether
   * it has a script that runs (a page that runs none, such as a redirect URI the parent page reads,
   * never creates a vault). The Vite plugin says `false` for a page whose bundle does not include
   * `@tokenvault/client`.
   */
  proxyFrame?: boolean;
}

/**
 * An app page with what the app is told (issuer, client id, proxy URL, worker URL), and the proxy
 * frame when the page may create a vault; outside sealed mode, without the preload of the client's
 * account chunk the Vite plugin writes in sealed mode. Replaces the block and the frame a previous
 * build wrote, so a server can re-target one build (the dev host does, per port).
 *
 * @example
 * ```ts
 * renderAppPage(resolveConfig(config), readFileSync('dist/index.html', 'utf8'))
 * ```
 */
export function renderAppPage(config: ResolvedTokenVaultConfig, html: string, options: AppPageOptions = {}): string {
  // A page rendered before (a build re-targeted) keeps what its build decided.
  const rendered = html.includes(`id="${APP_CONFIG_ID}"`);
  const proxyFrame = options.proxyFrame ?? (rendered ? PROXY_FRAME.test(html) : runsScript(html));
  // The Vite plugin's preload of the client's account chunk is for sealed mode (a drop-in app asks
  // for it only to log out): a build re-targeted to drop-in mode loses it.
  const page = config.mode === 'sealed' ? html : html.replace(ACCOUNT_PRELOAD, '');
  return withProxyFrame(withConfigBlock(page, APP_CONFIG_ID, config.app), proxyFrame ? config.app.proxyUrl : null);
}

/** Marks the Vite plugin's `modulepreload` of the client's account chunk (sign-in, logout, `user()`), written in sealed mode. */
export const ACCOUNT_PRELOAD_ATTRIBUTE = 'data-tokenvault-preload';
const ACCOUNT_PRELOAD = new RegExp(`[ \\t]*<link rel="modulepreload"[^>]*${ACCOUNT_PRELOAD_ATTRIBUTE}="account"[^>]*>\\n?`, 'g');

const PROXY_FRAME = /<iframe data-tokenvault-proxy src="[^"]*"[^>]*><\/iframe>/;

/** Whether the page has a `<script>` a browser runs (not a JSON block, an import map or the like). */
function runsScript(html: string): boolean {
  return [...html.matchAll(/<script\b([^>]*)>/gi)].some(([, attributes]) => {
    const type = /\btype\s*=\s*["']?([^"'\s>]*)/i.exec(attributes)?.[1].toLowerCase();
    return type === undefined || type === '' || type === 'module' || type === 'text/javascript' || type === 'application/javascript';
  });
}

/**
 * The page with the hidden proxy frame first in its body, so that the proxy origin's page (and the
 * process a browser may start for it) loads while the app's script is still on its way;
 * `createVault` takes that frame when it loads exactly its `proxyUrl` (packages/client's
 * ProxyFrame), and mounts one of its own otherwise. Replaces the frame a previous rendering wrote,
 * or removes it when `proxyUrl` is `null`; a page without a `<body>` tag is left as it is (the
 * vault then mounts the frame itself).
 *
 * @example
 * ```ts
 * withProxyFrame('<body><div id="app"></div>…', 'https://proxy.example.com/')
 * // '<body><iframe data-tokenvault-proxy src="https://proxy.example.com/" title="Token Vault proxy" hidden tabindex="-1" aria-hidden="true" referrerpolicy="no-referrer"></iframe><div …'
 * ```
 */
export function withProxyFrame(html: string, proxyUrl: string | null): string {
  if (proxyUrl === null) return html.replace(PROXY_FRAME, '');
  const src = proxyUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const frame = `<iframe data-tokenvault-proxy src="${src}" title="Token Vault proxy" hidden tabindex="-1" aria-hidden="true" referrerpolicy="no-referrer"></iframe>`;
  if (PROXY_FRAME.test(html)) return html.replace(PROXY_FRAME, () => frame);
  const body = /<body(?:\s[^>]*)?>/.exec(html);
  return body ? html.replace(body[0], () => `${body[0]}${frame}`) : html;
}
