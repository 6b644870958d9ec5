import type { ProxyConfig, ResourceRule, Timeouts } from '@tokenvault/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import { apiOrigin } from './origins/api.js';
import { appOrigin } from './origins/app.js';
import { evilOrigin } from './origins/evil.js';
import { DEMO_CLIENT_ID, createProvider, opOrigin } from './origins/op.js';
import { proxyOrigin } from './origins/proxy.js';
import { originsFor, type Origins } from './origins.js';
import { paths } from './paths.js';
import { RequestLog } from './requestLog.js';

export interface DevHostOptions {
  /** The port the origins are served on; `listen` must use the same one. */
  port: number;
  /** Access token lifetime in seconds (default 600). Tests use short ones. */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds (default 86 400). */
  refreshTokenTtl?: number;
  /** Passed to the proxy's built-in configuration. */
  refreshSkewSeconds?: number;
  timeouts?: Timeouts;
  /** Origins besides the proxy that the sample API answers CORS to (the benchmark's direct rows). Default none. */
  apiCorsOrigins?: readonly string[];
  /** Log one line per request (method, host, path; never a query, header or body). Default false. */
  logger?: boolean;
}

/** What the dev host exposes to tests, besides the Fastify instance. */
export interface DevHostState {
  origins: Origins;
  /** Every request received, with credentials only as hashes. */
  requestLog: RequestLog;
  provider: Provider;
  proxyConfig: ProxyConfig;
}

declare module 'fastify' {
  interface FastifyInstance {
    vault: DevHostState;
  }
}

/** The protected-resource rules of the dev setup: the sample API's /v1/. */
export function devRules(origins: Origins): ResourceRule[] {
  return [{ origin: origins.api, pathPrefix: '/v1/' }];
}

/**
 * Builds the dev host: one Fastify instance answering for every origin by Host header. It does not
 * listen; call `listen({ port: options.port, host: 'localhost' })`.
 *
 * @example
 * ```ts
 * const app = await build({ port: 8080 })
 * await app.listen({ port: 8080, host: 'localhost' })
 * ```
 */
export async function build(options: DevHostOptions): Promise<FastifyInstance> {
  const origins = originsFor(options.port);
  const app = Fastify({
    logger: options.logger
      ? {
          level: 'info',
          serializers: {
            req: (req) => ({ method: req.method, host: req.host, path: req.url.split('?')[0] }),
            res: (res) => ({ status: res.statusCode }),
          },
        }
      : false,
    // Fastify rejects unknown hosts with 404 by itself; routes are chosen by Host header.
    forceCloseConnections: true,
  });
  const requestLog = new RequestLog();
  requestLog.attach(app);

  const { provider, keys } = await createProvider({
    origins,
    accessTokenTtl: options.accessTokenTtl ?? 600,
    refreshTokenTtl: options.refreshTokenTtl ?? 86_400,
  });
  const rules = devRules(origins);
  const proxyConfig: ProxyConfig = {
    appOrigins: [origins.app],
    issuer: origins.op,
    clientId: DEMO_CLIENT_ID,
    rules,
    ...(options.refreshSkewSeconds !== undefined ? { refreshSkewSeconds: options.refreshSkewSeconds } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  };
  app.decorate('vault', { origins, requestLog, provider, proxyConfig });

  await app.register(opOrigin, { provider });
  await app.register(apiOrigin, { origins, publicJwk: keys.publicJwk, extraCorsOrigins: options.apiCorsOrigins ?? [] });
  await app.register(evilOrigin);
  await app.register(proxyOrigin, { dist: paths.proxy, config: proxyConfig, connectOrigins: [origins.op, ...rules.map((rule) => rule.origin)] });
  await app.register(appOrigin, {
    origins,
    dist: paths.demo,
    workerScript: paths.interceptor,
    interceptorConfig: { issuer: origins.op, rules, ...(options.timeouts ? { timeouts: options.timeouts } : {}) },
    demoConfig: {
      issuer: origins.op,
      clientId: DEMO_CLIENT_ID,
      redirectUri: `${origins.app}/callback`,
      proxyUrl: `${origins.proxy}/`,
      apiUrl: `${origins.api}/v1/profile`,
    },
  });
  return app;
}
