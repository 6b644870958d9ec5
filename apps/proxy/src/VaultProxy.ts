import { dev, VaultError, type RevocationAnswer, type RevocationOutcome, type SerializedRequest } from '@tokenvault/protocol';
import {
  checkOpEndpoints,
  classifyOpRequest,
  parseRequestUrl,
  ruleMatches,
  type NormalizedRule,
  type ResolvedProxyConfig,
} from '@tokenvault/config';
import { REDACTED, redactTokenResponse } from './redact.js';
import { discover, type ProviderMetadata } from './discover.js';
import { Dpop } from './Dpop.js';
import { DpopKey } from './DpopKey.js';
import { isNonceChallenge } from './DpopNonces.js';
import { HostSession } from './HostSession.js';
import { introspectionRequest } from './introspectionRequest.js';
import { keepWider } from './keepWider.js';
import { publicDocument } from './publicDocument.js';
import { revocationRequest } from './revocationRequest.js';
import type { VaultAccess } from './VaultAccess.js';
import { readTokenForm } from './readTokenForm.js';
import { revokeTokens } from './revokeTokens.js';
import { tokenErrorResponse } from './tokenErrorResponse.js';
import { TokenStore, type TokenSet } from './TokenStore.js';
import { sendWithCredential } from './sendWithCredential.js';
import { upstreamFetch } from './upstream.js';
import { withoutMethodOverride } from './withoutMethodOverride.js';

/** What the proxy tells every connected page. */
export type VaultEvent = 'signed-in' | 'renewed' | 'signed-out' | 'error' | 'revocation-failed' | 'host-session';

/** What a logout did. */
export interface LogoutResult {
  /** The OP's end-session URL (with `id_token_hint`), when the OP has one. */
  endSessionUrl?: string;
  revocation: RevocationOutcome;
  /** The status the OP refused the revocation with. */
  revocationStatus?: number;
  /** Each revocation request and its answer. */
  revocations: RevocationAnswer[];
  /** False when the store could not be cleared (IndexedDB failed); the memory copy is gone either way. */
  storageCleared: boolean;
}

/** Details of an event: why a `signed-out`, which error. */
export interface VaultEventDetail {
  reason?: string;
  error?: VaultError;
}

type Notice = { type: 'changed' } | { type: 'signed-out'; reason?: string };

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/**
 * The userinfo endpoint gets the access token in its Authorization header, as a rule's request
 * does: with a proof when the token is DPoP-bound (#send makes one only for a DPoP token).
 */
const USERINFO_RULE: NormalizedRule = { origin: '', base: '', methods: null, credential: 'access_token', dpop: true };

/**
 * The token set in a successful token response; keeps the refresh and ID tokens a refresh did not
 * replace. `token_type` is Bearer, or DPoP when the request carried a proof (`proved`): a DPoP
 * token the vault did not ask for would be bound to no key it holds.
 */
function toTokenSet(json: unknown, previous: TokenSet | null, proved = false): TokenSet {
  if (typeof json !== 'object' || json === null) throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The token response is not a JSON object' : '');
  const r = json as Record<string, unknown>;
  if (typeof r.access_token !== 'string' || r.access_token === '' || r.access_token === REDACTED) {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The token response has no access_token' : '');
  }
  const tokenType = typeof r.token_type === 'string' ? r.token_type.toLowerCase() : '';
  if (tokenType !== 'bearer' && !(tokenType === 'dpop' && proved)) {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? `The token response has no token_type "Bearer"${proved ? ' or "DPoP"' : ''}` : '');
  }
  const expiresIn = r.expires_in;
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0)) {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The token response has an invalid expires_in' : '');
  }
  const text = (value: unknown, fallback: string | null): string | null => (typeof value === 'string' && value !== '' ? value : fallback);
  return {
    accessToken: r.access_token,
    tokenType: tokenType === 'dpop' ? 'DPoP' : 'Bearer',
    refreshToken: text(r.refresh_token, previous?.refreshToken ?? null),
    idToken: text(r.id_token, previous?.idToken ?? null),
    scope: text(r.scope, previous?.scope ?? null),
    expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : null,
  };
}

