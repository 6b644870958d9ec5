import {
  REDACTED,
  VaultError,
  forwardedResponseHeaders,
  parseRequestUrl,
  redactTokenResponse,
  ruleMatches,
  type NormalizedRule,
  type ResolvedProxyConfig,
  type SerializedRequest,
} from '@tokenvault/protocol';
import { discover, type ProviderMetadata } from './discover.js';
import { HostSession } from './HostSession.js';
import { TokenStore, type TokenSet } from './TokenStore.js';
import { sendWithCredential } from './sendWithCredential.js';
import { upstreamFetch } from './upstream.js';

// Long messages are for development: the proxy ships built for production and keeps the codes.
const dev = process.env.NODE_ENV !== 'production';

/** What the proxy tells every connected page. */
export type VaultEvent = 'signed-in' | 'renewed' | 'signed-out' | 'error';

/** Details of an event: why a `signed-out`, which error. */
export interface VaultEventDetail {
  reason?: string;
  error?: VaultError;
}

type Notice = { type: 'changed' } | { type: 'signed-out'; reason?: string };

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** The token set in a successful token response; keeps the refresh and ID tokens a refresh did not replace. */
function toTokenSet(json: unknown, previous: TokenSet | null): TokenSet {
  if (typeof json !== 'object' || json === null) throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The token response is not a JSON object' : '');
  const r = json as Record<string, unknown>;
  if (typeof r.access_token !== 'string' || r.access_token === '' || r.access_token === REDACTED) {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The token response has no access_token' : '');
  }
  if (typeof r.token_type !== 'string' || r.token_type.toLowerCase() !== 'bearer') {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The token response has no token_type "Bearer"' : '');
  }
  const expiresIn = r.expires_in;
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0)) {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The token response has an invalid expires_in' : '');
  }
  const text = (value: unknown, fallback: string | null): string | null => (typeof value === 'string' && value !== '' ? value : fallback);
  return {
    accessToken: r.access_token,
    tokenType: r.token_type,
    refreshToken: text(r.refresh_token, previous?.refreshToken ?? null),
    idToken: text(r.id_token, previous?.idToken ?? null),
    scope: text(r.scope, previous?.scope ?? null),
    expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : null,
  };
}

