import { VaultError, type ApiTokenStatus, type SerializedRequest } from '@tokenvault/protocol';
import { checkOpEndpoints, type ResolvedProxyConfig } from '@tokenvault/config';
import { discover, type ProviderMetadata } from '../network/discover.js';
import { Dpop } from '../dpop/Dpop.js';
import type { DpopKey } from '../dpop/DpopKey.js';
import { HostSession } from '../tokens/HostSession.js';
import type { QueueListener } from '../network/InFlightLimit.js';
import type { LogoutResult } from '../handlers/logout.js';
import type { CodeExchange } from '../handlers/redeemCode.js';
import { TokenLifecycle } from '../tokens/TokenLifecycle.js';
import { TokenStore, type TokenSet } from '../tokens/TokenStore.js';
import type { Notify, VaultEvent, VaultEventDetail } from '../shared/VaultEvent.js';

export type { LogoutResult } from '../handlers/logout.js';
export type { VaultEvent, VaultEventDetail } from '../shared/VaultEvent.js';

/**
 * The proxy's logic, without the messaging: performs token requests and protected requests from
 * the proxy origin, keeps the tokens, refreshes and revokes them. A façade: it routes each request
 * to the module that does one job (tokenRequest, protectedRequest, revocationRequest,
 * introspectionRequest, publicDocument, logout, redeemCode); the tokens' life is TokenLifecycle's.
 * The frame's first chunk has none of the handlers: the routing of a request and the protected
 * request's handler (routeFetch) load with `import()` with the first request, as logout and
 * redeemCode do when first needed; the OP-call handlers (opCalls) at once in drop-in mode (its app
 * calls the OP through the vault), else when first needed.
 *
 * @example
 * ```ts
 * const proxy = new VaultProxy(resolveProxyConfig(config))
 * proxy.onEvent = (event, detail) => tellThePages(event, detail)
 * const response = await proxy.handleFetch(request, signal)
 * ```
 */
export class VaultProxy {
  readonly config: ResolvedProxyConfig;
  /** Set by the messaging layer to tell the pages. */
  onEvent: (event: VaultEvent, detail?: VaultEventDetail) => void = () => {};
  /**
   * The one way the proxy's parts tell the pages (the tokens' life, the sealed sign-in, the session
   * watch, the host's handoff): every event goes through here to `onEvent`.
   */
  readonly notify: Notify = (event, detail) => {
    this.onEvent(event, detail);
  };
  /** The session ID the embedding host handed this page, for rules with `credential: 'host_session'`. */
  readonly hostSession: HostSession;
  #metadata: Promise<ProviderMetadata> | null = null;
  #tokens: TokenLifecycle;
  #opCalls: Promise<typeof import('../handlers/opCalls.js')> | null = null;
  #routing: Promise<typeof import('./routeFetch.js')> | null = null;

  constructor(config: ResolvedProxyConfig, store = new TokenStore(), dpop = new Dpop()) {
    this.config = config;
    this.hostSession = new HostSession(config);
    this.#tokens = new TokenLifecycle(config, store, dpop, async () => (await this.metadata()).token_endpoint, this.notify);
    if (config.mode === 'drop-in') this.opCalls().catch(() => {});
  }

