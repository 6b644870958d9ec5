import { randomBytes } from 'node:crypto';
import { resolveConfig, type ResolvedTokenVaultConfig, type TokenVaultConfig } from '@tokenvault/build';
import { parseOrigin, type ProxyConfig, type ResourceRule, type SessionCheck, type Timeouts } from '@tokenvault/config';
import Fastify, { type FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import { ApiControls, apiOrigin, type ExternalTokenIssuer } from './origins/api.js';
import { appOrigin } from './origins/app.js';
import { evilOrigin } from './origins/evil.js';
import { hostOrigin } from './origins/host.js';
import {
  DEMO_CLIENT_ID,
  OpControls,
  SEALED_CLIENT_ID,
  api2Audience,
  apiAudience,
  createProvider,
  opOrigin,
  silentRedirectUri,
  type OpCorsProfile,
  type OpProfile,
} from './origins/op.js';
import { exampleOrigins } from './origins/examples.js';
import { amSessions } from './origins/amSessions.js';
import { exampleSites, type ExampleSite } from './examples.js';
import { proxyOrigin } from './origins/proxy.js';
import { originsFor, type OpSite, type OriginName, type Origins } from './origins.js';
import { paths } from './paths.js';
import { RequestLog, originOf } from './requestLog.js';
import { StreamGates } from './StreamGates.js';

export interface DevHostOptions {
  /** The port the origins are served on; `listen` must use the same one. */
  port: number;
  /** Access token lifetime in seconds (default 600). Tests use short ones. */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds (default 86 400). */
  refreshTokenTtl?: number;
  /** Where the dev OP serves its endpoints (default `single-origin`; `split-token-origin` puts the token endpoint on `opTokens`). */
  opProfile?: OpProfile;
  /** Passed to the proxy's built-in configuration. */
  refreshSkewSeconds?: number;
  timeouts?: Timeouts;
  /** The proxy's `maxUpstreamRequests` (default the proxy's, 64): tests make a queue with 1. */
  maxUpstreamRequests?: number;
  /** Origins besides the proxy that the sample API answers CORS to (the benchmark's direct rows). Default none. */
  apiCorsOrigins?: readonly string[];
  /** Log one line per request (method, host, path; never a query, header or body). Default false. */
  logger?: boolean;
  /**
   * The app origin, when another server serves the app (nginx, a Vite dev server): the OP's client
   * and the configuration are set up for it. Default: app.vault.localhost on `port`.
   */
  appOrigin?: string;
  /** The proxy origin, when another server serves the proxy page. Default: proxy.vault.localhost on `port`. */
  proxyOrigin?: string;
  /** How often the demo's session monitor asks the OP, in milliseconds (default 3000). */
  sessionCheckIntervalMs?: number;
  /** How long the demo, embedded by the host page, waits for its session ID, in milliseconds (default 10 000). */
  hostSessionTimeoutMs?: number;
  /** The OP's CORS: `per-client` (default) or `proxy-only` for every endpoint, discovery and JWKS included (op.ts). */
  opCors?: OpCorsProfile;
  /**
   * How the proxy takes the host's session ID (`hostSession.handoff`): `'direct'` (default, from the
   * sample host page at /) or `'app-window'` (compatibility, for the vendor's host page at /vendor).
   */
  hostSessionHandoff?: 'direct' | 'app-window';
  /** Mark the sample API's rule for DPoP (default true); false: the bearer-only configuration. */
  dpop?: boolean;
  /** Limit the sample API's rule to these methods (default: every method). */
  apiMethods?: readonly string[];
  /** Mark the sample API's rule `requireAuthorizationHeader` (default false). */
  apiRequireAuthorizationHeader?: boolean;
  /**
   * Test only: the request log also keeps the raw `Authorization` and `DPoP` headers, as a careless
   * server's access log would, so that a test can copy a token out of it. Default false: the log
   * keeps hashes only.
   */
  leakyRequestLog?: boolean;
  /**
   * Which demo the app origin serves at `/`, and so the vault's mode: `'sealed'` (default; the vault
   * is the OAuth client `sealed`, whose redirect URIs are on the proxy origin only) or `'drop-in'`
   * (oauth4webapi in the app, client `demo`, the code arrives at the app origin).
   */
  demo?: 'sealed' | 'drop-in';
  /**
   * A real OP instead of the dev OP (e2e/glewlwyd.ts runs Debian's Glewlwyd): the vault's issuer,
   * and whose JWKS the sample API checks access tokens against (`jwksUrl` as Node reaches it:
   * 127.0.0.1, Node does not resolve *.localhost). The OP must register the clients `sealed` and
   * `demo` with the dev host's redirect URIs. The dev OP still runs, unused by the vault.
   */
  externalOp?: ExternalTokenIssuer;
  /**
   * Send `Cross-Origin-Opener-Policy: same-origin` on the OP's pages (authorization, login and
   * consent, end-session), as many production login pages do: a sign-in window is then cut off
   * from the window that opened it (`window.opener` null). Default false. `OP_COOP=1 npm start`.
   */
  opCoop?: boolean;
  /**
   * One token per API (RFC 8707): the sample API's rule names its resource, a second sample API
   * (api2.vault.localhost, an audience of its own) gets a rule too, and the OP's default token
   * is its own opaque one, which userinfo accepts. Default false: one JWT for the first API.
   */
  perApi?: boolean;
  /**
   * With `perApi`: the first sample API's rule names this `scope` beside its `resource`
   * (docs/one-token-per-api.md), so that the refresh grant for its token asks for it.
   */
  perApiScope?: string;
  /**
   * Where the OP lives: `'same'` (default) at `op.vault.localhost`, the app's site; `'other'` at
   * `login.idp.localhost`, another site, with `SameSite=None; Secure` cookies, as real OPs live.
   * Its frames under the app are then third-party: what they see is each browser's cookie policy.
   */
  opSite?: OpSite;
  /**
   * With `opSite: 'other'`: whether the OP's cookies carry `Secure` (default true). WebKitGTK's
   * cookie store refuses a `Secure` cookie from plain `http://*.localhost` (measured: the login
   * form's interaction cookie never comes back), so the WebKit suite turns it off there; its frames
   * under the app get no OP cookie either way (WebKit blocks third-party cookies).
   */
  opCookiesSecure?: boolean;
  /** The proxy's `sessionWatch` (sealed mode): `'auto'` (default) or `'off'`. */
  sessionWatch?: 'auto' | 'off';
  /** The proxy's `sessionCheck` (sealed mode): how often its session watch asks the OP, how long it waits. */
  sessionCheck?: SessionCheck;
  /**
   * The OP answers a `prompt=none` request for whoever is signed in, ignoring `id_token_hint`
   * (default false: oidc-provider answers `login_required` for another user). Plays an OP under
   * which another user's sign-in reaches the session watch as a code for that user (`user-changed`).
   */
  opIgnoresIdTokenHint?: boolean;
}

/** The OP's pages a browser navigates to: authorization, the login and consent interaction, end-session. */
const OP_PAGES = /^\/(auth(\/|$)|interaction\/|session\/end(\/|$))/;

/** What the dev host exposes to tests, besides the Fastify instance. */
export interface DevHostState {
  origins: Origins;
  /** Every request received, with credentials only as hashes. */
  requestLog: RequestLog;
  /** The gates of the sample API's /v1/stream responses. */
  streams: StreamGates;
  provider: Provider;
  proxyConfig: ProxyConfig;
  /** Origins taken down: they answer 503 to every request until removed from the set. */
  outage: Set<OriginName>;
  /** Operator controls of the sample API (deny a token, DPoP nonces). */
  api: ApiControls;
  /** Test switches of the OP (DPoP nonces). */
  op: OpControls;
  /** The whole Token Vault configuration of the dev setup (what a tokenvault.config.ts would hold), validated. */
  config: TokenVaultConfig;
  /** The session ID the sample host page hands the app; the sample host API accepts only this one. */
  hostSessionId: string;
  /** The example apps (examples/*): their origins and OP clients. */
  examples: readonly ExampleSite[];
  /** Every client the dev OP registers, with its redirect URIs (the attack tests try each one). */
  opClients: readonly { clientId: string; redirectUris: readonly string[] }[];
}

declare module 'fastify' {
  interface FastifyInstance {
    vault: DevHostState;
  }
}

/**
 * The protected-resource rules of the dev setup: the sample API's /v1/ (access token, with DPoP
 * unless `dpop` is false) and the sample host API (host session).
 */
export function devRules(origins: Origins, dpop = true, perApi = false, methods?: readonly string[], perApiScope?: string): ResourceRule[] {
  const mark = { ...(dpop ? { dpop: true } : {}), ...(methods ? { methods: [...methods] } : {}) };
  if (!perApi) {
    return [
      { origin: origins.api, pathPrefix: '/v1/', ...mark },
      { origin: origins.host, pathPrefix: '/api/', credential: 'host_session' },
    ];
  }
  return [
    { origin: origins.api, pathPrefix: '/v1/', resource: apiAudience(origins), ...(perApiScope === undefined ? {} : { scope: perApiScope }), ...mark },
    { origin: origins.api2, pathPrefix: '/v1/', resource: api2Audience(origins), ...mark },
    { origin: origins.host, pathPrefix: '/api/', credential: 'host_session' },
  ];
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
  const demo = options.demo ?? 'sealed';
  // The deployment rule of sealed mode, shown here: each demo has an app origin of its own, and no
  // OP client has a redirect URI on the sealed demo's (docs/deploying.md).
  const served = options.appOrigin !== undefined ? parseOrigin(options.appOrigin, 'appOrigin') : undefined;
  const origins: Origins = {
    ...originsFor(options.port, demo, options.opSite),
    ...(served !== undefined ? { app: served, ...(demo === 'drop-in' ? { dropIn: served } : {}) } : {}),
    ...(options.proxyOrigin !== undefined ? { proxy: parseOrigin(options.proxyOrigin, 'proxyOrigin') } : {}),
  };
  const sealedApp = demo === 'sealed' ? origins.app : originsFor(options.port).app;
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
  const requestLog = new RequestLog(undefined, { keepCredentials: options.leakyRequestLog ?? false, origins });
  requestLog.attach(app);
  // An origin a test takes down answers 503 to everything, as a server in maintenance would.
  const outage = new Set<OriginName>();
  app.addHook('onRequest', async (request, reply) => {
    const name = originOf(request.headers.host, origins);
    if (name !== 'unknown' && outage.has(name)) return reply.code(503).type('text/plain').send('down for maintenance');
  });

  // The OP's pages with COOP (opCoop): the pages a sign-in window shows; not the check_session
  // frame, which is framed (COOP does nothing there), nor the endpoints scripts call.
  if (options.opCoop) {
    const opHost = new URL(origins.op).host;
    app.addHook('onRequest', async (request, reply) => {
      if (request.headers.host === opHost && OP_PAGES.test(request.url.split('?')[0])) reply.raw.setHeader('cross-origin-opener-policy', 'same-origin');
    });
  }

  const examples = exampleSites(options.port);
  const op = new OpControls();
  const { provider, keys, checkSessionClients, clients } = await createProvider({
    origins,
    sealedApp,
    controls: op,
    exampleClients: examples,
    ...(options.opCors ? { cors: options.opCors } : {}),
    accessTokenTtl: options.accessTokenTtl ?? 600,
    refreshTokenTtl: options.refreshTokenTtl ?? 86_400,
    profile: options.opProfile ?? 'single-origin',
    ...(options.perApi ? { perApi: true } : {}),
    site: options.opSite ?? 'same',
    ...(options.opCookiesSecure !== undefined ? { secureCookies: options.opCookiesSecure } : {}),
    ...(options.opIgnoresIdTokenHint ? { ignoresIdTokenHint: true } : {}),
  });
  const rules = devRules(origins, options.dpop ?? true, options.perApi ?? false, options.apiMethods, options.perApiScope).map((rule) =>
    options.apiRequireAuthorizationHeader && rule.origin === origins.api ? { ...rule, requireAuthorizationHeader: true } : rule,
  );
  const proxyConfig: ProxyConfig = {
    mode: demo,
    ...(demo === 'sealed' ? { scope: 'openid profile api' } : {}),
    appOrigins: [origins.app],
    issuer: options.externalOp?.issuer ?? origins.op,
    ...(options.opProfile === 'split-token-origin' ? { opOrigins: [origins.opTokens] } : {}),
    clientId: demo === 'sealed' ? SEALED_CLIENT_ID : DEMO_CLIENT_ID,
    rules,
    ...(options.refreshSkewSeconds !== undefined ? { refreshSkewSeconds: options.refreshSkewSeconds } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.maxUpstreamRequests !== undefined ? { maxUpstreamRequests: options.maxUpstreamRequests } : {}),
    ...(options.hostSessionHandoff ? { hostSession: { handoff: options.hostSessionHandoff } } : {}),
    ...(options.sessionWatch ? { sessionWatch: options.sessionWatch } : {}),
    ...(options.sessionCheck ? { sessionCheck: options.sessionCheck } : {}),
  };
  const hostSessionId = randomBytes(24).toString('base64url');
  // The sample host page (another site) embeds the app: it joins frame-ancestors of app and proxy,
  // and the proxy takes the session ID from it.
  const config: TokenVaultConfig = { ...proxyConfig, hostOrigins: [origins.host], proxyOrigin: origins.proxy };
  // Validated at start-up by the same code as a tokenvault.config.ts: a wrong option fails here,
  // naming the field, not later in the browser.
  const resolved: ResolvedTokenVaultConfig = resolveConfig(config);
  const api = new ApiControls();
  const streams = new StreamGates();
  const opClients = clients.map((client) => ({ clientId: client.client_id, redirectUris: client.redirect_uris ?? [] }));
  app.decorate('vault', { origins, requestLog, provider, proxyConfig, config, api, op, streams, hostSessionId, outage, examples, opClients });

  await app.register(opOrigin, { provider, checkSessionClients, origins, sealedApp, controls: op, profile: options.opProfile ?? 'single-origin', site: options.opSite ?? 'same' });
  await app.register(amSessions, { provider, controls: op, appOrigins: examples.map((example) => example.app) });
  await app.register(apiOrigin, {
    origins,
    publicJwk: keys.publicJwk,
    // Pinned to the vaults' clients (azp / client_id): the app's own and the examples', each with its
    // redirect URIs on its own app's origins; a token the OP issued to any other client is refused.
    clients: [proxyConfig.clientId, ...examples.map((example) => example.clientId)],
    controls: api,
    streams,
    ...(options.externalOp ? { tokenIssuer: options.externalOp } : {}),
    extraCorsOrigins: [...(options.apiCorsOrigins ?? []), ...examples.map((example) => example.proxy)],
    findOpaqueToken: async (token) => {
      const found = await provider.AccessToken.find(token);
      return found ? { sub: found.accountId, scope: found.scope ?? '', jti: found.jti, client_id: found.clientId, ...(found.jkt ? { cnf: { jkt: found.jkt } } : {}) } : undefined;
    },
  });
  await app.register(exampleOrigins, {
    sites: examples,
    issuer: origins.op,
    // perApi: each sample API's rule names its resource (one token per API), as in the demos.
    rules: options.perApi
      ? [
          { origin: origins.api, pathPrefix: '/v1/', resource: apiAudience(origins) },
          { origin: origins.api2, pathPrefix: '/v1/', resource: api2Audience(origins) },
        ]
      : [{ origin: origins.api, pathPrefix: '/v1/' }],
    proxyDist: paths.proxy,
    workerScript: paths.interceptor,
  });
  await app.register(evilOrigin);
  await app.register(hostOrigin, { origins, dist: paths.host, sessionId: hostSessionId });
  await app.register(proxyOrigin, { dist: paths.proxy, config: resolved });
  await app.register(appOrigin, {
    origins,
    dist: paths.demo,
    workerScript: paths.interceptor,
    config: resolved,
    demo,
    demoConfig: {
      redirectUri: `${origins.app}/callback`,
      apiUrl: `${origins.api}/v1/profile`,
      scope: 'openid profile api',
      silentRedirectUri: silentRedirectUri(origins),
      sessionCheckIntervalMs: options.sessionCheckIntervalMs ?? 3000,
      hostOrigin: origins.host,
      hostApiUrl: `${origins.host}/api/v1/me`,
      hostSessionTimeoutMs: options.hostSessionTimeoutMs ?? 10_000,
    },
  });
  return app;
}