function header(request: SerializedRequest, name: string): string | undefined {
  return request.headers.find(([key]) => key.toLowerCase() === name)?.[1];
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

  constructor(config: ResolvedProxyConfig, store = new TokenStore()) {
    this.config = config;
    this.#store = store;
    this.hostSession = new HostSession(config);
    // Every tab has its own proxy frame, each with a cache of the tokens: tell the others.
    this.#channel = new BroadcastChannel('tokenvault');
    this.#channel.onmessage = (event: MessageEvent<Notice>) => {
      this.#store.invalidate();
      if (event.data?.type === 'signed-out') this.onEvent('signed-out', { reason: event.data.reason ?? 'logout' });
    };
  }

  /** The OP's metadata, fetched once; a failure is retried on the next call. */
  metadata(): Promise<ProviderMetadata> {
    this.#metadata ??= discover(this.config.issuer, this.config.timeouts.upstreamMs).catch((err: unknown) => {
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
    const tokenEndpoint = new URL(metadata.token_endpoint);
    if (url.origin === tokenEndpoint.origin && url.pathname === tokenEndpoint.pathname && url.search === tokenEndpoint.search) {
      if (request.method !== 'POST') throw new VaultError('TV_INVALID_REQUEST', dev ? 'Token requests must be POST' : '');
      return this.#tokenRequest(request, metadata);
    }
    const rule = this.config.rules.find((candidate) => ruleMatches(candidate, url, request.method));
    if (!rule) throw new VaultError('TV_URL_NOT_ALLOWED', dev ? `${url.origin}${url.pathname} matches none of the vault rules` : '');
    return this.#protectedRequest(rule, request, signal);
  }

  async status(): Promise<{ signedIn: boolean; expiresAt: number | null }> {
    const tokens = await this.#store.get();
    return { signedIn: tokens !== null, expiresAt: tokens?.expiresAt ?? null };
  }

  /**
   * Revokes the refresh and access tokens at the OP (RFC 7009) and clears the store, in every tab.
   * The store is cleared even when revocation fails: the tokens are gone from this browser either way.
   * Returns the OP's end-session URL (RP-Initiated Logout) for the page to navigate to, with the ID
   * token as `id_token_hint`: only a top-level navigation can end the OP's session.
   *
   * @see https://www.rfc-editor.org/rfc/rfc7009
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
   */
  async logout(postLogoutRedirectUri?: string, reason = 'logout'): Promise<{ endSessionUrl?: string }> {
    return this.#exclusive(async () => {
      this.#store.invalidate();
      const tokens = await this.#store.get();
      const metadata = await this.metadata().catch(() => null);
      const endpoint = metadata?.revocation_endpoint;
      if (tokens && endpoint) {
        const revoke = (token: string, hint: string): Promise<unknown> =>
          upstreamFetch(
            endpoint,
            {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ token, token_type_hint: hint, client_id: this.config.clientId }),
            },
            this.config.timeouts.upstreamMs,
          ).catch(() => undefined);
        // The refresh token first: revoking it also ends the grant behind the access token.
        if (tokens.refreshToken) await revoke(tokens.refreshToken, 'refresh_token');
        await revoke(tokens.accessToken, 'access_token');
      }
      await this.#signOut(reason);
      if (!metadata?.end_session_endpoint) return {};
      const url = new URL(metadata.end_session_endpoint);
      url.searchParams.set('client_id', this.config.clientId);
      if (tokens?.idToken) url.searchParams.set('id_token_hint', tokens.idToken);
      if (postLogoutRedirectUri !== undefined) url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
      return { endSessionUrl: url.href };
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

  async #signOut(reason = 'logout'): Promise<void> {
    await this.#store.clear();
    this.#channel.postMessage({ type: 'signed-out', reason } satisfies Notice);
    this.onEvent('signed-out', { reason });
  }

  /**
   * Sealed mode: redeems the code of the proxy's own authorization request at the token endpoint,
   * lets `verify` check the token response (the ID token's issuer, audience and nonce) before
   * anything is stored, then stores the tokens. `event` is what the pages are told.
   */
  async redeemCode(params: URLSearchParams, verify: (json: Record<string, unknown>) => void, event: 'signed-in' | 'renewed' = 'signed-in'): Promise<void> {
    const { token_endpoint } = await this.metadata();
    const response = await this.#postToken(token_endpoint, params);
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
    const tokens = toTokenSet(json, null);
    await this.#exclusive(async () => this.#save(tokens));
    this.onEvent(event);
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

  async #postToken(endpoint: string, params: URLSearchParams): Promise<Response> {
    return upstreamFetch(
      endpoint,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: params },
      this.config.timeouts.upstreamMs,
    );
  }

  /** A successful token response: stored, and answered to the app with the credentials redacted. */
  async #acceptTokens(response: Response, previous: TokenSet | null): Promise<Response> {
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      throw new VaultError('TV_INVALID_TOKEN_RESPONSE', dev ? 'The token response is not JSON' : '', { cause });
    }
    await this.#save(toTokenSet(json, previous));
    return new Response(JSON.stringify(redactTokenResponse(json as Record<string, unknown>, this.config.redact)), {
      status: response.status,
      statusText: response.statusText,
      headers: JSON_HEADERS,
    });
  }

  async #tokenRequest(request: SerializedRequest, metadata: ProviderMetadata): Promise<Response> {
    if (!header(request, 'content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new VaultError('TV_INVALID_REQUEST', dev ? 'Token requests must be application/x-www-form-urlencoded' : '');
    }
    const params = new URLSearchParams(new TextDecoder().decode(request.body ?? new ArrayBuffer(0)));
    const grantType = params.get('grant_type');
    if (grantType === 'authorization_code') {
      if (this.config.mode === 'sealed') {
        throw new VaultError('TV_SEALED_MODE', dev ? 'In sealed mode the vault redeems only the codes of its own sign-ins (vault.signIn())' : '');
      }
      const response = await this.#postToken(metadata.token_endpoint, params);
      if (!response.ok) return new Response(response.body, { status: response.status, statusText: response.statusText, headers: forwardedResponseHeaders(response.headers) });
      const result = await this.#exclusive(async () => this.#acceptTokens(response, null));
      this.onEvent('signed-in');
      return result;
    }
    if (grantType === 'refresh_token') {
      if (params.getAll('refresh_token').length !== 1 || params.get('refresh_token') !== REDACTED) {
        throw new VaultError('TV_INVALID_REQUEST', dev ? `A refresh grant through the vault must send refresh_token=${REDACTED}` : '');
      }
      return this.#exclusive(async () => {
        this.#store.invalidate();
        const current = await this.#store.get();
        if (!current?.refreshToken) throw new VaultError('TV_NOT_SIGNED_IN', dev ? 'The vault holds no refresh token' : '');
        // The credential goes into this one parameter and nowhere else.
        params.set('refresh_token', current.refreshToken);
        const response = await this.#postToken(metadata.token_endpoint, params);
        if (!response.ok) {
          if (response.status === 400 || response.status === 401) await this.#signOut('refresh-failed');
          return new Response(response.body, { status: response.status, statusText: response.statusText, headers: forwardedResponseHeaders(response.headers) });
        }
        return this.#acceptTokens(response, current);
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
      const current = await this.#store.get();
      if (!current) throw new VaultError('TV_NOT_SIGNED_IN');
      if (current.accessToken !== used && !this.#expiring(current)) return current;
      if (!current.refreshToken) {
        await this.#signOut('refresh-failed');
        throw new VaultError('TV_REFRESH_FAILED', dev ? 'The access token expired and the vault holds no refresh token' : '');
      }
      const { token_endpoint } = await this.metadata();
      const response = await this.#postToken(
        token_endpoint,
        new URLSearchParams({ grant_type: 'refresh_token', refresh_token: current.refreshToken, client_id: this.config.clientId }),
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
      const next = toTokenSet(json, current);
      await this.#save(next);
      return next;
    });
  }

  async #protectedRequest(rule: NormalizedRule, request: SerializedRequest, signal?: AbortSignal): Promise<Response> {
    if (rule.credential === 'host_session') return this.hostSession.send(request, signal);
    let tokens = await this.#store.get();
    if (!tokens) throw new VaultError('TV_NOT_SIGNED_IN');
    if (this.#expiring(tokens)) tokens = await this.refresh(tokens.accessToken);
    let response = await this.#send(request, tokens.accessToken, signal);
    if (response.status === 401) {
      // Once: the token may have been revoked or rotated under us. A second 401 is the API's answer.
      await response.body?.cancel();
      tokens = await this.refresh(tokens.accessToken);
      response = await this.#send(request, tokens.accessToken, signal);
    }
    return response;
  }

  #send(request: SerializedRequest, accessToken: string, signal?: AbortSignal): Promise<Response> {
    return sendWithCredential(request, 'authorization', `Bearer ${accessToken}`, this.config.timeouts.upstreamMs, signal);
  }
}
