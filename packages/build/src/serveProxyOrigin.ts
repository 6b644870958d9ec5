import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { VaultError } from '@tokenvault/protocol';
import type { ResolvedTokenVaultConfig } from './resolveConfig.js';
import { proxyAssetHeaders, proxyFlowPageHeaders, proxyPageHeaders, type HeaderMap } from './securityHeaders.js';
import { SIGN_IN_REFUSED_PAGE, signInNavigationAllowed } from './signInNavigation.js';
import { SILENT_CALLBACK_PAGE } from './silentCallbackPage.js';

/** What the proxy origin serves: its page (configuration built in) and its assets directory. */
export interface ProxyOriginFiles {
  /** The proxy page's HTML, with its configuration block. */
  page: string;
  /** The directory its `/assets/` are read from. */
  assets: string;
}

/** A running proxy origin server ({@link serveProxyOrigin}). */
export interface ProxyOriginServer {
  /** The proxy page's URL. */
  readonly url: string;
  /** Stops the server; resolves once it is closed. */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };
const ASSET = /^\/assets\/([\w-][\w.-]*)$/;
/**
 * The sealed sign-in's pages: the proxy page in another role (its script picks it by path), and the
 * renewal's redirect URI, a page that runs nothing (the proxy frame reads the answer from its URL).
 */
const FLOW_PAGES: Readonly<Record<string, 'proxy page' | 'silent callback'>> = { '/signin': 'proxy page', '/callback': 'proxy page', '/silent-callback': 'silent callback' };

function send(response: ServerResponse, status: number, headers: HeaderMap, body: string | Buffer, head: boolean): void {
  response.writeHead(status, headers);
  response.end(head ? undefined : body);
}

async function handle(config: ResolvedTokenVaultConfig, files: ProxyOriginFiles, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const plain = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };
  // Answer only for the proxy's own host name: another name pointing here (DNS rebinding) gets nothing.
  if (request.headers.host !== new URL(config.proxyOrigin).host) {
    send(response, 421, plain, 'Misdirected request\n', false);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, { ...plain, allow: 'GET, HEAD' }, 'Method not allowed\n', false);
    return;
  }
  const head = request.method === 'HEAD';
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/') {
    send(response, 200, { ...proxyPageHeaders(config), 'content-type': 'text/html; charset=utf-8' }, files.page, head);
    return;
  }
  if (config.mode === 'sealed' && path === '/signin' && !signInNavigationAllowed(request.headers['sec-fetch-site'])) {
    // A page of another site sending the browser here: refused before any script runs (sign-in CSRF).
    send(response, 403, { ...proxyFlowPageHeaders(config), 'content-type': 'text/html; charset=utf-8' }, SIGN_IN_REFUSED_PAGE, head);
    return;
  }
  // Never cached, no referrer: a code or a state is in their URL (as the dev host and nginx serve them).
  const flowPage = config.mode === 'sealed' && Object.hasOwn(FLOW_PAGES, path) ? FLOW_PAGES[path] : undefined;
  if (flowPage) {
    send(response, 200, { ...proxyFlowPageHeaders(config), 'content-type': 'text/html; charset=utf-8' }, flowPage === 'proxy page' ? files.page : SILENT_CALLBACK_PAGE, head);
    return;
  }
  const asset = ASSET.exec(path);
  if (asset) {
    const body = await readFile(join(files.assets, asset[1])).catch(() => null);
    if (body) {
      send(response, 200, { ...proxyAssetHeaders(), 'content-type': TYPES[extname(asset[1])] ?? 'application/octet-stream' }, body, head);
      return;
    }
  }
  send(response, 404, plain, 'Not found\n', head);
}

function listen(server: Server, port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // A machine without IPv6 loopback still serves on 127.0.0.1.
      if (host === '::1' && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT')) resolve(false);
      else reject(err);
    });
    server.listen(port, host, () => {
      resolve(true);
    });
  });
}

/**
 * Serves the proxy origin on loopback, for the Vite dev and preview servers: the proxy page with
 * the same headers every other server of it sends. Only for `http://*.localhost` proxy origins.
 *
 * @example
 * ```ts
 * const proxy = await serveProxyOrigin(resolved, { page: renderProxyPage(resolved, html), assets })
 * // … later
 * await proxy.close()
 * ```
 */
export async function serveProxyOrigin(config: ResolvedTokenVaultConfig, files: ProxyOriginFiles): Promise<ProxyOriginServer> {
  const url = new URL(config.proxyOrigin);
  const port = Number(url.port || 80);
  const servers: Server[] = [];
  for (const host of ['127.0.0.1', '::1']) {
    const server = createServer((request, response) => {
      handle(config, files, request, response).catch(() => {
        send(response, 500, { 'content-type': 'text/plain' }, 'Internal error\n', false);
      });
    });
    try {
      if (await listen(server, port, host)) servers.push(server);
    } catch (cause) {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      throw new VaultError(
        'TV_INVALID_CONFIG',
        `Cannot serve the proxy origin ${config.proxyOrigin} on ${host} port ${port}: ${(cause as Error).message}. Change the port of proxyOrigin, or stop what uses it.`,
        { cause },
      );
    }
  }
  return {
    url: `${config.proxyOrigin}/`,
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => {
                resolve();
              });
            }),
        ),
      ).then(() => undefined),
  };
}
