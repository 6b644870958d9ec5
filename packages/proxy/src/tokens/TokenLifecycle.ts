import { VaultError } from '@tokenvault/protocol';
import { type PlaceholderShape, type ResolvedProxyConfig } from '@tokenvault/config';
import type { Dpop } from '../dpop/Dpop.js';
import type { DpopKey } from '../dpop/DpopKey.js';
import type { PlaceholderOptions } from './placeholder.js';
import { InFlightLimit } from '../network/InFlightLimit.js';
import { postToken } from './postToken.js';
import { required } from '../shared/required.js';
import type { ResourceTokens } from './ResourceTokens.js';
import { tokenLock } from './tokenLock.js';
import type { ApiToken, ApiTokens, TokenSet, TokenStore } from './TokenStore.js';
import type { VaultAccess } from './VaultAccess.js';
import { vaultChannel, type Notice } from '../door/vaultChannel.js';
import type { Notify } from '../shared/VaultEvent.js';

/**
 * The vault's tokens from save to sign-out: stored (a narrower set never replacing a wider one,
 * keepWider; a DPoP key kept before its tokens), refreshed when they expire or on demand (once,
 * under the cross-tab lock: a rotated refresh token is never used twice), cleared on sign-out in
 * every tab. The other tabs hear of each change on the vaultChannel. It is the VaultAccess the
 * OP-call handlers (revocation, introspection) get.
 *
 * @example
 * ```ts
 * const tokens = new TokenLifecycle(config, new TokenStore(), new Dpop(), async () => (await metadata()).token_endpoint, notify)
 * const fresh = await tokens.refresh(used.accessToken)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export class TokenLifecycle implements VaultAccess {
  readonly config: ResolvedProxyConfig;
  readonly dpop: Dpop;
  /** Tells the pages (VaultProxy forwards it to its `onEvent`). */
  readonly notify: Notify;
  readonly clientId: string;
  readonly upstreamMs: number;
  /** What the app's token placeholders are made from (the configured shape). */
  readonly placeholder: PlaceholderOptions;
  readonly placeholderShape: PlaceholderShape;
  /**
   * The app's requests at the network at once (`maxUpstreamRequests`: its protected requests and
   * OP calls, see routeFetch); the rest wait here. The vault's own calls to the OP (refresh, code
   * redemption, revocation at logout) never do: they run under `exclusive`, which the app's token
   * requests wait for while holding a place.
   */
  readonly upstream: InFlightLimit;
  /** Runs `task` while holding the vault's lock, across every tab of this browser. */
  readonly exclusive: <T>(task: () => Promise<T>) => Promise<T> = tokenLock();
  #store: TokenStore;
  #apis: Promise<ResourceTokens> | undefined;
  #tokenEndpoint: () => Promise<string>;
  #post: (notice: Notice) => void;

  constructor(config: ResolvedProxyConfig, store: TokenStore, dpop: Dpop, tokenEndpoint: () => Promise<string>, notify: Notify) {
    this.config = config;
    this.#store = store;
    this.dpop = dpop;
    this.#tokenEndpoint = tokenEndpoint;
    this.notify = notify;
    this.clientId = config.clientId;
    this.upstreamMs = config.timeouts.upstreamMs;
    this.placeholder = { shape: config.placeholder, issuer: config.issuer, clientId: config.clientId };
    this.placeholderShape = config.placeholder;
    this.upstream = new InFlightLimit(config.maxUpstreamRequests, config.timeouts.queueMs);
    // Every tab has its own proxy frame, each with a cache of the tokens: another tab's change drops it.
    this.#post = vaultChannel((notice) => {
      this.#store.invalidate();
      this.dpop.invalidate();
      if (notice?.type === 'signed-in') notify('signed-in');
      if (notice?.type === 'signed-out') notify('signed-out', { reason: notice.reason ?? 'logout' });
    });
  }

  /** The stored tokens (the memory copy when there is one). */
  current(): Promise<TokenSet | null> {
    return this.#store.get();
  }

  /** The stored tokens read again from storage (another tab may have changed them); with `key`, the DPoP key too. */
  tokens(key = false): Promise<TokenSet | null> {
    this.#store.invalidate();
    if (key) this.dpop.invalidate();
    return this.#store.get();
  }

  /** Every API's own token (the memory copy when there is one; `tokens()` drops it). */
  apiTokens(): Promise<ApiTokens> {
    return this.#store.apis();
  }

  /**
   * Each API's own token (rules with `resource`, RFC 8707), got with this set's refresh token: a
   * chunk of its own (import()), loaded when a rule that names its API is first used.
   */
  resourceTokens(): Promise<ResourceTokens> {
    this.#apis ??= import('./ResourceTokens.js').then(
      ({ ResourceTokens }) => new ResourceTokens(this),
      (err: unknown) => {
        this.#apis = undefined;
        throw err;
      },
    );
    return this.#apis;
  }

  /** The token endpoint, from discovery. */
  tokenEndpoint(): Promise<string> {
    return this.#tokenEndpoint();
  }

  /** Stores the set and every API's token at once (an API's refresh rotates the set's refresh token), and tells the other tabs. */
  async saveWithApis(tokens: TokenSet, apis: ApiTokens): Promise<void> {
    await this.#store.setWithApis(tokens, apis);
    this.#post({ type: 'changed' });
  }

  /** The memory copy, without reading storage: undefined when there is none. */
  peek(): TokenSet | null | undefined {
    return this.#store.peek();
  }

  /** True when some rule is marked `dpop`: the vault then asks the OP for tokens bound to its key. */
  get wantsDpop(): boolean {
    return this.config.rules.some((rule) => rule.dpop);
  }

  async save(tokens: TokenSet): Promise<void> {
    await this.#store.set(tokens);
    this.#post({ type: 'changed' });
  }

  /**
   * A new sign-in's tokens with the key their request was proved with: the key is kept before its
   * tokens (tokens never exist without their key); bearer tokens drop a key of an earlier sign-in
   * (failing to delete it harms nothing).
   */
  async keep(tokens: TokenSet, key: DpopKey | null): Promise<void> {
    // toTokenSet takes DPoP tokens only in answer to a request proved with this key.
    if (tokens.tokenType === 'DPoP') await this.dpop.adopt(required(key));
    else await this.dpop.forget().catch(() => undefined);
    // A new sign-in's grant: the APIs' tokens of the one before go (each API asks again).
    await this.saveWithApis(tokens, {});
  }

  /**
   * Stores a token response's set, as keepWider decides: `previous` is the set a refresh grant
   * used; a code exchange reads the stored set again. Returns the set that was stored before.
   */
  async accept(tokens: TokenSet, previous: TokenSet | null, grant: 'authorization_code' | 'refresh_token', key: DpopKey | null): Promise<TokenSet | null> {
    // A narrower answer (a session-status query's scope=openid) never replaces a wider set: keepWider.
    const [stored, { keepWider }] = await Promise.all([grant === 'refresh_token' ? previous : this.tokens(), import('./keepWider.js')]);
    const kept = keepWider(stored, tokens, grant);
    // A narrower set that was dropped leaves the stored set and its key as they are.
    if (grant === 'authorization_code' && kept === tokens) await this.keep(tokens, key);
    else await this.save(kept);
    return stored;
  }

  /**
   * A sign-in's tokens are kept: tells this tab's pages and every other tab's (`signed-in`). `flow`:
   * the popup sign-in it ends, whose page alone is told so (never another tab).
   */
  signedIn(flow?: string): void {
    this.#post({ type: 'signed-in' });
    if (flow === undefined) this.notify('signed-in');
    else this.notify('signed-in', { flow });
  }

  /** Clears the tokens and tells every tab; the tabs are told even when IndexedDB fails (then this rejects). */
  async signOut(reason = 'logout'): Promise<void> {
    try {
      await this.#store.clear();
    } finally {
      // The key goes with the tokens; one left behind (IndexedDB failing) binds nothing the vault holds.
      await this.dpop.forget().catch(() => undefined);
      this.#post({ type: 'signed-out', reason });
      this.notify('signed-out', { reason });
    }
  }

  /** True when the access token (the set's or an API's) expires within the configured skew. */
  expiring(tokens: Pick<TokenSet, 'expiresAt'>): boolean {
    return tokens.expiresAt !== null && tokens.expiresAt - this.config.refreshSkewSeconds * 1000 <= Date.now();
  }

  /**
   * The key DPoP-bound tokens need, or null for bearer tokens. A key the browser lost (its storage
   * cleared under the tokens) makes the tokens useless: the vault signs out (`TV_DPOP_KEY_LOST`).
   */
  async keyFor(tokens: Pick<ApiToken, 'tokenType'>): Promise<DpopKey | null> {
    if (tokens.tokenType !== 'DPoP') return null;
    const key = await this.dpop.key();
    if (key) return key;
    await this.signOut('key-lost');
    throw new VaultError('TV_DPOP_KEY_LOST');
  }

  /** A POST to the token endpoint, proved with `key` when there is one. */
  post(endpoint: string, params: URLSearchParams, key: DpopKey | null = null): Promise<Response> {
    return postToken(endpoint, params, key, this.dpop, this.config.timeouts.upstreamMs);
  }

  /** The tokens this vault holds, every API's included, for cutting out of what goes back to the app; none when storage fails. */
  async heldSecrets(): Promise<string[]> {
    const tokens = await this.#store.get().catch(() => null);
    const apis = await this.#store.apis().catch(() => ({}));
    return tokens ? [tokens.accessToken, tokens.refreshToken, ...Object.values(apis).map((api) => api?.accessToken)].filter((t): t is string => typeof t === 'string') : [];
  }

  /**
   * Refreshes the tokens unless another request or tab already did since `used` was read.
   * Only `invalid_grant` clears the vault (`TV_REFRESH_FAILED`, grantIsDead); another refusal is
   * `TV_REFRESH_REJECTED`, a 5xx `TV_UPSTREAM_UNREACHABLE`, a timeout `TV_UPSTREAM_TIMEOUT`: the
   * tokens stay.
   */
  async refresh(used: string): Promise<TokenSet> {
    // Its own chunk (import()): the frame's first chunk serves requests with the tokens it holds.
    const { refreshTokens } = await import('./refreshTokens.js');
    return refreshTokens(this, used, this.#tokenEndpoint);
  }
}
