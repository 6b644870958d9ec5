import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REVALIDATE,
  SIGN_IN_REFUSED_PAGE,
  SILENT_CALLBACK_PAGE,
  proxyAssetHeaders,
  proxyFlowPageHeaders,
  proxyPageHeaders,
  renderProxyPage,
  signInNavigationAllowed,
  type ResolvedTokenVaultConfig,
} from '@tokenvault/build';
import type { FastifyInstance } from 'fastify';
import { builtAssets } from './builtAssets.js';
import { hostConstraint } from '../origins.js';

export interface ProxyOriginOptions {
  /** The built proxy (packages/proxy/dist). */
  dist: string;
  /** The configuration its page is rendered from, with the headers every server of it sends (@tokenvault/build). */
  config: ResolvedTokenVaultConfig;
  /** Which host it answers for. Default the dev host's proxy origin (proxy.vault.localhost). */
  constraints?: { host: RegExp };
}

/** The proxy origin: one page and its script, rendered per port from the resolved configuration. */
export async function proxyOrigin(app: FastifyInstance, options: ProxyOriginOptions): Promise<void> {
  const constraints = options.constraints ?? hostConstraint('proxy');
  const html = renderProxyPage(options.config, readFileSync(join(options.dist, 'index.html'), 'utf8'));
  const pageHeaders = proxyPageHeaders(options.config);
  const assetHeaders = proxyAssetHeaders();

  await app.register(async (site) => {
    // Every response of this origin gets the common headers; only a served asset may be cached.
    site.addHook('onSend', async (request, reply) => {
      const asset = request.url.startsWith('/assets/') && reply.statusCode === 200;
      if (!reply.hasHeader('cache-control') || asset) reply.headers(asset ? assetHeaders : { ...assetHeaders, 'cache-control': REVALIDATE });
    });
    site.get('/', { constraints }, async (_request, reply) => reply.type('text/html; charset=utf-8').headers(pageHeaders).send(html));
    if (options.config.mode === 'sealed') {
      // The sealed sign-in's pages: the same page in another role (its script picks it by path),
      // never cached and sending no referrer, as a code or state is in their URL.
      const flowHeaders = proxyFlowPageHeaders(options.config);
      for (const path of ['/signin', '/callback']) {
        site.get(path, { constraints }, async (request, reply) => {
          // Sign-in CSRF: a page of another site sending the browser to /signin is refused here,
          // before any script runs (the page's one-time ticket is the other half).
          if (path === '/signin' && !signInNavigationAllowed(request.headers['sec-fetch-site']))
            return reply.code(403).type('text/html; charset=utf-8').headers(flowHeaders).send(SIGN_IN_REFUSED_PAGE);
          return reply.type('text/html; charset=utf-8').headers(flowHeaders).send(html);
        });
      }
      // The renewal's redirect URI: the proxy frame reads the answer from this frame's URL, so a
      // page that runs nothing (no script, no discovery preload), with the same headers.
      site.get('/silent-callback', { constraints }, async (_request, reply) => reply.type('text/html; charset=utf-8').headers(flowHeaders).send(SILENT_CALLBACK_PAGE));
    }
    await builtAssets(site, options.dist, constraints, false);
  });
}
