import { readFileSync } from 'node:fs';
import { renderAppPage, resolveConfig } from '@tokenvault/build';
import type { Origins } from '@tokenvault/dev-host';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { benchRoot, type Bundles } from './bundles.js';

/** The two extra origins of the benchmark, same site as the vault's (`*.vault.localhost`). */
export interface BenchOrigins {
  /** Pages of the rows that are not our vault: direct, pass-through worker, ForgeRock app (one path and worker scope each). */
  bench: string;
  /** The ForgeRock Token Vault proxy page (its iframe). */
  forgerockProxy: string;
}

export const BENCH_HOSTS = { bench: 'bench.vault.localhost', forgerockProxy: 'forgerock-proxy.vault.localhost' } as const;

export function benchOriginsFor(port: number): BenchOrigins {
  return { bench: `http://${BENCH_HOSTS.bench}:${port}`, forgerockProxy: `http://${BENCH_HOSTS.forgerockProxy}:${port}` };
}

/** The URL prefix every row's worker routes (the sample API's protected /v1/). */
export function apiPrefix(origins: Origins): string {
  return `${origins.api}/v1/`;
}

function hostIs(host: string): { host: RegExp } {
  return { host: new RegExp(`^${host.replaceAll('.', '\\.')}(:\\d+)?$`) };
}

function json(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function page(title: string, head: string, body = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`;
}

export interface BenchOriginsOptions {
  origins: Origins;
  bench: BenchOrigins;
  bundles: Bundles;
}

/**
 * Serves the benchmark's own pages on the dev host: the direct row (no worker), the pass-through
 * worker row, our vault's minimal first-visit page, and the ForgeRock Token Vault app, worker and
 * proxy, set up as its README describes.
 */
export async function benchOrigins(app: FastifyInstance, options: BenchOriginsOptions): Promise<void> {
  const { origins, bench, bundles } = options;
  const prefix = apiPrefix(origins);
  const passthrough = readFileSync(`${benchRoot}entries/passthrough-sw.js`, 'utf8');
  const benchHost = hostIs(BENCH_HOSTS.bench);
  const proxyHost = hostIs(BENCH_HOSTS.forgerockProxy);

  const html = (reply: FastifyReply, body: string) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const js = (reply: FastifyReply, body: string) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(body);

  // Row 1: nothing between the page and the API. "Ready" is when its script runs.
  app.get('/direct/', { constraints: benchHost }, async (_request, reply) => html(reply, page('bench: direct', '<script>window.benchReadyAt = performance.now();</script>')));

  // Row 2: a worker that passes the API requests on. "Ready" is when it controls the page.
  app.get('/passthrough/', { constraints: benchHost }, async (_request, reply) =>
    html(
      reply,
      page(
        'bench: pass-through worker',
        `<script>
navigator.serviceWorker.register('/passthrough/sw.js', { scope: '/passthrough/' });
(navigator.serviceWorker.controller ? Promise.resolve() : new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })))
  .then(() => { window.benchReadyAt = performance.now(); });
</script>`,
      ),
    ),
  );
  app.get('/passthrough/sw.js', { constraints: benchHost }, async (_request, reply) => js(reply, `self.BENCH_API_PREFIX=${json(prefix)};\n${passthrough}`));

  // Rows 3 and 4, first visit: a minimal page of the app origin that starts the vault and nothing
  // else, the counterpart of row 5's page (the demo app's own first visit is measured beside it),
  // as the build writes an app's HTML (renderAppPage: the configuration block and the proxy frame).
  const appHost = hostIs(new URL(origins.app).hostname);
  const firstVisitPage = renderAppPage(
    resolveConfig(app.vault.config),
    page(
      'bench: Token Vault',
      // The chunks app.js imports statically, named beside it as Vite's build names them in an app's
      // HTML, so that they are fetched with it, not after it.
      `<script type="application/json" id="bench-config">${json({ proxyUrl: `${origins.proxy}/` })}</script>${bundles.vaultApp.startFiles
        .filter((file) => file !== 'app.js')
        .map((file) => `<link rel="modulepreload" href="/bench/${file}">`)
        .join('')}<script type="module" src="/bench/app.js"></script>`,
    ),
  );
  app.get('/bench/first-visit/', { constraints: appHost }, async (_request, reply) => html(reply, firstVisitPage));
  // The page's script, /bench/app.js, and the chunks it loads with import() beside it.
  app.get<{ Params: { file: string } }>('/bench/:file', { constraints: appHost }, async (request, reply) => {
    const code = Object.hasOwn(bundles.vaultApp.files, request.params.file) ? bundles.vaultApp.files[request.params.file] : undefined;
    return code === undefined ? reply.code(404).send() : js(reply, code);
  });

  // Row 5: the ForgeRock Token Vault (app page, interceptor, proxy), as its README sets it up.
  const frClientConfig = {
    app: { origin: bench.bench },
    interceptor: { file: '/forgerock/sw.js', scope: '/forgerock/' },
    proxy: { origin: bench.forgerockProxy },
    forgerock: { clientId: 'demo' },
  };
  const forgerockServer = { serverConfig: { baseUrl: `${origins.op}/am/`, timeout: 5000 }, realmPath: 'root' };
  const frInterceptorConfig = { interceptor: { urls: [`${prefix}*`] }, forgerock: forgerockServer };
  const frProxyConfig = { app: { origin: bench.bench }, forgerock: { clientId: 'demo', scope: 'openid profile api', ...forgerockServer } };
  app.get('/forgerock/', { constraints: benchHost }, async (_request, reply) =>
    html(
      reply,
      page(
        'bench: ForgeRock Token Vault',
        `<script type="application/json" id="bench-config">${json(frClientConfig)}</script><script type="module" src="/forgerock/app.js"></script>`,
        '<div id="token-vault"></div>',
      ),
    ),
  );
  app.get('/forgerock/app.js', { constraints: benchHost }, async (_request, reply) => js(reply, bundles.forgerock.app.code));
  app.get('/forgerock/sw.js', { constraints: benchHost }, async (_request, reply) =>
    js(reply, `self.TOKENVAULT_CONFIG=${json(frInterceptorConfig)};\n${bundles.forgerock.worker.code}`),
  );
  app.get('/', { constraints: proxyHost }, async (_request, reply) =>
    html(
      reply
        .header('content-security-policy', `default-src 'none'; script-src 'self'; connect-src ${origins.op} ${origins.api}; frame-ancestors ${bench.bench}`)
        .header('referrer-policy', 'no-referrer'),
      page('ForgeRock Token Vault proxy', `<script type="application/json" id="tokenvault-config">${json(frProxyConfig)}</script><script type="module" src="/proxy.js"></script>`),
    ),
  );
  app.get('/proxy.js', { constraints: proxyHost }, async (_request, reply) => js(reply, bundles.forgerock.proxy.code));
}
