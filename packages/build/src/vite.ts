import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, basename, join, resolve } from 'node:path';
import type { Plugin, ResolvedConfig, Rollup } from 'vite';

type OutputChunk = Rollup.OutputChunk;
type OutputBundle = Rollup.OutputBundle;
import type { TokenVaultConfig } from './defineConfig.js';
import { kitFiles } from './kitFiles.js';
import { loadConfig } from './loadConfig.js';
import { ACCOUNT_PRELOAD_ATTRIBUTE, APP_CONFIG_ID, renderAppPage, renderProxyPage } from './renderPages.js';
import { renderWorkerScript } from './renderWorkerScript.js';
import { resolveConfig, type ResolvedTokenVaultConfig } from './resolveConfig.js';
import { workerScriptHeaders } from './securityHeaders.js';
import { serveProxyOrigin, type ProxyOriginFiles, type ProxyOriginServer } from './serveProxyOrigin.js';
import { workerFileName, writeProxyOrigin } from './writeBuild.js';

/**
 * Options of the Vite plugin, {@link tokenvault}.
 *
 * @example
 * export default defineConfig({ plugins: [tokenvault({ config: 'tokenvault.config.ts', proxyOutDir: 'dist-proxy' })] });
 * @see https://github.com/tokenvault/tokenvault/blob/main/docs/configuration.md
 */
export interface TokenVaultPluginOptions {
  /** The configuration, or the file it is in (relative to Vite's root). Default: `tokenvault.config.ts` (or .mts, .js, .mjs, .json) in Vite's root. */
  config?: string | TokenVaultConfig;
  /** Where `vite build` writes the proxy origin's files. Default: next to `build.outDir`, named after it plus `-proxy` (`dist-proxy`). */
  proxyOutDir?: string;
  /** Serve the proxy origin from `vite` and `vite preview` when it is a `*.localhost` origin. Default true. */
  serveProxy?: boolean;
}

/** The module an app imports its side of the configuration from. */
export const VIRTUAL_MODULE_ID = 'virtual:tokenvault/config';
const RESOLVED_VIRTUAL_MODULE_ID = `\0${VIRTUAL_MODULE_ID}`;

// Read at run time from the page's own block, so that one build can be re-targeted by rewriting the
// block (the dev host does that per port) and the values are never baked into a hashed bundle.
const VIRTUAL_MODULE = `import { VaultError } from '@tokenvault/client';
const element = document.getElementById(${JSON.stringify(APP_CONFIG_ID)});
if (!element || !element.textContent) {
  throw new VaultError('TV_INVALID_CONFIG', 'This page has no <script type="application/json" id="${APP_CONFIG_ID}"> block: serve it from a build made with the tokenvault() Vite plugin');
}
export const config = Object.freeze(JSON.parse(element.textContent));
export const vaultOptions = Object.freeze({
  proxyUrl: config.proxyUrl,
  serviceWorkerUrl: config.serviceWorkerUrl,
  scope: config.scope,
  ...(config.timeouts ? { timeouts: config.timeouts } : {}),
});
`;

/** Proxy origin servers of this process, by origin: one at a time, across Vite server restarts. */
const proxyServers = new Map<string, Promise<ProxyOriginServer | undefined>>();