  /** The OP-call handlers' chunk, loaded once; a failure to load is tried again on the next call. */
  opCalls(): Promise<typeof import('../handlers/opCalls.js')> {
    this.#opCalls ??= import('../handlers/opCalls.js').catch((err: unknown) => {
      this.#opCalls = null;
      throw err;
    });
    return this.#opCalls;
  }

  /**
   * The OP's metadata, fetched once; a failure is retried on the next call. Endpoints on an origin
   * the configuration does not list, or covered by a rule, fail it with `TV_INVALID_CONFIG`.
   */
  metadata(): Promise<ProviderMetadata> {
    this.#metadata ??= discover(this.config.issuer, this.config.timeouts.upstreamMs)
      .then((metadata) => {
        checkOpEndpoints(this.config, metadata.endpoints);
        return metadata;
      })
      .catch((err: unknown) => {
        this.#metadata = null;
        throw err;
      });
    return this.#metadata;
  }

  /**
   * Performs a request the app made, if it is an OP endpoint the vault performs or matches a rule.
   * `signal` (the app's abort) ends a protected request; token requests and refreshes, once sent,
   * always run to the end, so that tokens the OP issued are never lost (one still waiting for its
   * place leaves the queue, never sent). `onQueue` hears when a request waits for one of the
   * `maxUpstreamRequests` places and when it starts (see routeFetch: which requests count).
   */
  async handleFetch(request: SerializedRequest, signal?: AbortSignal, onQueue?: QueueListener): Promise<Response> {
    const { routeFetch } = await this.#loadRouting();
    return routeFetch(this, this.#tokens, request, signal, onQueue);
  }

  /** The request path's chunk, loaded once; a failure to load is tried again with the next request. */
  #loadRouting(): Promise<typeof import('./routeFetch.js')> {
    this.#routing ??= import('./routeFetch.js').catch((err: unknown) => {
      this.#routing = null;
      throw err;
    });
    return this.#routing;
  }

  /** Starts loading the request path (see startProxy: after the first hello), so that the app's first request need not wait for it. */
  preloadRouting(): void {
    this.#loadRouting().catch(() => {});
  }

  /** Whether the vault holds tokens, when the sign-in's expires, and which APIs hold one of their own (never a token). */
  async status(): Promise<{ signedIn: boolean; expiresAt: number | null; apis: ApiTokenStatus[] }> {
    const tokens = await this.#tokens.current();
    const apis = tokens ? await this.#tokens.apiTokens() : {};
    return {
      signedIn: tokens !== null,
      expiresAt: tokens?.expiresAt ?? null,
      apis: Object.entries(apis).flatMap(([api, token]) => (token ? [{ api, expiresAt: token.expiresAt }] : [])),
    };
  }

  /** Revokes the tokens and clears the vault in every tab (see logout), as the app asked. */
  async logout(postLogoutRedirectUri?: string): Promise<LogoutResult> {
    const { logout } = await import('../handlers/logout.js');
    return logout(this.#tokens, () => this.metadata().catch(() => null), { postLogoutRedirectUri });
  }

  /**
   * The session watch saw the sign-in end at the OP (`session-ended`, `user-changed`): revokes and
   * clears as logout does, with that reason, unless the vault already holds nothing. Then another
   * tab signed out first and every tab heard it; nothing is done and no tab is told again.
   */
  async endSession(reason: string): Promise<void> {
    const { logout } = await import('../handlers/logout.js');
    await logout(this.#tokens, () => this.metadata().catch(() => null), { reason, ifSignedIn: true });
  }

  /**
   * Sealed mode: redeems the code of the proxy's own authorization request (see redeemCode).
   * `event` is what the pages are told. `key` is the key the authorization request named in
   * `dpop_jkt` (a new one at each sign-in; a renewal keeps the key of the tokens it renews).
   * `scope` is the one the authorization request asked for (what an answer without `scope` has).
   * `flow` is the popup sign-in's flow id, which its `signed-in` names.
   */
  async redeemCode(
    params: URLSearchParams,
    verify: (json: Record<string, unknown>) => void,
    event: 'signed-in' | 'renewed' = 'signed-in',
    key: DpopKey | null = null,
    scope: string | null = null,
    flow?: string,
  ): Promise<void> {
    const [op, { redeemCode }] = await Promise.all([this.metadata(), import('../handlers/redeemCode.js')]);
    await redeemCode(this.#tokens, op, params, verify, key, scope);
    // A sign-in is news for every tab (their apps, their session watch); a renewal for this one.
    if (event === 'signed-in') this.#tokens.signedIn(flow);
    else this.notify(event);
  }

  /**
   * Sealed mode's renewal: redeems the code of a `prompt=none` request and keeps nothing until the
   * caller, having checked the ID token, calls `keep` (see exchangeCode).
   */
  async exchangeCode(params: URLSearchParams, key: DpopKey | null): Promise<CodeExchange> {
    const [op, { exchangeCode }] = await Promise.all([this.metadata(), import('../handlers/redeemCode.js')]);
    return exchangeCode(this.#tokens, op, params, key);
  }

  /** The DPoP key the stored tokens are bound to (a renewal keeps it), or null. */
  async dpopKey(): Promise<DpopKey | null> {
    return this.#tokens.wantsDpop ? this.#tokens.dpop.key().catch(() => null) : null;
  }

  /** True when some rule is marked `dpop`: sign-ins then ask for tokens bound to a key (`dpop_jkt`). */
  get wantsDpop(): boolean {
    return this.#tokens.wantsDpop;
  }

  /** The stored ID token (sealed mode: `vault.user()` reads its claims; it is no credential for an API). */
  async idToken(): Promise<string | null> {
    return (await this.#tokens.current())?.idToken ?? null;
  }

  /**
   * Refreshes the tokens unless another request or tab already did since `used` was read.
   * Only an `invalid_grant` answer clears the vault (`TV_REFRESH_FAILED`); see TokenLifecycle.refresh.
   */
  refresh(used: string): Promise<TokenSet> {
    return this.#tokens.refresh(used);
  }

  /**
   * Refreshes now, however fresh the access token: the session watch's question to the OP whether
   * the grant still holds. A refusal clears the vault (`TV_REFRESH_FAILED`); no answer does not.
   */
  async refreshNow(): Promise<TokenSet> {
    const current = await this.#tokens.tokens();
    if (!current) throw new VaultError('TV_NOT_SIGNED_IN');
    return this.#tokens.refresh(current.accessToken);
  }

  /** Refreshes if the access token expires within the configured skew (the keep-alive of a vault whose session is not watched). */
  async refreshIfExpiring(): Promise<void> {
    const current = await this.#tokens.tokens();
    if (current && this.#tokens.expiring(current)) await this.#tokens.refresh(current.accessToken);
  }
}
