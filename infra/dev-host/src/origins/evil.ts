import type { FastifyInstance } from 'fastify';
import { hostConstraint } from '../origins.js';

/**
 * The attacker's origin. Its collector accepts anything from anyone (as an attacker's server
 * would), so that a test can see exactly what reached it.
 */
export async function evilOrigin(app: FastifyInstance): Promise<void> {
  const constraints = hostConstraint('evil');
  await app.register(async (evil) => {
    evil.removeAllContentTypeParsers();
    evil.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
      done(null, body);
    });
    evil.addHook('onRequest', async (request, reply) => {
      reply.header('access-control-allow-origin', request.headers.origin ?? '*');
      reply.header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? '*');
      reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE');
    });
    evil.options('/*', { constraints }, async (_request, reply) => reply.code(204).send());
    evil.all('/collect', { constraints }, async (_request, reply) => reply.code(204).send());
    evil.get('/', { constraints }, async (_request, reply) => reply.type('text/html').send('<!doctype html><title>evil.localhost</title><h1>An attacker’s page</h1>'));
  });
}