/**
 * The proxy's logic, without the messaging: performs token requests and protected requests from
 * the proxy origin, keeps the tokens, refreshes and revokes them.
 */
export class VaultProxy {
  readonly config: ResolvedProxyConfig;
  /** Set by the messaging layer to tell the pages. */
  onEvent: (event: VaultEvent, detail?: VaultEventDetail) => void = () => {};
  /** The session ID the embedding host handed this page, for rules with `credential: 'host_session'`. */
  readonly hostSession: HostSession;
  #store: TokenStore;
  #metadata: Promise<ProviderMetadata> | null = null;
  #channel: BroadcastChannel;
  #localLock: Promise<unknown> = Promise.resolve();
  /** What the OP-call handlers (revocation, introspection) may do with the tokens. */
  #access: VaultAccess;
  /** The DPoP key and nonces; used when a rule is marked `dpop`. */
  #dpop: Dpop;

  constructor(config: ResolvedProxyConfig, store = new TokenStore(), dpop = new Dpop()) {
    this.config = config;
    this.#store = store;
    this.#dpop = dpop;
    this.hostSession = new HostSession(config);
    this.#access = {
      clientId: config.clientId,
      upstreamMs: config.timeouts.upstreamMs,
      exclusive: (task) => this.#exclusive(task),
      tokens: () => (this.#store.invalidate(), this.#store.get()),
      save: (tokens) => this.#save(tokens),
      signOut: () => this.#signOut('logout'),
    };
    // Every tab has its own proxy frame, each with a cache of the tokens: tell the others.
    this.#channel = new BroadcastChannel('tokenvault');
    this.#channel.onmessage = (event: MessageEvent<Notice>) => {
      this.#store.invalidate();
      this.#dpop.invalidate();
      if (event.data?.type === 'signed-out') this.onEvent('signed-out', { reason: event.data.reason ?? 'logout' });
    };
  }

  /**
   * The OP's metadata, fetched once; a failure is retried on the next call. Endpoints on an origin
   * the configuration does not list, or covered by a rule, fail it with `TV_INVALID_CONFIG`.
   */
  metadata(): Promise<ProviderMetadata> {
    this.#metadata ??= discover(this.config.issuer, this.config.timeouts.upstreamMs).then((metadata) => {
      checkOpEndpoints(this.config, metadata.endpoints);
      return metadata;
    }).catch((err: unknown) => {
      this.#metadata = null;
      throw err;
    });
    return this.#metadata;
  }

  /**
   * Performs a request the app made, if it is the token endpoint or matches a rule. `signal` (the
   * app's abort) ends a protected request; token requests and refreshes always run to the end, so
   * that tokens the OP issued are never lost.
   */
  async handleFetch(request: SerializedRequest, signal?: AbortSignal): Promise<Response> {
    const url = parseRequestUrl(request.url);
    const metadata = await this.metadata();
    // The same decision the worker routed by (classifyOpRequest): the two cannot disagree.
    const op = classifyOpRequest(metadata.endpoints, url, request.method);
    const exact = (): void => {
      if ('exactQuery' in op && !op.exactQuery) throw new VaultError('TV_INVALID_REQUEST', dev ? `The request's query is not the ${op.kind} endpoint's` : '');
    };
    switch (op.kind) {
      case 'token':
        if (request.method !== 'POST') throw new VaultError('TV_INVALID_REQUEST', dev ? 'Token requests must be POST' : '');
        exact();
        return this.#tokenRequest(request, metadata);
      case 'revocation':
        exact();
        return revocationRequest(this.#access, request, metadata.endpoints.revocation!);
      case 'introspection':
        exact();
        return introspectionRequest(this.#access, request, metadata.endpoints.introspection!);
      case 'userinfo':
        // OpenID Connect Core §5.3.1: GET or POST, the access token in Authorization.
        if (request.method !== 'GET' && request.method !== 'POST') throw new VaultError('TV_INVALID_REQUEST', dev ? 'UserInfo requests are GET or POST' : '');
        return this.#protectedRequest(USERINFO_RULE, request, signal);
      case 'discovery':
      case 'jwks':
        return publicDocument(request, this.config.timeouts.upstreamMs);
      default:
        break;
    }
    const rule = this.config.rules.find((candidate) => ruleMatches(candidate, url, request.method));
    if (rule) return this.#protectedRequest(rule, request, signal);
    if (op.kind === 'unclassified') throw new VaultError('TV_UNCLASSIFIED_OP_REQUEST', dev ? `${url.origin}${url.pathname} is on the OP's origin but is none of its endpoints` : '');
    if (op.kind !== 'none') throw new VaultError('TV_URL_NOT_ALLOWED', dev ? `The vault does not perform requests to the OP's ${op.kind} endpoint` : '');
    throw new VaultError('TV_URL_NOT_ALLOWED', dev ? `${url.origin}${url.pathname} matches none of the vault rules` : '');
  }

  async status(): Promise<{ signedIn: boolean; expiresAt: number | null }> {
    const tokens = await this.#store.get();
    return { signedIn: tokens !== null, expiresAt: tokens?.expiresAt ?? null };
  }

  /**
   * Revokes the refresh and access tokens at the OP (RFC 7009) and clears the store, in every tab.
   * It cannot fail half-way: the tokens are revoked from the memory copy when IndexedDB fails, the
   * memory copy is cleared when deleting from IndexedDB fails, and what the OP answered is in the
   * result (and a `revocation-failed` event), never swallowed.
   * Returns the OP's end-session URL (RP-Initiated Logout) for the page to navigate to, with the ID
   * token as `id_token_hint`: only a top-level navigation can end the OP's session.
   *
   * @see https://www.rfc-editor.org/rfc/rfc7009
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
   */
  async logout(postLogoutRedirectUri?: string, reason = 'logout'): Promise<LogoutResult> {
    return this.#exclusive(async () => {
      const memory = this.#store.peek();
      this.#store.invalidate();
      // Another tab may have refreshed since: IndexedDB has the newest set; the memory copy when it fails.
      const tokens = await this.#store.get().catch(() => memory ?? null);
      const metadata = await this.metadata().catch(() => null);
      const revocation = metadata
        ? await revokeTokens(metadata.revocation_endpoint, tokens, this.config.clientId, this.config.timeouts.upstreamMs)
        : { outcome: tokens ? ('failed' as const) : ('nothing-to-revoke' as const), answers: [] };
      const storageCleared = await this.#signOut(reason).then(
        () => true,
        () => false,
      );
      if (revocation.outcome === 'refused' || revocation.outcome === 'failed') this.onEvent('revocation-failed');
      const result: LogoutResult = {
        revocation: revocation.outcome,
        ...('status' in revocation && revocation.status !== undefined ? { revocationStatus: revocation.status } : {}),
        revocations: revocation.answers,
        storageCleared,
      };
      if (!metadata?.end_session_endpoint) return result;
      const url = new URL(metadata.end_session_endpoint);
      url.searchParams.set('client_id', this.config.clientId);
      if (tokens?.idToken) url.searchParams.set('id_token_hint', tokens.idToken);
      if (postLogoutRedirectUri !== undefined) url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
      return { ...result, endSessionUrl: url.href };
    });
  }

  /**
   * Runs `task` while holding the vault's lock, across every tab of this browser (Web Locks), so
   * that a rotated refresh token is never used twice.
   */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (typeof navigator !== 'undefined' && navigator.locks) {
      return navigator.locks.request('tokenvault:tokens', task) as Promise<T>;
    }
    const run = this.#localLock.then(task, task);
    this.#localLock = run.catch(() => undefined);
    return run;
  }

  /** Clears the tokens and tells every tab; the tabs are told even when IndexedDB fails (then this rejects). */
  async #signOut(reason = 'logout'): Promise<void> {
    try {
      await this.#store.clear();
    } finally {
      // The key goes with the tokens; one left behind (IndexedDB failing) binds nothing the vault holds.
      await this.#dpop.forget().catch(() => undefined);
      this.#channel.postMessage({ type: 'signed-out', reason } satisfies Notice);
      this.onEvent('signed-out', { reason });
    }
  }

  /**
   * Sealed mode: redeems the code of the proxy's own authorization request at the token endpoint,
   * lets `verify` check the token response (the ID token's issuer, audience and nonce) before
   * anything is stored, then stores the tokens. `event` is what the pages are told. With a rule
   * marked `dpop`, the code is redeemed with a proof: `key` is the key the authorization request
   * named in `dpop_jkt` (a new one at each sign-in; a renewal keeps the key of the tokens it renews).
   */
  async redeemCode(
    params: URLSearchParams,
    verify: (json: Record<string, unknown>) => void,
    event: 'signed-in' | 'renewed' = 'signed-in',
    key: DpopKey | null = null,
  ): Promise<void> {
    const { token_endpoint } = await this.metadata();
    const proofKey = this.#wantsDpop ? (key ?? (await DpopKey.generate())) : null;
    const response = await this.#postToken(token_endpoint, params, proofKey);
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      throw new VaultError('TV_SIGN_IN_FAILED', dev ? `The token endpoint answered ${response.status}, not JSON` : '', { cause });
    }
    if (!response.ok || typeof json !== 'object' || json === null) {
      const error = (json as { error?: unknown } | null)?.error;
      throw new VaultError('TV_SIGN_IN_FAILED', dev ? `The token endpoint refused the code (${response.status} ${typeof error === 'string' ? error.slice(0, 64) : ''})` : '');
    }
    verify(json as Record<string, unknown>);
    const tokens = toTokenSet(json, null, proofKey !== null);
    await this.#exclusive(async () => {
      // The key is kept before its tokens: tokens never exist without their key.
      if (tokens.tokenType === 'DPoP') await this.#dpop.adopt(proofKey!);
      else await this.#dpop.forget().catch(() => undefined);
      await this.#save(tokens);
    });
    this.onEvent(event);
  }

  /** The DPoP key the stored tokens are bound to (a renewal keeps it), or null. */
  async dpopKey(): Promise<DpopKey | null> {
    return this.#wantsDpop ? this.#dpop.key().catch(() => null) : null;
  }

  /** True when some rule is marked `dpop`: sign-ins then ask for tokens bound to a key (`dpop_jkt`). */
  get wantsDpop(): boolean {
    return this.#wantsDpop;
  }

  /** The stored ID token (sealed mode: `vault.user()` reads its claims; it is no credential for an API). */
  async idToken(): Promise<string | null> {
    return (await this.#store.get())?.idToken ?? null;
  }

  async #save(tokens: TokenSet): Promise<void> {
    await this.#store.set(tokens);
    this.#channel.postMessage({ type: 'changed' } satisfies Notice);
  }

  #expiring(tokens: TokenSet): boolean {
    return tokens.expiresAt !== null && tokens.expiresAt - this.config.refreshSkewSeconds * 1000 <= Date.now();
  }

  /** A POST to the token endpoint; with a DPoP proof made by `key` when there is one. */
  async #postToken(endpoint: string, params: URLSearchParams, key: DpopKey | null = null): Promise<Response> {
    const post = (proof?: string): Promise<Response> =>
      upstreamFetch(
        endpoint,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...(proof ? { dpop: proof } : {}) },
          body: params,
        },
        this.config.timeouts.upstreamMs,
      );
    return key ? this.#dpop.send(endpoint, 'POST', key, undefined, 'authorization-server', post) : post();
  }

  /** True when some rule is marked `dpop`: the vault then asks the OP for tokens bound to its key. */
  get #wantsDpop(): boolean {
    return this.config.rules.some((rule) => rule.dpop);
  }

  /**
   * The key DPoP-bound tokens need, or null for bearer tokens. A key the browser lost (its storage
   * cleared under the tokens) makes the tokens useless: the vault signs out (`TV_DPOP_KEY_LOST`).
   */
  async #keyFor(tokens: TokenSet): Promise<DpopKey | null> {
    if (tokens.tokenType !== 'DPoP') return null;
    const key = await this.#dpop.key();
    if (key) return key;
    await this.#signOut('key-lost');
    throw new VaultError('TV_DPOP_KEY_LOST');
  }

  /**
   * A successful token response: stored (a narrower set never replacing a wider one, keepWider), and
   * answered to the app rebuilt from safe fields (redactTokenResponse). `key` is the DPoP key the
   * request's proof was made with.
   */
  async #acceptTokens(response: Response, previous: TokenSet | null, grant: 'authorization_code' | 'refresh_token', key: DpopKey | null = null): Promise<Response> {
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The token response is not JSON' : '', { cause });
    }
    const tokens = toTokenSet(json, previous, key !== null);
    // A narrower answer (a session-status query's scope=openid) never replaces a wider set: keepWider.
    const stored = grant === 'refresh_token' ? previous : (this.#store.invalidate(), await this.#store.get());
    const kept = keepWider(stored, tokens, grant);
    if (grant === 'authorization_code' && kept === tokens) {
      // A new sign-in's key is kept before its tokens: tokens never exist without their key. A
      // narrower set that was dropped leaves the stored set and its key as they are.
      if (tokens.tokenType === 'DPoP') await this.#dpop.adopt(key!);
      // Bearer tokens: a key of an earlier sign-in is of no use. Failing to delete it harms nothing.
      else await this.#dpop.forget().catch(() => undefined);
    }
    await this.#save(kept);
    const secrets = [tokens.accessToken, tokens.refreshToken, previous?.accessToken, previous?.refreshToken, stored?.accessToken, stored?.refreshToken].filter(
      (t): t is string => typeof t === 'string',
    );
    const body = redactTokenResponse(json as Record<string, unknown>, { redact: this.config.redact, keep: this.config.keep, secrets });
    return new Response(JSON.stringify(body), {
      status: response.status,
      statusText: response.statusText,
      headers: JSON_HEADERS,
    });
  }

  /** The tokens this vault holds, for cutting out of what goes back to the app; none when storage fails. */
  async #heldSecrets(): Promise<string[]> {
    const tokens = await this.#store.get().catch(() => null);
    return tokens ? [tokens.accessToken, tokens.refreshToken].filter((t): t is string => typeof t === 'string') : [];
  }

  async #tokenRequest(request: SerializedRequest, metadata: ProviderMetadata): Promise<Response> {
    const params = readTokenForm(request);
    const grantType = params.get('grant_type');
    if (grantType === 'authorization_code') {
      if (this.config.mode === 'sealed') {
        throw new VaultError('TV_SEALED_MODE', dev ? 'In sealed mode the vault redeems only the codes of its own sign-ins (vault.signIn())' : '');
      }
      // A new key at each sign-in: nothing bound to an earlier one carries over.
      const key = this.#wantsDpop ? await DpopKey.generate() : null;
      const response = await this.#postToken(metadata.token_endpoint, params, key);
      // The tokens held now (a sign-in over a live session) must not come back in an echo either.
      if (!response.ok) return tokenErrorResponse(response, await this.#heldSecrets());
      const result = await this.#exclusive(async () => this.#acceptTokens(response, null, 'authorization_code', key));
      this.onEvent('signed-in');
      return result;
    }
    if (grantType === 'refresh_token') {
      if (params.getAll('refresh_token').length !== 1 || params.get('refresh_token') !== REDACTED) {
        throw new VaultError('TV_INVALID_REQUEST', dev ? `A refresh grant through the vault must send refresh_token=${REDACTED}` : '');
      }
      return this.#exclusive(async () => {
        this.#store.invalidate();
        this.#dpop.invalidate();
        const current = await this.#store.get();
        if (!current?.refreshToken) throw new VaultError('TV_NOT_SIGNED_IN', dev ? 'The vault holds no refresh token' : '');
        const key = await this.#keyFor(current);
        // The credential goes into this one parameter and nowhere else.
        params.set('refresh_token', current.refreshToken);
        const response = await this.#postToken(metadata.token_endpoint, params, key);
        if (!response.ok) {
          if (response.status === 400 || response.status === 401) await this.#signOut('refresh-failed');
          return tokenErrorResponse(response, [current.refreshToken, current.accessToken]);
        }
        return this.#acceptTokens(response, current, 'refresh_token', key);
      });
    }
    throw new VaultError('TV_UNSUPPORTED_GRANT', dev ? `The vault handles authorization_code and refresh_token grants, not ${JSON.stringify(grantType)}` : '');
  }

  /**
   * Refreshes the tokens unless another request or tab already did since `used` was read.
   * A refresh the OP refuses clears the vault (`TV_REFRESH_FAILED`); one it cannot answer does not.
   */
  async refresh(used: string): Promise<TokenSet> {
    return this.#exclusive(async () => {
      this.#store.invalidate();
      this.#dpop.invalidate();
      const current = await this.#store.get();
      if (!current) throw new VaultError('TV_NOT_SIGNED_IN');
      if (current.accessToken !== used && !this.#expiring(current)) return current;
      if (!current.refreshToken) {
        await this.#signOut('refresh-failed');
        throw new VaultError('TV_REFRESH_FAILED', dev ? 'The access token expired and the vault holds no refresh token' : '');
      }
      const key = await this.#keyFor(current);
      const { token_endpoint } = await this.metadata();
      const response = await this.#postToken(
        token_endpoint,
        new URLSearchParams({ grant_type: 'refresh_token', refresh_token: current.refreshToken, client_id: this.config.clientId }),
        key,
      );
      if (response.status === 400 || response.status === 401) {
        await this.#signOut('refresh-failed');
        throw new VaultError('TV_REFRESH_FAILED', dev ? `The OP refused the refresh (${response.status})` : '');
      }
      if (!response.ok) throw new VaultError('TV_UPSTREAM_UNREACHABLE', dev ? `The token endpoint answered ${response.status} to a refresh` : '');
      let json: unknown;
      try {
        json = await response.json();
      } catch (cause) {
        throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The refresh response is not JSON' : '', { cause });
      }
      const next = toTokenSet(json, current, key !== null);
      await this.#save(next);
      return next;
    });
  }

  async #protectedRequest(rule: NormalizedRule, incoming: SerializedRequest, signal?: AbortSignal): Promise<Response> {
    // A rule that allows some methods only must not be talked into another by a header.
    const request = rule.methods ? withoutMethodOverride(incoming) : incoming;
    if (rule.credential === 'host_session') return this.hostSession.send(request, signal);
    let tokens = await this.#store.get();
    if (!tokens) throw new VaultError('TV_NOT_SIGNED_IN');
    if (this.#expiring(tokens)) tokens = await this.refresh(tokens.accessToken);
    let response = await this.#send(rule, request, tokens, signal);
    // A nonce challenge the retry did not satisfy is the API's answer: a refresh would not change it.
    if (response.status === 401 && !(await isNonceChallenge(response, 'resource-server'))) {
      // Once: the token may have been revoked or rotated under us. A second 401 is the API's answer.
      await response.body?.cancel();
      tokens = await this.refresh(tokens.accessToken);
      response = await this.#send(rule, request, tokens, signal);
    }
    return response;
  }

  /**
   * Sends a protected request with the access token: `Authorization: DPoP` and a proof on a rule
   * marked `dpop` when the token is DPoP-bound (RFC 9449 §7.1), `Authorization: Bearer` otherwise.
   */
  async #send(rule: NormalizedRule, request: SerializedRequest, tokens: TokenSet, signal?: AbortSignal): Promise<Response> {
    const { upstreamMs } = this.config.timeouts;
    const key = rule.dpop ? await this.#keyFor(tokens) : null;
    if (!key) return sendWithCredential(request, { authorization: `Bearer ${tokens.accessToken}` }, upstreamMs, signal);
    return this.#dpop.send(request.url, request.method, key, tokens.accessToken, 'resource-server', (proof) =>
      sendWithCredential(request, { authorization: `DPoP ${tokens.accessToken}`, dpop: proof }, upstreamMs, signal),
    );
  }
}
