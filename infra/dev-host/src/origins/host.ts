import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withConfigBlock } from '@tokenvault/build';
import { builtAssets } from './builtAssets.js';
import { hostConstraint, type Origins } from '../origins.js';

export interface HostOptions {
  origins: Origins;
  /** The built sample host page (apps/host/dist). */
  dist: string;
  /** The session ID the host hands the app, and the only one its API accepts. */
  sessionId: string;
}

/** The sample host page's policy: its own script, framing the app and nothing else. */
export function hostCsp(origins: Origins): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // The page's empty icon (data:,), so that the browser asks for no favicon.
    "img-src 'self' data:",
    // The app, and the host's own pages (a sibling frame, for the tests).
    `frame-src ${origins.app} 'self'`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The host origin (another site than the app): a sample page that embeds the demo like a custom
 * web tab and hands it a session ID, and a sample host API that accepts only that ID, from the
 * vault proxy only (CORS).
 */
export async function hostOrigin(app: FastifyInstance, options: HostOptions): Promise<void> {
  const { origins, sessionId } = options;
  const constraints = hostConstraint('host');
  const hostConfig = { appUrl: `${origins.app}/`, appOrigin: origins.app, proxyOrigin: origins.proxy, sessionId };
  const html = withConfigBlock(readFileSync(join(options.dist, 'index.html'), 'utf8'), 'host-config', hostConfig);
  const vendorHtml = withConfigBlock(readFileSync(join(options.dist, 'vendor.html'), 'utf8'), 'host-config', hostConfig);
  const csp = hostCsp(origins);

  await app.register(async (site) => {
    site.addHook('onSend', async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    });
    site.get('/', { constraints }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', csp).header('cache-control', 'no-store').send(html),
    );
    // A host we do not control (the 'app-window' compatibility mode): it posts the ID to the app's window.
    site.get('/vendor', { constraints }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', csp).header('cache-control', 'no-store').send(vendorHtml),
    );
    // Another page of the host origin that is not the app's parent, for the tests.
    site.get('/blank', { constraints }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'")
        .send('<!doctype html><title>host.localhost</title><p>Another page of the host.</p>'),
    );
    await builtAssets(site, options.dist, constraints);
  });

  await app.register(async (api) => {
    // CORS by hand: @fastify/cors answers preflights on one catch-all route, which the sample API
    // of the api origin already holds.
    api.addHook('onRequest', async (request, reply) => {
      reply.header('vary', 'origin');
      if (request.headers.origin === origins.proxy) reply.header('access-control-allow-origin', origins.proxy);
    });
    api.options('/api/*', { constraints }, async (request, reply) => {
      if (request.headers.origin === origins.proxy) {
        reply.header('access-control-allow-methods', 'GET, POST').header('access-control-allow-headers', 'authorization, content-type').header('access-control-max-age', '600');
      }
      return reply.code(204).send();
    });
    api.get('/api/v1/me', { constraints }, async (request: FastifyRequest, reply: FastifyReply) => {
      // Exactly the ID, as the whole Authorization header: what such hosts expect.
      if (request.headers.authorization !== sessionId) return reply.code(401).send({ error: 'invalid_session' });
      return { host: 'host.localhost', user: 'host-user', session: 'valid' };
    });
  });
}
