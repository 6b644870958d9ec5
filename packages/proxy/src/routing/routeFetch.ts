import { VaultError, type SerializedRequest } from '@tokenvault/protocol';
import { classifyOpRequest, parseRequestUrl, ruleMatches, type NormalizedRule, type ResolvedProxyConfig } from '@tokenvault/config';
import type { ProviderMetadata } from '../network/discover.js';
import type { QueueListener } from '../network/InFlightLimit.js';
import { protectedRequest } from '../handlers/protectedRequest.js';
import { required } from '../shared/required.js';
import type { HostSession } from '../tokens/HostSession.js';
import type { TokenLifecycle } from '../tokens/TokenLifecycle.js';

// Which handler a request from the app goes to: a chunk of its own (VaultProxy.handleFetch loads
// it with the first request), with the protected request's handler and the rule matching. The
// frame's first chunk says hello without it.

/**
 * The userinfo endpoint gets the access token in its Authorization header, as a rule's request
 * does: with a proof when the token is DPoP-bound (protectedRequest makes one only for a DPoP token).
 */
const USERINFO_RULE: NormalizedRule = { origin: '', base: '', methods: null, credential: 'access_token', dpop: true, resource: null, requireAuthorizationHeader: false };

/** The OP-call handlers' chunk. */
type OpCalls = typeof import('../handlers/opCalls.js');

/** What routing a request needs of the VaultProxy (besides its tokens). */
export interface FetchContext {
  readonly config: ResolvedProxyConfig;
  metadata: () => Promise<ProviderMetadata>;
  readonly hostSession: HostSession;
  /** The OP-call handlers' chunk (see VaultProxy). */
  opCalls: () => Promise<OpCalls>;
}

/**
 * Performs a request the app made, if it is an OP endpoint the vault performs or matches a rule
 * (see VaultProxy.handleFetch); refuses it with a typed error otherwise.
 *
 * Every request the app sends the vault counts against `maxUpstreamRequests` (`tokens.upstream`):
 * its protected requests and userinfo in protectedRequest, which takes a place for each send; its
 * other OP calls (token, revocation, introspection, discovery, JWKS) here, a place for the whole
 * call, taken once the request passed the checks that need no network. `onQueue` hears when one
 * waits and when it starts; `signal` takes a waiting one out of the queue (`TV_ABORTED`), never
 * one already sent. The vault's own calls to the OP take no place: a refresh (before a protected
 * request's send or after its 401, or the session watch's), an API's own token, sealed mode's code
 * redemption, a logout's revocations. They run under the tokens' cross-tab lock, which the app's
 * token and revocation requests wait for while they hold a place: a lock holder that waited for a
 * place could wait, with every place held by requests waiting for its lock, until the queue limit.
 * So no task waits for a place while it holds the lock, none that holds a place waits for another
 * (protectedRequest refreshes between its sends, holding none), and the queue always moves.
 *
 * @example
 * ```ts
 * const response = await routeFetch(proxy, tokens, request, signal)
 * ```
 */
export async function routeFetch(context: FetchContext, tokens: TokenLifecycle, request: SerializedRequest, signal?: AbortSignal, onQueue?: QueueListener): Promise<Response> {
  const { config, hostSession } = context;
  const url = parseRequestUrl(request.url);
  const metadata = await context.metadata();
  // The same decision the worker routed by (classifyOpRequest): the two cannot disagree.
  const op = classifyOpRequest(metadata.endpoints, url, request.method, config.opPassThrough);
  const exact = (): void => {
    if ('exactQuery' in op && !op.exactQuery) throw new VaultError('TV_INVALID_REQUEST', { why: 'queryNotEndpoints', kind: op.kind });
  };
  // An OP call of the app's holds one of the maxUpstreamRequests places from its start to its answer.
  const opCall = async (call: (handlers: OpCalls) => Promise<Response>): Promise<Response> => {
    const handlers = await context.opCalls();
    return tokens.upstream.run(() => call(handlers), signal, onQueue);
  };
  switch (op.kind) {
    case 'token':
      if (request.method !== 'POST') throw new VaultError('TV_INVALID_REQUEST', { why: 'tokenNotPost' });
      exact();
      return opCall((calls) => calls.tokenRequest(tokens, request, metadata.token_endpoint));
    // classifyOpRequest names only an endpoint the metadata has.
    case 'revocation':
      exact();
      return opCall((calls) => calls.revocationRequest(tokens, request, required(metadata.endpoints.revocation)));
    case 'introspection':
      exact();
      return opCall((calls) => calls.introspectionRequest(tokens, request, required(metadata.endpoints.introspection)));
    case 'userinfo':
      // OpenID Connect Core §5.3.1: GET or POST, the access token in Authorization. Its places are protectedRequest's.
      if (request.method !== 'GET' && request.method !== 'POST') throw new VaultError('TV_INVALID_REQUEST', { why: 'userinfoMethod' });
      return protectedRequest(tokens, hostSession, USERINFO_RULE, request, signal, onQueue);
    case 'discovery':
    case 'jwks':
      return opCall((calls) => calls.publicDocument(request, config.timeouts.upstreamMs));
    default:
      break;
  }
  const rule = config.rules.find((candidate) => ruleMatches(candidate, url, request.method));
  if (rule) return protectedRequest(tokens, hostSession, rule, request, signal, onQueue);
  if (op.kind === 'unclassified') throw new VaultError('TV_UNCLASSIFIED_OP_REQUEST', { why: 'unclassifiedOpPath', origin: url.origin, pathname: url.pathname });
  // A declared pass-through request is the page's own: the worker lets it go, the vault never performs it.
  if (op.kind === 'pass-through') throw new VaultError('TV_URL_NOT_ALLOWED', { why: 'opPassThroughPath', origin: url.origin, pathname: url.pathname });
  if (op.kind !== 'none') throw new VaultError('TV_URL_NOT_ALLOWED', { why: 'opEndpointNotPerformed', kind: op.kind });
  throw new VaultError('TV_URL_NOT_ALLOWED', { why: 'noRuleMatches', origin: url.origin, pathname: url.pathname });
}
