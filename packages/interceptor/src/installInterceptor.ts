import {
  errorResponse,
  opEndpointOf,
  resolveInterceptorConfig,
  ruleMatches,
  serializeRequest,
  toVaultError,
  type InterceptorConfig,
} from '@tokenvault/protocol';
import { clientsClaim } from 'workbox-core';
import { registerRoute } from 'workbox-routing';
import type { RouteHandlerCallbackOptions, RouteMatchCallbackOptions } from 'workbox-core/types.js';
import { ClientChannels } from './ClientChannels.js';

declare const self: ServiceWorkerGlobalScope;

// workbox-routing matches one method per route; these are the methods a page's fetch can send
// with a body or a credential. (Preflights never reach a service worker.)
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

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
  self.addEventListener('message', (event) => channels.onMessage(event));

  const isRuleRequest = (url: URL, request: Request): boolean => resolved.rules.some((rule) => ruleMatches(rule, url, request.method));
  // The OP's endpoints are known once a proxy said hello; until then every request to the issuer's
  // origin is a candidate, decided after the hello. Endpoint origins other than the issuer's are
  // learnt from the first hello.
  const opOrigins = new Set([resolved.issuerOrigin]);
  const isOpCandidate = (url: URL): boolean => opOrigins.has(url.origin);

  const match = ({ url, request }: RouteMatchCallbackOptions): boolean => isRuleRequest(url, request) || isOpCandidate(url);

  const handler = async ({ url, request, event }: RouteHandlerCallbackOptions): Promise<Response> => {
    try {
      const port = await channels.portFor((event as FetchEvent).clientId);
      const { endpoints } = await port.hello;
      for (const endpoint of Object.values(endpoints)) opOrigins.add(new URL(endpoint).origin);
      if (!isRuleRequest(url, request) && opEndpointOf(url, endpoints) === null) {
        // Another request to the OP (the authorization endpoint's assets, …): not ours.
        return await fetch(request);
      }
      // The page's abort reaches the worker as the request's signal (where the engine passes it on).
      return await port.fetch(await serializeRequest(request), request.signal);
    } catch (err) {
      // An aborted request has nobody to answer; the page's fetch has already rejected.
      if (request.signal.aborted) throw err;
      return errorResponse(toVaultError(err));
    }
  };

  for (const method of METHODS) registerRoute(match, handler, method);
}
