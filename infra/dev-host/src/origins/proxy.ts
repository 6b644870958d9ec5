import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ProxyConfig } from '@tokenvault/protocol';
import type { FastifyInstance } from 'fastify';
import { pageWithConfig } from '../html.js';
import { hostConstraint } from '../origins.js';

export interface ProxyOriginOptions {
  /** The built proxy (apps/proxy/dist). */
  dist: string;
  /** Its built-in configuration, written into its page. */
  config: ProxyConfig;
  /** Origins the proxy fetches from (the OP and the rule origins), for its connect-src. */
  connectOrigins: readonly string[];
  /** Host pages that embed the app: frame-ancestors checks every ancestor, so they must be listed too. */
  hostOrigins?: readonly string[];
}

/**
 * The proxy page's policy: only the app origins may frame it, only its own script runs, and it
 * can only connect to the OP and the APIs of its rules.
 */
export function proxyCsp(config: ProxyConfig, connectOrigins: readonly string[], hostOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `connect-src ${[...new Set(connectOrigins)].join(' ')}`,
    `frame-ancestors ${[...config.appOrigins, ...hostOrigins].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The proxy origin: one page and its script. */
export async function proxyOrigin(app: FastifyInstance, options: ProxyOriginOptions): Promise<void> {
  const constraints = hostConstraint('proxy');
  const html = pageWithConfig(join(options.dist, 'index.html'), 'tokenvault-config', options.config);
  const csp = proxyCsp(options.config, options.connectOrigins, options.hostOrigins);

  await app.register(async (site) => {
    site.addHook('onSend', async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('cross-origin-resource-policy', 'same-origin');
    });
    site.get('/', { constraints }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', csp).header('cache-control', 'no-cache').send(html),
    );
    await site.register(fastifyStatic, {
      root: join(options.dist, 'assets'),
      prefix: '/assets/',
      constraints,
      decorateReply: false,
      index: false,
      immutable: true,
      maxAge: '1y',
    });
  });
}
