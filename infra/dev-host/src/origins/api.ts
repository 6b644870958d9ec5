import { PassThrough } from 'node:stream';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { hostConstraint, type Origins } from '../origins.js';
import type { StreamGates } from '../StreamGates.js';
import { API_SCOPE, apiAudience } from './op.js';

export interface ApiOptions {
  origins: Origins;
  publicJwk: JWK;
  /** Where /v1/stream holds its body after the first part. */
  streams: StreamGates;
}

declare module 'fastify' {
  interface FastifyRequest {
    claims?: JWTPayload;
  }
}

/**
 * The sample protected API: `/v1/*` verifies the bearer access token (signature, issuer, audience,
 * expiry, scope); `/public/*` is open. CORS allows the proxy origin only, so that only the vault
 * can call it from a browser.
 */
export async function apiOrigin(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { origins } = options;
  const constraints = hostConstraint('api');
  const jwks = createLocalJWKSet({ keys: [options.publicJwk] });

  await app.register(async (api) => {
    // @fastify/cors answers preflights on a catch-all route; the delegate keeps it to this host.
    const corsOptions = {
      origin: [origins.proxy],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-tokenvault-test'],
      exposedHeaders: ['x-api-served'],
      maxAge: 600,
    };
    await api.register(cors, () => (request: FastifyRequest, callback: (error: Error | null, options: object) => void) => {
      callback(null, constraints.host.test(request.headers.host ?? '') ? corsOptions : { origin: false });
    });

    api.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    const authenticate = async (request: FastifyRequest): Promise<JWTPayload | { status: number; error: string }> => {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer ([\w.~+/-]+=*)$/i.exec(header);
      if (!match) return { status: 401, error: 'missing bearer token' };
      try {
        const { payload } = await jwtVerify(match[1]!, jwks, { issuer: origins.op, audience: apiAudience(origins), typ: 'at+jwt', algorithms: ['RS256'] });
        if (!String(payload.scope ?? '').split(' ').includes(API_SCOPE)) return { status: 403, error: 'insufficient_scope' };
        return payload;
      } catch {
        return { status: 401, error: 'invalid_token' };
      }
    };

    await api.register(async (v1) => {
      v1.addHook('preHandler', async (request, reply) => {
        const result = await authenticate(request);
        if ('status' in result && typeof result.status === 'number') {
          return reply
            .code(result.status)
            .header('www-authenticate', `Bearer error="${result.error}"`)
            .send({ error: result.error });
        }
        request.claims = result as JWTPayload;
      });
      v1.get('/v1/profile', { constraints }, async (request, reply) => {
        reply.header('x-api-served', 'profile');
        return { sub: request.claims!.sub, scope: request.claims!.scope, message: `Hello, ${String(request.claims!.sub)}` };
      });
      v1.get('/v1/items', { constraints }, async () => ({ items: [{ id: 1, name: 'teapot' }, { id: 2, name: 'looking glass' }] }));
      v1.post('/v1/items', { constraints }, async (request, reply) => reply.code(201).send({ created: request.body ?? null }));
      // A body in three parts; the second and third only once the test opens the gate `id`.
      v1.get(
        '/v1/stream',
        { constraints, schema: { querystring: { type: 'object', properties: { id: { type: 'string', pattern: '^[\\w-]{1,64}$' } }, required: ['id'] } } },
        async (request, reply) => {
          const { id } = request.query as { id: string };
          const body = new PassThrough();
          const closed = new AbortController();
          // The page went away (or the server closes): do not hold the gate for nobody.
          reply.raw.once('close', () => closed.abort());
          body.write('part 1\n');
          void options.streams.wait(id, closed.signal).then(() => body.end('part 2\npart 3\n'));
          return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(body);
        },
      );
    });

    api.get('/public/status', { constraints }, async () => ({ public: true }));
    api.get('/other/echo', { constraints }, async () => ({ other: true }));
  });
}
