import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import cors from '@fastify/cors';
import { OVERRIDE_HEADERS } from '../requestLog.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { MAX_STREAM_BYTES, benchJson, streamBody } from '../benchBodies.js';
import { DpopVerifier } from '../dpopVerifier.js';
import { HOSTNAMES, type Origins } from '../origins.js';
import type { StreamGates } from '../StreamGates.js';
import { API_SCOPE, api2Audience, apiAudience } from './op.js';

export interface ApiOptions {
  origins: Origins;
  publicJwk: JWK;
  controls: ApiControls;
  /**
   * The clients whose tokens the API accepts (the token's `client_id`, or `azp`): the vaults'
   * clients, whose redirect URIs are on their own apps' origins. A token the OP issued to any other
   * client is refused, however valid: sealed mode's deployment rule (docs/deploying.md).
   */
  clients: readonly string[];
  /** Where /v1/stream holds its body after the first part. */
  streams: StreamGates;
  /** Origins besides the proxy that the API answers CORS to (the benchmark's direct rows, the examples' proxies). Default none. */
  extraCorsOrigins?: readonly string[];
  /**
   * Looks up an opaque access token (the example clients', see op.ts), in process as a resource
   * server would ask the OP's introspection endpoint. Default: only JWTs are accepted.
   */
  findOpaqueToken?: (token: string) => Promise<JWTPayload | undefined>;
  /** Whose access tokens the API takes, when not the dev OP's (`DevHostOptions.externalOp`). */
  tokenIssuer?: ExternalTokenIssuer;
}

/**
 * A real OP's access tokens (e2e/glewlwyd.ts): checked against its JWKS, fetched from `jwksUrl`,
 * for its `issuer`, `typ` `at+jwt` and RS256 as the dev OP's are. `audience` when the OP puts one
 * of its own in the token (Glewlwyd puts the granted scopes there, so none is checked for it).
 */
