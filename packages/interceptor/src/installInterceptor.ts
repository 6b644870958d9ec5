import { VaultError, errorResponse, serializeRequest, toVaultError } from '@tokenvault/protocol';
import { classifyOpRequest, resolveInterceptorConfig, routeOrigin, ruleMatches, type InterceptorConfig } from '@tokenvault/config';
import { clientsClaim } from 'workbox-core';
import { Route, Router } from 'workbox-routing';
import type { RouteHandlerCallbackOptions, RouteMatchCallbackOptions } from 'workbox-core/types.js';
import { ClientChannels } from './ClientChannels.js';

declare const self: ServiceWorkerGlobalScope;

// workbox-routing matches one method per route; these are the methods a page's fetch can send
// with a body or a credential. (Preflights never reach a service worker.)
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/**
 * The OP requests the proxy performs: those a client library makes with a token (token,
 * revocation, introspection, userinfo), and the public documents it reads before it has one
 * (discovery, JWKS), so that the OP's CORS may name the proxy origin alone.
 */
const VAULT_ENDPOINTS = new Set(['token', 'revocation', 'introspection', 'userinfo', 'jwks', 'discovery']);

/**
 * Whether a script made the request (`fetch()`, `XMLHttpRequest`): only those may reach the vault
 * and so get a credential. Markup makes requests too (`<img>`, `<script>`, `<link rel=preload>`, a
 * form or a frame): HTML injected without any script could otherwise have the vault send an
 * authorized request. Their `destination` names what they load ("image", "document", …) or their
 * mode is `no-cors` / `navigate`; both differ from a script's `''` with `cors` / `same-origin`.
 * @see https://fetch.spec.whatwg.org/#concept-request-destination
 */
function madeByScript(request: Pick<Request, 'mode' | 'destination'>): boolean {
  return request.destination === '' && (request.mode === 'cors' || request.mode === 'same-origin');
}

/**
 * Sends a request the vault does not perform as the page would have. A refusal by the browser
 * (the server's CORS policy does not admit the app origin, or the network failed) is a TypeError
 * that says nothing: it becomes `TV_PASSTHROUGH_FAILED`, which says whose request it was.
 */
async function passThrough(url: URL, request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (cause) {
    if (request.signal.aborted) throw cause;
    throw new VaultError('TV_PASSTHROUGH_FAILED', { why: 'passThroughFailed', origin: url.origin }, { cause });
  }
}

/**
 * Turns this service worker into the Token Vault interceptor: requests to the OP's token,
 * revocation, introspection and userinfo endpoints, its discovery document and JWKS, and to the
 * protected-resource rules are performed by the vault proxy instead of the page, so that the
 * page only ever sees redacted token responses. Everything else is left alone.
 *
 * Call it once, at the top level of the worker script. The drop-in `@tokenvault/interceptor/sw.js`
 * does exactly that with `self.TOKENVAULT_CONFIG`.
 *
 * @example
 * ```ts
 * // sw.ts
 * import { installInterceptor } from '@tokenvault/interceptor'
 * installInterceptor({
 *   issuer: 'https://op.example.com',
 *   rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }],
 * })
 * ```
 * @see https://w3c.github.io/ServiceWorker/#fetchevent-interface
 */
export function installInterceptor(config: InterceptorConfig): void {
  const resolved = resolveInterceptorConfig(config);
  const channels = new ClientChannels(resolved);

  // A new version takes over at once: an old worker must not keep routing with stale rules.
  self.addEventListener('install', () => void self.skipWaiting());
  clientsClaim();
  self.addEventListener('message', (event) => {
    channels.onMessage(event);
  });

  // The proxy takes the first rule that matches: so does the worker. A rule that requires an
  // Authorization header (markup cannot set one) is not the vault's without it.
  const isRuleRequest = (url: URL, request: Request): boolean => {
    const rule = resolved.rules.find((candidate) => ruleMatches(candidate, url, request.method));
    return rule !== undefined && (!rule.requireAuthorizationHeader || request.headers.has('authorization'));
  };
  // Every origin the OP serves endpoints on comes from the configuration (the proxy refuses to start
  // when discovery names another), so the worker knows them before any proxy has said hello, even
  // just after the browser restarted it. Which endpoint a request is for is decided in the handler,
  // with the proxy's endpoints, by the function the proxy decides with.
  const opOrigins = new Set(resolved.opOrigins);
  const isOpCandidate = (url: URL): boolean => opOrigins.has(routeOrigin(url));

  // A request markup made is not the vault's: the browser sends it as it would without a worker,
  // with no credential (the API answers it 401, the OP's CORS refuses the app origin).
  const match = ({ url, request }: RouteMatchCallbackOptions): boolean => madeByScript(request) && (isRuleRequest(url, request) || isOpCandidate(url));

  const handler = async ({ url, request, event }: RouteHandlerCallbackOptions): Promise<Response> => {
    try {
      const port = await channels.portFor((event as FetchEvent).clientId);
      const { endpoints } = await port.hello;
      const op = classifyOpRequest(endpoints, url, request.method, resolved.opPassThrough);
      if (op.kind === 'unclassified' && !isRuleRequest(url, request)) {
        // A request that can change something at the OP, at none of its endpoints: it could be a
        // token request in a form nobody foresaw, so it goes nowhere, with or without a credential.
        throw new VaultError('TV_UNCLASSIFIED_OP_REQUEST', { why: 'unclassifiedOpRequest', origin: url.origin, pathname: url.pathname });
      }
      if (!VAULT_ENDPOINTS.has(op.kind) && !isRuleRequest(url, request)) {
        // Another request to the OP (the authorization endpoint's assets, PAR, a declared
        // pass-through path such as an SDK's session API, …): the page's own, with no credential.
        return await passThrough(url, request);
      }
      // The page's abort reaches the worker as the request's signal (where the engine passes it on).
      return await port.fetch(await serializeRequest(request), request.signal);
    } catch (err) {
      // An aborted request has nobody to answer; the page's fetch has already rejected.
      if (request.signal.aborted) throw err;
      return errorResponse(toVaultError(err));
    }
  };

  // A router of our own rather than workbox's default one (registerRoute): that one also answers
  // workbox-precaching's CACHE_URLS messages, which this worker has no use for.
  const router = new Router();
  for (const method of METHODS) router.registerRoute(new Route(match, handler, method));
  router.addFetchListener();
}
