import { VaultError, type SerializedRequest } from '@tokenvault/protocol';
import { type NormalizedRule } from '@tokenvault/config';
import { isNonceChallenge } from '../dpop/isNonceChallenge.js';
import type { HostSession } from '../tokens/HostSession.js';
import type { QueueListener } from '../network/InFlightLimit.js';
import { sendWithCredential } from '../network/sendWithCredential.js';
import type { TokenLifecycle } from '../tokens/TokenLifecycle.js';
import type { ApiToken } from '../tokens/TokenStore.js';
import { withoutRoutingOverrides } from './withoutRoutingOverrides.js';

/**
 * Sends a protected request with the access token: `Authorization: DPoP` and a proof on a rule
 * marked `dpop` when the token is DPoP-bound (RFC 9449 §7.1), `Authorization: Bearer` otherwise.
 */
async function send(tokens: TokenLifecycle, rule: NormalizedRule, request: SerializedRequest, set: ApiToken, signal?: AbortSignal): Promise<Response> {
  const { upstreamMs } = tokens.config.timeouts;
  const key = rule.dpop ? await tokens.keyFor(set) : null;
  if (!key) return sendWithCredential(request, { authorization: `Bearer ${set.accessToken}` }, upstreamMs, signal);
  return tokens.dpop.send(request.url, request.method, key, set.accessToken, 'resource-server', (proof) =>
    sendWithCredential(request, { authorization: `DPoP ${set.accessToken}`, dpop: proof }, upstreamMs, signal),
  );
}

/**
 * Where a rule's access token comes from: the API's own slot for a rule that names its API
 * (`resource`, ResourceTokens), the sign-in's set otherwise (and for the userinfo endpoint).
 */
function slotFor(tokens: TokenLifecycle, rule: NormalizedRule): { current(): Promise<ApiToken>; refresh(used: string): Promise<ApiToken> } {
  const api = rule.resource;
  if (api) return { current: async () => (await tokens.resourceTokens()).current(api), refresh: async (used) => (await tokens.resourceTokens()).refresh(api, used) };
  return {
    async current() {
      let set = await tokens.current();
      if (!set) throw new VaultError('TV_NOT_SIGNED_IN');
      if (tokens.expiring(set)) set = await tokens.refresh(set.accessToken);
      return set;
    },
    refresh: (used) => tokens.refresh(used),
  };
}

/**
 * A request that matched a rule (or the userinfo endpoint), sent with its credential: the host's
 * session ID for `credential: 'host_session'`, else the access token (the API's own when the rule
 * names one, see slotFor), refreshed first when it is expiring and once more on a 401 (it may have
 * been revoked or rotated under us). Routing- and method-override headers are stripped, a `_method`
 * field refused (withoutRoutingOverrides). `signal` (the app's abort) ends it; `onQueue` hears when
it waits for one of the `maxUpstreamRequests` places and when it starts (InFlightLimit).
 *
 * @example
 * ```ts
 * return protectedRequest(tokens, hostSession, rule, request, signal)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export async function protectedRequest(
  tokens: TokenLifecycle,
  hostSession: HostSession,
  rule: NormalizedRule,
  incoming: SerializedRequest,
  signal?: AbortSignal,
  onQueue?: QueueListener,
): Promise<Response> {
  // A rule's origin, path prefix and methods must not be talked around by a header or a _method field.
  const request = withoutRoutingOverrides(incoming, rule);
  // At most maxUpstreamRequests at the network; the rest queue (InFlightLimit), each until its head is in.
  if (rule.credential === 'host_session') return tokens.upstream.run(() => hostSession.send(request, signal), signal, onQueue);
  const slot = slotFor(tokens, rule);
  const set = await slot.current();
  let response = await tokens.upstream.run(() => send(tokens, rule, request, set, signal), signal, onQueue);
  // A nonce challenge the retry did not satisfy is the API's answer: a refresh would not change it.
  if (response.status === 401 && !(await isNonceChallenge(response, 'resource-server'))) {
    // Once: the token may have been revoked or rotated under us. A second 401 is the API's answer.
    await response.body?.cancel();
    const fresh = await slot.refresh(set.accessToken);
    response = await tokens.upstream.run(() => send(tokens, rule, request, fresh, signal), signal, onQueue);
  }
  return response;
}