export interface ExternalTokenIssuer {
  issuer: string;
  jwksUrl: string;
  audience?: string;
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
 * What a test can do to the sample API from the outside, as an operator could: deny a token by
 * its `jti`, so that a valid-looking token is answered 401.
 */
export class ApiControls {
  /** Access token ids the API refuses, as if they had been revoked. */
  readonly deniedJti = new Set<string>();
  /** How each /v1/slow request ended, by its `id`: answered, or its connection closed first. */
  readonly slowOutcomes = new Map<string, 'answered' | 'closed early'>();
  /** The API's DPoP proof checks; `dpop.nonceMode` makes it demand a server nonce. */
  readonly dpop = new DpopVerifier();
}

/** A fixed binary body (an "image") whose bytes cover every value 0-255. */
export const BINARY_BODY = Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type Refusal = { status: number; error: string; challenge: string; nonce?: string };

/**
 * The sample protected API: `/v1/*` verifies the access token (signature, issuer, audience,
 * expiry, scope, and that it was issued to one of `clients`): a DPoP-bound one (`cnf.jkt`) only as `Authorization: DPoP` with a valid proof
 * of its key (RFC 9449 §7.1), never as a bearer token; an unbound one as `Bearer`; `/public/*` and `/other/*` are open. CORS allows the proxy origin only, so that
 * only the vault can call it from a browser.
 */
export async function apiOrigin(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { origins, controls } = options;
  // Two APIs with the same routes: api and api2 (each accepts only tokens with its own audience).
  const constraints = { host: new RegExp(`^(${HOSTNAMES.api.replaceAll('.', '\\.')}|${HOSTNAMES.api2.replaceAll('.', '\\.')})(:\\d+)?$`) };
  const isApi2 = (request: FastifyRequest): boolean => (request.headers.host ?? '').split(':')[0] === HOSTNAMES.api2;
  const external = options.tokenIssuer;
  const jwks = external ? createRemoteJWKSet(new URL(external.jwksUrl)) : createLocalJWKSet({ keys: [options.publicJwk] });
  const expected = (api2: boolean): { issuer: string; audience?: string } =>
    external
      ? { issuer: external.issuer, ...(external.audience !== undefined ? { audience: external.audience } : {}) }
      : { issuer: origins.op, audience: api2 ? api2Audience(origins) : apiAudience(origins) };

  await app.register(async (api) => {
    // @fastify/cors answers preflights on a catch-all route; the delegate keeps it to this host.
    const corsOptions = {
      origin: [origins.proxy, ...(options.extraCorsOrigins ?? [])],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      // The override headers too, as an API whose CORS allows any header would: the vault must strip them (e2e/overrides.spec.ts).
      allowedHeaders: ['authorization', 'dpop', 'content-type', 'x-tokenvault-test', ...OVERRIDE_HEADERS],
      // The proxy reads a DPoP nonce challenge from these two.
      exposedHeaders: ['x-api-served', 'x-api-body-sha256', 'x-api-request-content-type', 'www-authenticate', 'dpop-nonce'],
      maxAge: 600,
    };
    await api.register(cors, () => (request: FastifyRequest, callback: (error: Error | null, options: object) => void) => {
      callback(null, constraints.host.test(request.headers.host ?? '') ? corsOptions : { origin: false });
    });

    // Bodies are kept as bytes: the echo route must answer exactly what it received.
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 * 1024 }, (_req, body, done) => {
      done(null, body);
    });

    const invalidToken: Refusal = { status: 401, error: 'invalid_token', challenge: 'Bearer error="invalid_token", DPoP algs="ES256"' };
    const otherClient: Refusal = {
      status: 401,
      error: 'invalid_token',
      challenge: 'Bearer error="invalid_token", error_description="the token was issued to another client", DPoP algs="ES256"',
    };
    // RFC 9068 §2.2: a JWT access token names its client in client_id; an ID-token-like one in azp.
    const ownClient = (claims: JWTPayload): boolean => {
      const client = typeof claims.client_id === 'string' ? claims.client_id : claims.azp;
      return typeof client === 'string' && options.clients.includes(client);
    };
    const authenticate = async (request: FastifyRequest): Promise<JWTPayload | Refusal> => {
      const header = request.headers.authorization ?? '';
      const match = /^(Bearer|DPoP) ([\w.~+/-]+=*)$/i.exec(header);
      if (!match) return invalidToken;
      const scheme = match[1].toLowerCase();
      const token = match[2];
      const api2 = isApi2(request);
      // The second API takes only JWTs issued for it (RFC 8707): never an opaque token.
      if (options.findOpaqueToken && !api2 && !token.includes('.')) {
        // The example apps' clients get opaque access tokens (no resource indicator), looked up at
        // the OP. The sample API takes them as bearer tokens only, and never one bound to a key.
        const found = scheme === 'bearer' ? await options.findOpaqueToken(token).catch(() => undefined) : undefined;
        if (!found || found.cnf !== undefined) return invalidToken;
        if (!ownClient(found)) return otherClient;
        if (typeof found.jti === 'string' && controls.deniedJti.has(found.jti)) return invalidToken;
        if (!(typeof found.scope === 'string' ? found.scope : '').split(' ').includes(API_SCOPE))
          return { status: 403, error: 'insufficient_scope', challenge: 'Bearer error="insufficient_scope"' };
        return found;
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, { ...expected(api2), typ: 'at+jwt', algorithms: ['RS256'] }));
      } catch {
        return invalidToken;
      }
      if (typeof payload.jti === 'string' && controls.deniedJti.has(payload.jti)) return invalidToken;
      if (!ownClient(payload)) return otherClient;
      const jkt = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
      if (scheme === 'bearer' && jkt !== undefined) {
        // RFC 9449 §7.1: a token bound to a key is worth nothing without a proof of that key.
        return { status: 401, error: 'invalid_token', challenge: 'DPoP error="invalid_token", error_description="the token is DPoP-bound", algs="ES256"' };
      }
      if (scheme === 'dpop') {
        if (typeof jkt !== 'string')
          return { status: 401, error: 'invalid_token', challenge: 'DPoP error="invalid_token", error_description="the token is not DPoP-bound", algs="ES256"' };
        const url = `${api2 ? origins.api2 : origins.api}${request.url}`;
        const refusal = await controls.dpop.verify({ proof: request.headers.dpop, method: request.method, url, accessToken: token, jkt });
        if (refusal) {
          return {
            status: 401,
            error: refusal.error,
            challenge: `DPoP error="${refusal.error}", error_description="${refusal.description}", algs="ES256"`,
            ...(refusal.error === 'use_dpop_nonce' ? { nonce: controls.dpop.nextNonce() } : {}),
          };
        }
      }
      if (!(typeof payload.scope === 'string' ? payload.scope : '').split(' ').includes(API_SCOPE))
        return { status: 403, error: 'insufficient_scope', challenge: `${match[1]} error="insufficient_scope"` };
      return payload;
    };

    await api.register(async (v1) => {
      v1.addHook('preHandler', async (request, reply) => {
        const result = await authenticate(request);
        if ('status' in result && typeof result.status === 'number') {
          const refusal = result as Refusal;
          if (refusal.nonce) reply.header('dpop-nonce', refusal.nonce);
          return reply.code(refusal.status).header('www-authenticate', refusal.challenge).send({ error: refusal.error });
        }
        request.claims = result;
      });

      v1.get('/v1/profile', { constraints }, async (request, reply) => {
        reply.header('x-api-served', 'profile');
        // The onRequest hook above answered 401 for a request without valid claims.
        const claims = request.claims;
        if (!claims) throw new Error('the profile route ran without claims');
        return { sub: claims.sub, scope: claims.scope, aud: claims.aud, api: isApi2(request) ? 'api2' : 'api', message: `Hello, ${String(claims.sub)}` };
      });
      v1.get('/v1/items', { constraints }, async () => ({
        items: [
          { id: 1, name: 'teapot' },
          { id: 2, name: 'looking glass' },
        ],
      }));

      // Answers exactly the bytes it received, with their content type and hash.
      const echo = async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return reply
          .code(200)
          .header('x-api-body-sha256', sha256(body))
          .header('x-api-request-content-type', request.headers['content-type'] ?? '')
          .type(request.headers['content-type'] ?? 'application/octet-stream')
          .send(body);
      };
      v1.post('/v1/echo', { constraints }, echo);
      v1.put('/v1/echo', { constraints }, echo);
      v1.patch('/v1/echo', { constraints }, echo);

      v1.get('/v1/image', { constraints }, async (_request, reply) => reply.type('image/png').header('x-api-body-sha256', sha256(BINARY_BODY)).send(BINARY_BODY));

      // Answers after `ms` milliseconds (default: never within any sane time limit). With an `id`,
      // controls.slowOutcomes tells whether it answered or the client closed the connection first.
      v1.get<{ Querystring: { ms?: string; id?: string } }>('/v1/slow', { constraints }, async (request, reply) => {
        const ms = Math.min(Number(request.query.ms ?? 120_000) || 0, 120_000);
        const outcome = await new Promise<'answered' | 'closed early'>((resolve) => {
          // The client may have gone while the token was checked, before this handler ran.
          if (request.raw.socket.destroyed) {
            resolve('closed early');
            return;
          }
          const timer = setTimeout(() => {
            resolve('answered');
          }, ms);
          reply.raw.once('close', () => {
            clearTimeout(timer);
            resolve('closed early');
          });
        });
        const { id } = request.query;
        if (typeof id === 'string' && /^[\w-]{1,64}$/.test(id)) controls.slowOutcomes.set(id, outcome);
        return { slow: true, ms };
      });

      v1.get('/v1/teapot', { constraints }, async (_request, reply) => reply.code(418).header('x-api-served', 'teapot').send({ error: 'short and stout' }));
      v1.get('/v1/empty', { constraints }, async (_request, reply) => reply.code(204).header('x-api-served', 'empty').send());
      v1.get('/v1/gzip', { constraints }, async (_request, reply) => {
        const body = gzipSync(JSON.stringify({ compressed: true, filler: 'x'.repeat(4096) }));
        return reply.type('application/json').header('content-encoding', 'gzip').header('content-length', body.length).send(body);
      });
      v1.get('/v1/redirect', { constraints }, async (_request, reply) => reply.redirect(`${origins.evil}/collect`, 302));
      // A body in three parts; the second and third only once the test opens the gate `id`.
      v1.get(
        '/v1/stream',
        { constraints, schema: { querystring: { type: 'object', properties: { id: { type: 'string', pattern: '^[\\w-]{1,64}$' } }, required: ['id'] } } },
        async (request, reply) => {
          const { id } = request.query as { id: string };
          const body = new PassThrough();
          const closed = new AbortController();
          // The page went away (or the server closes): do not hold the gate for nobody.
          reply.raw.once('close', () => {
            closed.abort();
          });
          body.write('part 1\n');
          void options.streams.wait(id, closed.signal).then(() => body.end('part 2\npart 3\n'));
          return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(body);
        },
      );
      // For the benchmark (bench/): a fixed 1 KiB JSON document and a long streamed body.
      const json = benchJson();
      v1.get('/v1/bench/json', { constraints }, async (_request, reply) => reply.type('application/json; charset=utf-8').header('cache-control', 'no-store').send(json));
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
