import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { InterceptorConfig } from '@tokenvault/protocol';
import type { FastifyInstance } from 'fastify';
import { pageWithConfig, scriptSafeJson } from '../html.js';
import { hostConstraint, type Origins } from '../origins.js';

export interface AppOptions {
  origins: Origins;
  /** The built demo (apps/demo/dist). */
  dist: string;
  /** The drop-in interceptor worker (packages/interceptor/dist/tokenvault-sw.js). */
  workerScript: string;
  /** What the demo page is told: issuer, client, proxy and API URLs. */
  demoConfig: Record<string, unknown>;
  interceptorConfig: InterceptorConfig;
}

/** The strict policy of the app page: its own scripts only; it talks to the OP and API, frames the proxy. */
export function appCsp(origins: Origins): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${origins.op} ${origins.api} ${origins.host}`,
    // 'self': a prompt=none re-check frame goes to the OP and comes back to /silent-callback.html.
    `frame-src 'self' ${origins.proxy} ${origins.op}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors 'self' ${origins.host}`,
  ].join('; ');
}

/** The app origin: the demo SPA and the interceptor worker with its configuration prepended. */
export async function appOrigin(app: FastifyInstance, options: AppOptions): Promise<void> {
  const constraints = hostConstraint('app');
  const html = pageWithConfig(join(options.dist, 'index.html'), 'demo-config', options.demoConfig);
  const worker = `self.TOKENVAULT_CONFIG=${scriptSafeJson(options.interceptorConfig)};\n${readFileSync(options.workerScript, 'utf8')}`;
  const csp = appCsp(options.origins);

  await app.register(async (site) => {
    site.addHook('onSend', async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    });
    const page = async (_request: unknown, reply: import('fastify').FastifyReply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', csp).header('cache-control', 'no-cache').send(html);
    site.get('/', { constraints }, page);
    site.get('/callback', { constraints }, page);
    // Where prompt=none answers land: a page that runs nothing (the session monitor reads its URL).
    const silent = readFileSync(join(options.dist, 'silent-callback.html'), 'utf8');
    site.get('/silent-callback.html', { constraints }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', csp).header('cache-control', 'no-store').send(silent),
    );
    // The worker must be revalidated on every update check, or a fixed rule could linger for a day.
    site.get('/sw.js', { constraints }, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(worker),
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
