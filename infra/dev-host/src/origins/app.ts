import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appPageHeaders, renderAppPage, renderWorkerScript, withConfigBlock, workerScriptHeaders, type ResolvedTokenVaultConfig } from '@tokenvault/build';
import type { FastifyInstance } from 'fastify';
import { builtAssets } from './builtAssets.js';
import { exactHost } from '../examples.js';
import type { Origins } from '../origins.js';

export interface AppOptions {
  origins: Origins;
  /** The built demo (apps/demo/dist). */
  dist: string;
  /** The drop-in interceptor worker (packages/interceptor/dist/tokenvault-sw.js). */
  workerScript: string;
  /** The demo's own settings, beyond the kit's (redirect URI, API URL), as its demo-config block. */
  demoConfig: Record<string, unknown>;
  /** The configuration the app page and the worker are rendered from (@tokenvault/build). */
  config: ResolvedTokenVaultConfig;
  /** Which demo page `/` serves: the sealed one (sealed.html) or the drop-in one (index.html). */
  demo: 'sealed' | 'drop-in';
}

/** The app origin: the demo SPA and the interceptor worker, rendered per port from the resolved configuration. */
export async function appOrigin(app: FastifyInstance, options: AppOptions): Promise<void> {
  // The app origin's hostname depends on the demo (app.vault.localhost or dropin.vault.localhost).
  const constraints = exactHost(options.origins.app);
  // The demo's build carries the block of its own tokenvault.config.ts; this port's replaces it.
  const entry = options.demo === 'sealed' ? 'sealed.html' : 'index.html';
  const html = withConfigBlock(renderAppPage(options.config, readFileSync(join(options.dist, entry), 'utf8')), 'demo-config', options.demoConfig);
  const worker = renderWorkerScript(options.config, readFileSync(options.workerScript, 'utf8'));
  // frame-ancestors: 'self' and the configured host pages (the sample host embeds the app).
  const pageHeaders = appPageHeaders(options.config);

  await app.register(async (site) => {
    site.addHook('onSend', async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    });
    const page = async (_request: unknown, reply: import('fastify').FastifyReply) => reply.type('text/html; charset=utf-8').headers(pageHeaders).send(html);
    site.get('/', { constraints }, page);
    site.get('/callback', { constraints }, page);
    // Where prompt=none answers land: a page that runs nothing (the session monitor reads its URL).
    const silent = readFileSync(join(options.dist, 'silent-callback.html'), 'utf8');
    site.get('/silent-callback.html', { constraints }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .headers({ ...pageHeaders, 'cache-control': 'no-store' })
        .send(silent),
    );
    // The worker must be revalidated on every update check, or a fixed rule could linger for a day.
    site.get(options.config.serviceWorker.path, { constraints }, async (_request, reply) => reply.headers(workerScriptHeaders(options.config)).send(worker));
    await builtAssets(site, options.dist, constraints);
  });
}
