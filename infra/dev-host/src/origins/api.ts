import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { MAX_STREAM_BYTES, benchJson, streamBody } from '../benchBodies.js';
import { hostConstraint, type Origins } from '../origins.js';
import { API_SCOPE, apiAudience } from './op.js';

export interface ApiOptions {
  origins: Origins;
  publicJwk: JWK;
  /** Origins besides the proxy that the API answers CORS to (the benchmark's direct rows). Default none. */
  extraCorsOrigins?: readonly string[];
}

function intParam(value: unknown, fallback: number, max: number): number | null {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= max ? n : null;
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
      origin: [origins.proxy, ...(options.extraCorsOrigins ?? [])],
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

      // For the benchmark (bench/): a fixed 1 KiB JSON document and a long streamed body.
      const json = benchJson();
      v1.get('/v1/bench/json', { constraints }, async (_request, reply) =>
        reply.type('application/json; charset=utf-8').header('cache-control', 'no-store').send(json),
      );
      v1.get<{ Querystring: { bytes?: string; pauseMs?: string } }>('/v1/bench/stream', { constraints }, async (request, reply) => {
        const bytes = intParam(request.query.bytes, 8 * 1024 * 1024, MAX_STREAM_BYTES);
        const pauseMs = intParam(request.query.pauseMs, 0, 10_000);
        if (bytes === null || pauseMs === null) {
          return reply.code(400).send({ error: `bytes must be 0..${MAX_STREAM_BYTES} and pauseMs 0..10000` });
        }
        return reply.type('application/octet-stream').header('cache-control', 'no-store').send(streamBody(bytes, pauseMs));
      });
    });

    api.get('/public/status', { constraints }, async () => ({ public: true }));
    api.get('/other/echo', { constraints }, async () => ({ other: true }));
  });
}