function isLoopback(origin: string): boolean {
  const { hostname } = new URL(origin);
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** The part of Vite's http (or http2) server the plugin uses. */
interface ListeningServer {
  once(event: 'listening' | 'close', listener: () => void): unknown;
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

function workerMiddleware(config: () => ResolvedTokenVaultConfig, script: () => string): Middleware {
  return (request, response, next) => {
    const path = (request.url ?? '').split('?')[0];
    if ((request.method !== 'GET' && request.method !== 'HEAD') || path !== config().serviceWorker.path) {
      next();
      return;
    }
    response.writeHead(200, workerScriptHeaders(config()));
    response.end(request.method === 'HEAD' ? undefined : script());
  };
}

/** `chunk`, or the first chunk it imports (statically or with `import()`, at any depth), that holds a module `holds` accepts. */
function findChunk(chunk: OutputChunk, bundle: OutputBundle, holds: (id: string) => boolean): OutputChunk | undefined {
  const seen = new Set<string>();
  const visit = (current: OutputChunk): OutputChunk | undefined => {
    if (seen.has(current.fileName)) return undefined;
    seen.add(current.fileName);
    if (current.moduleIds.some(holds)) return current;
    for (const file of [...current.imports, ...current.dynamicImports]) {
      const next = bundle[file] as OutputBundle[string] | undefined;
      const found = next?.type === 'chunk' ? visit(next) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  return visit(chunk);
}

/**
 * The client's module of sign-in, logout and `user()` (packages/client/src/accountCalls.ts), which
 * `createVault` loads with `import()`: on first use, and unasked once the page has loaded.
 */
const ACCOUNT_CALLS_MODULE = 'accountCalls.js';

/**
 * The Token Vault Vite plugin. From one configuration it
 * - writes the app's side of it into every HTML page, for `import { config, vaultOptions } from 'virtual:tokenvault/config'`,
 *   and the hidden proxy frame into every page whose bundle includes `@tokenvault/client`;
 * - emits the interceptor worker (`sw.js`) into the app's build, and the proxy page, with its
 *   configuration built in, into a separate directory for the proxy origin (`dist-proxy`);
 * - in `vite` and `vite preview`, serves the worker with its headers and, for a `*.localhost`
 *   proxy origin, the proxy origin itself on its own port.
 * The configuration is validated when Vite starts; an error names the field and the fix.
 *
 * @example
 * ```ts
 * // vite.config.ts
 * import { defineConfig } from 'vite'
 * import { tokenvault } from '@tokenvault/build/vite'
 *
 * export default defineConfig({ plugins: [tokenvault()] })
 * ```
 * @see https://vite.dev/guide/api-plugin
 */
export function tokenvault(options: TokenVaultPluginOptions = {}): Plugin {
  let resolved: ResolvedTokenVaultConfig | undefined;
  let configFile: string | undefined;
  let vite: ResolvedConfig | undefined;
  // The directory of the client the app's build resolves (`null`: none; `undefined`: not building).
  let clientDir: string | null | undefined;
  // Vite calls config() and configResolved() before any hook that reads these.
  const current = (): ResolvedTokenVaultConfig => {
    if (!resolved) throw new Error('Token Vault: the plugin was used before Vite resolved its config');
    return resolved;
  };
  const viteConfig = (): ResolvedConfig => {
    if (!vite) throw new Error('Token Vault: the plugin was used before Vite resolved its config');
    return vite;
  };

  const proxyOutDir = (): string => {
    const outDir = resolve(viteConfig().root, viteConfig().build.outDir);
    return options.proxyOutDir ? resolve(viteConfig().root, options.proxyOutDir) : join(dirname(outDir), `${basename(outDir)}-proxy`);
  };
  // The proxy origin runs while the Vite server listens. A restart creates the new Vite server
  // before closing the old one, so the new proxy server waits for the old one to be closed.
  const attachProxy = (httpServer: ListeningServer, files: () => ProxyOriginFiles, logger: ResolvedConfig['logger']): void => {
    const config = current();
    if (options.serveProxy === false) return;
    if (!isLoopback(config.proxyOrigin)) {
      logger.info(`Token Vault: the proxy origin ${config.proxyOrigin} is not served here; deploy the proxy files there (vite build writes them to ${proxyOutDir()}).`);
      return;
    }
    let mine: Promise<ProxyOriginServer | undefined> | undefined;
    httpServer.once('listening', () => {
      const previous = proxyServers.get(config.proxyOrigin) ?? Promise.resolve(undefined);
      mine = previous
        .then(
          (server) => server?.close(),
          () => undefined,
        )
        .then(() => serveProxyOrigin(config, files()))
        .then((server) => {
          logger.info(`  Token Vault: open the app at ${config.appOrigins[0]}/ (the proxy origin ${config.proxyOrigin}/ is served alongside)`);
          return server;
        })
        .catch((err: unknown) => {
          logger.error(`Token Vault: ${err instanceof Error ? err.message : String(err)}`);
          return undefined;
        });
      proxyServers.set(config.proxyOrigin, mine);
    });
    httpServer.once('close', () => void mine?.then((server) => server?.close()));
  };

  return {
    name: 'tokenvault',

    async config(userConfig) {
      const root = resolve(userConfig.root ?? process.cwd());
      if (typeof options.config === 'object') {
        resolved = resolveConfig(options.config);
      } else {
        const loaded = await loadConfig({ root, ...(options.config ? { file: options.config } : {}) });
        resolved = loaded.config;
        configFile = loaded.file;
      }
      // The app must run on one of its configured origins, or the proxy refuses it: take the port
      // from the first one, unless the Vite config names another.
      const app = new URL(resolved.appOrigins[0]);
      if (!isLoopback(app.origin) || !app.port) return undefined;
      const port = Number(app.port);
      return {
        server: userConfig.server?.port === undefined ? { port, strictPort: true } : {},
        preview: userConfig.preview?.port === undefined ? { port, strictPort: true } : {},
      };
    },

    configResolved(config) {
      vite = config;
    },

    resolveId(id) {
      return id === VIRTUAL_MODULE_ID ? RESOLVED_VIRTUAL_MODULE_ID : undefined;
    },

    load(id) {
      return id === RESOLVED_VIRTUAL_MODULE_ID ? VIRTUAL_MODULE : undefined;
    },

    async buildStart() {
      // Where the app's copy of the client is: a page whose bundle has none of its modules never
      // creates a vault, and gets no proxy frame (see transformIndexHtml).
      const client = await this.resolve('@tokenvault/client', join(viteConfig().root, 'index.html'), { skipSelf: true }).catch(() => null);
      clientDir = client && !client.external ? `${dirname(client.id)}/` : null;
    },

    transformIndexHtml(html, { bundle, chunk }) {
      // Serving: renderAppPage decides from the page's scripts.
      if (!bundle || clientDir === undefined) return renderAppPage(current(), html);
      // Building: the page's own bundle says whether it can create a vault (a page with no script
      // of its own has no chunk).
      const dir = clientDir;
      const client = chunk && dir !== null ? findChunk(chunk, bundle, (id) => id.startsWith(dir)) : undefined;
      const page = renderAppPage(current(), html, { proxyFrame: client !== undefined });
      if (!chunk || !client || current().mode !== 'sealed') return page;
      // Sealed mode: the app signs in and asks who did (user()) through the client's account chunk,
      // most apps at start: fetched beside the app's script instead of after ready. (A drop-in app
      // uses only its logout: the client loads it once the page has loaded.)
      const account = findChunk(chunk, bundle, (id) => id === `${dir}${ACCOUNT_CALLS_MODULE}`);
      const href = account && account !== chunk && !chunk.imports.includes(account.fileName) ? `${viteConfig().base}${account.fileName}` : undefined;
      return href
        ? { html: page, tags: [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href, [ACCOUNT_PRELOAD_ATTRIBUTE]: 'account' }, injectTo: 'head' }] }
        : page;
    },

    configureServer(server) {
      server.middlewares.use(workerMiddleware(current, () => renderWorkerScript(current(), readFileSync(kitFiles().workerScript, 'utf8'))));
      // A changed config restarts the server, which loads it again (and validates it again).
      if (configFile) {
        server.watcher.add(configFile);
        server.watcher.on('change', (file) => {
          if (file === configFile) void server.restart();
        });
      }
      if (!server.httpServer) return;
      const kit = kitFiles();
      attachProxy(server.httpServer, () => ({ page: renderProxyPage(current(), readFileSync(kit.proxyPage, 'utf8')), assets: kit.proxyAssets }), server.config.logger);
    },

    configurePreviewServer(server) {
      const outDir = resolve(viteConfig().root, viteConfig().build.outDir);
      const base = viteConfig().base.startsWith('/') ? viteConfig().base : '/';
      server.middlewares.use(workerMiddleware(current, () => readFileSync(join(outDir, workerFileName(current(), base)), 'utf8')));
      const dir = proxyOutDir();
      if (!existsSync(join(dir, 'index.html'))) {
        server.config.logger.warn(`Token Vault: ${dir} has no proxy build; run vite build first.`);
        return;
      }
      attachProxy(server.httpServer, () => ({ page: readFileSync(join(dir, 'index.html'), 'utf8'), assets: join(dir, 'assets') }), server.config.logger);
    },

    generateBundle() {
      if (viteConfig().build.ssr || this.environment.config.consumer !== 'client') return;
      const base = viteConfig().base.startsWith('/') ? viteConfig().base : '/';
      this.emitFile({
        type: 'asset',
        fileName: workerFileName(current(), base),
        source: renderWorkerScript(current(), readFileSync(kitFiles().workerScript, 'utf8')),
      });
    },

    writeBundle() {
      if (viteConfig().build.ssr || this.environment.config.consumer !== 'client') return;
      const files = writeProxyOrigin(current(), proxyOutDir());
      viteConfig().logger.info(`Token Vault: proxy origin files (${files.length}) written to ${proxyOutDir()}; serve them at ${current().proxyOrigin}/`);
    },
  };
}
