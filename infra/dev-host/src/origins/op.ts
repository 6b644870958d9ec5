import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { errors, interactionPolicy, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { NonceMode } from '../dpopVerifier.js';
import { sealedRedirectUris } from '@tokenvault/build';
import { originConstraint, type OpSite, type Origins } from '../origins.js';
import type { CheckSessionClients } from '../session/checkSessionAnswer.js';
import { CHECK_SESSION_PATH, checkSessionFrame, clientOrigins, installSessionManagement } from '../session/sessionManagement.js';

/** The demo users. Documented in the README; the login form accepts nothing else. */
export const USERS: Readonly<Record<string, { password: string; name: string }>> = {
  alice: { password: 'wonderland', name: 'Alice Liddell' },
  bob: { password: 'builder', name: 'Bob the Builder' },
};

export const DEMO_CLIENT_ID = 'demo';
/**
 * The sealed demo's client: the vault is the OAuth client, and its redirect URIs are on the proxy
 * origin only, so a code for it never lands where script of the app origin could read it.
 */
export const SEALED_CLIENT_ID = 'sealed';
/** The scope the sample API requires. */
export const API_SCOPE = 'api';
/** Clients whose access tokens are JWTs for the sample API (resource indicators); the others' are opaque. */
const JWT_ACCESS_TOKEN_CLIENTS = new Set([DEMO_CLIENT_ID, SEALED_CLIENT_ID, 'keycloak-js']);

/** An example app's OP client (examples/*): its app origin and the proxy origin it talks through. */
export interface ExampleClient {
  clientId: string;
  app: string;
  proxy: string;
}

/**
 * Where the OP answers CORS. `per-client` (default): the token, revocation and userinfo endpoints
 * to each client's proxy origin, discovery and JWKS to everyone (oidc-provider's defaults).
 * `proxy-only`: one setting for everything, as some OPs have: every endpoint, discovery and JWKS
 * included, answers CORS to the proxy origins only.
 */
export type OpCorsProfile = 'per-client' | 'proxy-only';

/**
 * What a test can switch at the OP: DPoP nonces on the token endpoint. `require`: oidc-provider's
 * own nonce support demands one in every proof (`use_dpop_nonce` with a `DPoP-Nonce` header, once);
 * `always`: a broken OP that answers every proof with a new challenge (see {@link opOrigin}).
 */
export class OpControls {
  dpopNonce: NonceMode = 'off';
  /** Every call of the sample AM sessions endpoint (amSessions.ts): whose OP session it ended, if any. */
  readonly amSessionLogouts: { accountId: string | null }[] = [];
  /** Resource indicators the OP issues no token for (`invalid_target`), as if the API had been removed from it. */
  readonly refusedResources = new Set<string>();
}

export interface OpOptions {
  origins: Origins;
  /** The sealed demo's app origin (where its sign-out comes back to), whichever demo the dev host serves. Default `origins.app`. */
  sealedApp?: string;
  controls: OpControls;
  /** The example apps' clients (examples/*). Default none. */
  exampleClients?: readonly ExampleClient[];
  /** Default `per-client`. */
  cors?: OpCorsProfile;
  /** Access token lifetime in seconds. */
  accessTokenTtl: number;
  /** Refresh token lifetime in seconds. */
  refreshTokenTtl: number;
  /** Which endpoints live where; see {@link OpProfile}. */
  profile: OpProfile;
  /**
   * One token per API (RFC 8707): the demos' grants cover both sample APIs, a token request
   * without `resource` gets the OP's own opaque token (userinfo accepts it), one with `resource`
   * a JWT for that API only. Default false: the demos' tokens are JWTs for the first API.
   */
  perApi?: boolean;
  /** On the app's site (default) or another; see {@link OpSite}. */
  site?: OpSite;
  /** With `site` `other`: whether the OP's cookies carry `Secure` (default true). */
  secureCookies?: boolean;
  /** See DevHostOptions.opIgnoresIdTokenHint. */
  ignoresIdTokenHint?: boolean;
}

/**
 * Where the dev OP serves its endpoints: all on the issuer's origin (`single-origin`, the default), or
 * the token endpoint on another origin, `opTokens` (`split-token-origin`), as OPs such as Google's do.
 */
export type OpProfile = 'single-origin' | 'split-token-origin';

export interface OpKeys {
  /** The public signing key, for the API to verify access tokens in process (Node's resolver here does not know *.localhost). */
  publicJwk: JWK;
}

/** The audience of the sample API's access tokens: its origin. */
export function apiAudience(origins: Origins): string {
  return `${origins.api}/`;
}

/** The audience of the second sample API's access tokens: its origin. */
export function api2Audience(origins: Origins): string {
  return `${origins.api2}/`;
}

/** Where the drop-in demo's prompt=none re-checks land: a page of its origin that runs nothing. */
export function silentRedirectUri(origins: Origins): string {
  return `${origins.dropIn}/silent-callback.html`;
}

/**
 * Creates the dev OpenID Provider: Authorization Code + PKCE (S256), JWT access tokens for the API,
 * rotating refresh tokens, and Session Management 1.0 (check_session_iframe, session_state).
 */
export async function createProvider(
  options: OpOptions,
): Promise<{ provider: Provider; keys: OpKeys; checkSessionClients: CheckSessionClients; clients: readonly ClientMetadata[] }> {
  const { origins } = options;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const signingJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const audience = apiAudience(origins);
  const audiences = [audience, api2Audience(origins)];
  /** The resource a token request names, when the OP would refuse it. */
  const refused = (resource: unknown): boolean => typeof resource === 'string' && options.controls.refusedResources.has(resource);
  const crossSite = options.site === 'other';
  const secureCookies = crossSite && (options.secureCookies ?? true);

  const clients: ClientMetadata[] = [
    {
      client_id: DEMO_CLIENT_ID,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // The drop-in demo's own origin: script there can read these codes (drop-in mode's known
      // limit), so it must never be the sealed demo's origin.
      redirect_uris: [`${origins.dropIn}/callback`, silentRedirectUri(origins)],
      post_logout_redirect_uris: [`${origins.dropIn}/`],
    },
    ...(options.exampleClients ?? []).map((example): ClientMetadata => ({
      client_id: example.clientId,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${example.app}/callback`, `${example.app}/silent.html`],
      post_logout_redirect_uris: [`${example.app}/`],
    })),
    {
      client_id: SEALED_CLIENT_ID,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: sealedRedirectUris(origins.proxy),
      post_logout_redirect_uris: [`${options.sealedApp ?? origins.app}/`],
    },
  ];
  // Each client's token, revocation and userinfo calls come from its own proxy origin only.
  const proxyOf = new Map<string, string>([
    [DEMO_CLIENT_ID, origins.proxy],
    [SEALED_CLIENT_ID, origins.proxy],
    ...(options.exampleClients ?? []).map((c) => [c.clientId, c.proxy] as [string, string]),
  ]);
  const proxies = new Set(proxyOf.values());
  // An OP that answers a prompt=none request for whoever is signed in, whatever its id_token_hint
  // says (OpenID Connect Core §3.1.2.1 only says it SHOULD refuse), and asks no consent of its
  // first-party clients (a grant made on the spot, as Auth0's or Keycloak's first-party apps get):
  // the relying party's own check of `sub` is then what notices another user.
  const policy = interactionPolicy.base();
  if (options.ignoresIdTokenHint) policy.get('login')?.checks.remove('id_token_hint');
  const firstPartyGrant: Configuration['loadExistingGrant'] = async (ctx) => {
    const { oidc } = ctx;
    const clientId = oidc.client?.clientId;
    const accountId = oidc.session?.accountId;
    if (!clientId || !accountId) return undefined;
    const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(clientId);
    if (grantId) return oidc.provider.Grant.find(grantId);
    const grant = new oidc.provider.Grant({ clientId, accountId });
    const scope = oidc.params?.scope;
    grant.addOIDCScope(typeof scope === 'string' ? scope : 'openid');
    for (const [resource, server] of Object.entries(oidc.resourceServers ?? {})) if (server.scope) grant.addResourceScope(resource, server.scope);
    await grant.save();
    return grant;
  };
  const configuration: Configuration = {
    clients,
    interactions: { policy },
    ...(options.ignoresIdTokenHint ? { loadExistingGrant: firstPartyGrant } : {}),
    // Session Management 1.0: oidc-provider adds these fields to its discovery document as they are.
    discovery: { claim_types_supported: ['normal'], check_session_iframe: `${origins.op}${CHECK_SESSION_PATH}` },
    jwks: { keys: [signingJwk] },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      // An OP on another site than its apps sends SameSite=None; Secure, as a real one must: its
      // check_session_iframe and prompt=none frames under the app are third-party requests.
      ...(crossSite ? { long: { httpOnly: true, sameSite: 'none', secure: secureCookies }, short: { httpOnly: true, sameSite: 'none', secure: secureCookies } } : {}),
    },
    claims: { openid: ['sub'], profile: ['name'] },
    // 'api' as a plain scope: the example clients get opaque access tokens that the sample API
    // checks in process and the userinfo endpoint accepts (oidc-provider refuses at userinfo a
    // token issued for another audience, as the demo's JWT for the API is).
    scopes: ['openid', 'profile', 'offline_access', API_SCOPE],
    pkce: { required: () => true },
    // The token and revocation endpoints answer CORS to the proxy origin only: a page on the app
    // origin that bypasses the vault cannot read a token response.
    clientBasedCORS: (_ctx, origin, client) => origin === proxyOf.get(client.clientId),
    // Refresh tokens for the demo client without offline_access.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Rotated at every refresh. oidc-provider's default rotates a public client's refresh tokens
    // only while they are not sender-constrained, so DPoP-bound ones would stop rotating; the dev
    // OP keeps the harder case, so that the vault's one-refresh-at-a-time stays tested with DPoP.
    // oidc-provider rotates before it looks at `resource`: a refused one would cost the rotated
    // token (the answer is an error, the old token consumed). Refused resources do not rotate.
    rotateRefreshToken: (ctx) => !refused(ctx.oidc.params?.resource),
    findAccount: async (_ctx, sub) => (Object.hasOwn(USERS, sub) ? { accountId: sub, claims: async () => ({ sub, name: USERS[sub].name }) } : undefined),
    ttl: {
      AccessToken: options.accessTokenTtl,
      RefreshToken: options.refreshTokenTtl,
      IdToken: 3600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 86_400,
      Grant: 86_400,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      // DPoP (RFC 9449): a token request with a proof gets tokens bound to its key (cnf.jkt in the
      // JWT access token, a bound refresh token); one without gets bearer tokens. With a nonce
      // secret oidc-provider hands out DPoP-Nonce values, and demands one when the test asks.
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => options.controls.dpopNonce === 'require' },
      rpInitiatedLogout: {
        enabled: true,
        // The library's own pages load a web font from the internet; these are self-contained.
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = page(
            'Sign out',
            `<h1>Sign out</h1><p>Sign out of the dev OpenID Provider at ${escape(ctx.host)}?</p>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = page('Signed out', '<h1>Signed out</h1><p>You are signed out of the dev OpenID Provider.</p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        // The demos' access tokens (drop-in and sealed) are JWTs for the API, and keycloak-js's (as
        // Keycloak's are: the example shows their JWT-shaped placeholders); the other examples' are opaque (see scopes).
        // perApi: an authorization request naming no resource is granted both APIs; a token
        // request naming none gets no resource (`oneOf` is the grant's list): the OP's own
        // opaque token, which userinfo accepts; one naming an API gets a JWT for it alone.
        // The example clients too: with perApi their rules name the APIs (oidc-client-ts's
        // `loadUserInfo` then takes the OP's own token, its API calls a JWT each).
        defaultResource: (_ctx, client, oneOf) => {
          if (options.perApi) return oneOf ? undefined : audiences;
          return JWT_ACCESS_TOKEN_CLIENTS.has(client.clientId) ? audience : undefined;
        },
        // perApi: a token request naming no resource gets none, even when its grant covers only one
        // (a library's authorization request naming one API): with `true`, oidc-provider would
        // issue a JWT for that API, which userinfo refuses (oidc-provider 9.13's resolve_resource).
        useGrantedResource: () => !options.perApi,
        getResourceServerInfo: (_ctx, resource) => {
          if (!audiences.includes(resource) || (!options.perApi && resource !== audience) || refused(resource)) throw new errors.InvalidTarget();
          return { scope: API_SCOPE, audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: options.accessTokenTtl, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    renderError: async (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = page('Error', `<h1>Something went wrong</h1><p>${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`);
    },
  };
  const provider = new Provider(origins.op, configuration);
  // Secure cookies over plain http://*.localhost (a secure context to every browser here): Koa's
  // cookies refuse to set one on a connection it does not see as secure. The provider (a Koa
  // application) is told its requests are secure; its URLs still say http (they follow the
  // protocol, not this flag).
  if (secureCookies) Object.defineProperty(provider.request, 'secure', { get: () => true });
  if (options.cors === 'proxy-only') {
    // One CORS setting for every endpoint: a browser origin other than a proxy's reads nothing,
    // not even discovery or the JWKS.
    provider.use(async (ctx, next) => {
      await next();
      const origin = ctx.get('origin');
      if (origin && !proxies.has(origin)) {
        for (const header of [
          'access-control-allow-origin',
          'access-control-allow-credentials',
          'access-control-allow-methods',
          'access-control-allow-headers',
          'access-control-expose-headers',
        ])
          ctx.remove(header);
      }
    });
  }
  installSessionManagement(provider, crossSite, crossSite ? secureCookies : undefined);
  if (options.profile === 'split-token-origin') {
    // oidc-provider names its own origin for every endpoint; this profile's discovery points the
    // token endpoint elsewhere, and that origin routes /token to the same provider.
    provider.use(async (ctx, next) => {
      await next();
      if ((ctx.oidc as { route?: string } | undefined)?.route === 'discovery' && typeof ctx.body === 'object' && ctx.body !== null) {
        (ctx.body as Record<string, unknown>).token_endpoint = `${origins.opTokens}/token`;
      }
    });
  }
  return {
    provider,
    keys: { publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } },
    checkSessionClients: clientOrigins(clients),
    clients,
  };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Dev OpenID Provider</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.6rem 0}
input{display:block;width:100%;padding:.4rem;font:inherit}button{margin-top:1rem;padding:.4rem 1rem;font:inherit}.error{color:#b3261e}</style>
</head><body>${body}</body></html>`;
}

function loginPage(uid: string, clientId: string, error?: string): string {
  return page(
    'Sign in',
    `<h1>Sign in</h1><p>to <strong>${escape(clientId)}</strong> at the dev OpenID Provider</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
<label>Username <input name="username" autofocus required></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in</button></form>
<p><small>Demo users: alice / wonderland, bob / builder.</small></p>`,
  );
}

/**
 * The OP origin: the login form, then everything else handled by oidc-provider itself.
 */
export async function opOrigin(
  app: FastifyInstance,
  options: { provider: Provider; checkSessionClients: CheckSessionClients; origins: Origins; controls: OpControls; profile: OpProfile; site?: OpSite; sealedApp?: string },
): Promise<void> {
  const { provider } = options;
  const constraints = originConstraint(options.origins.op);

  // The broken OP of the nonce tests (controls.dpopNonce 'always'): every token request with a
  // proof is answered use_dpop_nonce with a new nonce, so a client that follows challenges blindly
  // would loop. Answered with the CORS headers oidc-provider would give the proxy origin.
  app.addHook('onRequest', async (request, reply) => {
    if (options.controls.dpopNonce !== 'always' || request.method !== 'POST' || !request.headers.dpop) return;
    if (!constraints.host.test(request.headers.host ?? '') || request.url.split('?')[0] !== '/token') return;
    if (request.headers.origin === options.origins.proxy) {
      reply.header('access-control-allow-origin', options.origins.proxy).header('access-control-expose-headers', 'DPoP-Nonce, WWW-Authenticate');
    }
    return reply
      .code(400)
      .header('dpop-nonce', randomBytes(16).toString('base64url'))
      .header('cache-control', 'no-store')
      .send({ error: 'use_dpop_nonce', error_description: 'a new nonce is required' });
  });

  // The sealed app's page is an ancestor of its vault's check frame (app → proxy frame → check
  // frame) but no client's redirect origin (sealed mode's deployment rule): frame-ancestors names it.
  await app.register(checkSessionFrame, { clients: options.checkSessionClients, opOrigin: options.origins.op, ancestors: [options.sealedApp ?? options.origins.app] });

  // The interaction routes read form bodies; oidc-provider parses its own, so the two live in
  // separate Fastify contexts with separate body parsers.
  await app.register(async (interactions) => {
    interactions.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, new URLSearchParams(body as string));
    });

    interactions.get<{ Params: { uid: string } }>('/interaction/:uid', { constraints }, async (request, reply) => {
      const details = await provider.interactionDetails(request.raw, reply.raw);
      if (details.prompt.name === 'login') {
        return reply
          .type('text/html')
          .header('cache-control', 'no-store')
          .send(loginPage(details.uid, String(details.params.client_id)));
      }
      // The demo client is first-party: consent is granted without a page.
      return finishConsent(provider, request, reply);
    });

    interactions.post<{ Params: { uid: string }; Body: URLSearchParams }>('/interaction/:uid/login', { constraints }, async (request, reply) => {
      const details = await provider.interactionDetails(request.raw, reply.raw);
      // A POST without a form body has none, whatever the route's type says.
      const form = request.body as URLSearchParams | undefined;
      const username = form?.get('username') ?? '';
      const password = form?.get('password') ?? '';
      const user = Object.hasOwn(USERS, username) ? USERS[username] : undefined;
      if (details.prompt.name !== 'login') return reply.code(400).type('text/html').send(page('Error', '<p>No sign-in in progress.</p>'));
      if (!user || user.password !== password) {
        return reply
          .code(401)
          .type('text/html')
          .header('cache-control', 'no-store')
          .send(loginPage(details.uid, String(details.params.client_id), 'Wrong username or password.'));
      }
      reply.hijack();
      await provider.interactionFinished(request.raw, reply.raw, { login: { accountId: username } }, { mergeWithLastSubmission: false });
    });
  });

  await app.register(async (oidc) => {
    // Leave every body unread: oidc-provider (Koa) reads the raw request itself.
    oidc.removeAllContentTypeParsers();
    oidc.addContentTypeParser('*', (_request, _payload, done) => {
      done(null);
    });
    const callback = provider.callback();
    const handler = (request: FastifyRequest, reply: FastifyReply): void => {
      reply.hijack();
      void callback(request.raw, reply.raw);
    };
    oidc.all('/', { constraints }, handler);
    oidc.all('/*', { constraints }, handler);
    if (options.profile === 'split-token-origin') oidc.all('/token', { constraints: originConstraint(options.origins.opTokens) }, handler);
  });
}

async function finishConsent(provider: Provider, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const details = await provider.interactionDetails(request.raw, reply.raw);
  const { prompt, params, session } = details;
  let grant;
  if (details.grantId) grant = await provider.Grant.find(details.grantId);
  else if (session) grant = new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
  else throw new Error('consent without a login session');
  if (!grant) throw new Error('grant not found');
  const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  const grantId = await grant.save();
  reply.hijack();
  await provider.interactionFinished(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
}
