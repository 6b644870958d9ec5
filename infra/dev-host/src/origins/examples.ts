import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appPageHeaders, renderAppPage, renderWorkerScript, resolveConfig, workerScriptHeaders } from '@tokenvault/build';
import type { ResourceRule } from '@tokenvault/config';
import type { FastifyInstance } from 'fastify';
import { exactHost, exampleConfig, type ExampleSite } from '../examples.js';
import { builtAssets } from './builtAssets.js';
import { proxyOrigin } from './proxy.js';

export interface ExamplesOptions {
  sites: readonly ExampleSite[];
  issuer: string;
  rules: readonly ResourceRule[];
  /** The built proxy page (packages/proxy/dist) and the drop-in worker. */
  proxyDist: string;
  workerScript: string;
}

/**
 * The example apps (examples/*), each on its own app origin with its own proxy origin, rendered per
 * port from a configuration like the example's own tokenvault.config.ts. An example that is not
 * built is left out.
 */
export async function exampleOrigins(app: FastifyInstance, options: ExamplesOptions): Promise<void> {
  for (const site of options.sites) {
    if (!existsSync(join(site.dist, 'index.html'))) continue;
    const config = resolveConfig({
      mode: 'drop-in',
      appOrigins: [site.app],
      proxyOrigin: site.proxy,
      issuer: options.issuer,
      clientId: site.clientId,
      rules: [...options.rules],
      ...exampleConfig(site.name, options.issuer),
    });
    const constraints = exactHost(site.app);
    const pageHeaders = appPageHeaders(config);
    const pages = ['index.html', 'silent.html'].filter((file) => existsSync(join(site.dist, file)));
    const html = Object.fromEntries(pages.map((file) => [file, renderAppPage(config, readFileSync(join(site.dist, file), 'utf8'))]));
    const worker = renderWorkerScript(config, readFileSync(options.workerScript, 'utf8'));
    await app.register(async (scope) => {
      scope.addHook('onSend', async (_request, reply) => {
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'no-referrer');
      });
      const send = (file: string) => async (_request: unknown, reply: import('fastify').FastifyReply) =>
        reply
          .type('text/html; charset=utf-8')
          .headers({ ...pageHeaders, 'cache-control': 'no-store' })
          .send(html[file]);
      scope.get('/', { constraints }, send('index.html'));
      scope.get('/callback', { constraints }, send('index.html'));
      if (html['silent.html']) scope.get('/silent.html', { constraints }, send('silent.html'));
      scope.get(config.serviceWorker.path, { constraints }, async (_request, reply) => reply.headers(workerScriptHeaders(config)).send(worker));
      await builtAssets(scope, site.dist, constraints);
    });
    await app.register(proxyOrigin, { dist: options.proxyDist, config, constraints: exactHost(site.proxy) });
  }
}
