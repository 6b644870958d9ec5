import { VaultError, toVaultError, type SessionUnwatchableReason } from '@tokenvault/protocol';
import { startSessionWatch, type GrantState, type Renewal, type SessionWatch, type SessionWatchState } from '@tokenvault/oidc';
import { sessionEndpoints } from './providerMetadata.js';
import { sessionMonitorOptions, type SessionMonitorSettings } from './sessionMonitorOptions.js';
import type { SessionMonitorOptions } from './sessionMonitorOptions.js';

export type { SessionMonitorOptions } from './sessionMonitorOptions.js';

/** Where the monitor is: `paused` while the page is hidden, `rechecking` during a `prompt=none` re-check. */
export type SessionMonitorState = SessionWatchState | 'starting';

/** `session-ended`: the OP has no session for this user any more (logout, expiry, or another user signed in). `user-changed`: the OP issued a code for another user. */
export interface SignedOutDetail {
  /** Why the monitor signed out: the OP session ended, or the OP answered for another user. */
  reason: 'session-ended' | 'user-changed';
  /** The OP's error code, for `session-ended` (`login_required`, …). */
  error?: string;
}

/** What a `renewed` event carries: the session after a re-check found the same user. */
export interface RenewedDetail {
  /** The re-check's `session_state`, which the monitor checks with from now on. */
  sessionState: string;
  /** The ID token of the re-check (the app may keep it as its new one). */
  idToken: string;
}

/** What an `unwatchable` event carries. */
export interface UnwatchableDetail {
  /** Why the monitor cannot watch the session from here (see {@link SessionUnwatchableReason}). */
  reason: SessionUnwatchableReason;
}

/** What an `error` event carries. */
export interface SessionErrorDetail {
  /** `TV_SESSION_CHECK_FAILED`, its message saying what failed. */
  error: VaultError;
}

/**
 * The events {@link SessionMonitor} fires, by name.
 *
 * @see https://openid.net/specs/openid-connect-session-1_0.html#RPiframe
 */
export interface SessionMonitorEventMap {
  /** The OP answered `unchanged`. */
  unchanged: Event;
  /** The OP answered `changed`; a `prompt=none` re-check follows. */
  changed: Event;
  /** The re-check found the same user: new tokens are in the vault, monitoring goes on with the new session_state. */
  renewed: CustomEvent<RenewedDetail>;
  /** The re-check found no session or another user: the vault has been cleared and the monitor stopped. */
  signedOut: CustomEvent<SignedOutDetail>;
  /**
   * The frames cannot see the OP's session from this page (its cookies are blocked or partitioned
   * here) while the OP still honours the refresh token: the monitor stopped, the vault keeps the
   * tokens. A sign-out at the OP is then learned when it refuses a refresh.
   */
  unwatchable: CustomEvent<UnwatchableDetail>;
  /** The check failed (`TV_SESSION_CHECK_FAILED`): the monitor stopped, and does not retry. */
  error: CustomEvent<SessionErrorDetail>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- only retypes EventTarget's own methods, which the class inherits
export interface SessionMonitor {
  /** Listens for one of the monitor's events, typed by {@link SessionMonitorEventMap}. */
  addEventListener<K extends keyof SessionMonitorEventMap>(type: K, listener: (event: SessionMonitorEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  /** Listens for any event, as EventTarget does. */
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  /** Stops listening for one of the monitor's events. */
  removeEventListener<K extends keyof SessionMonitorEventMap>(type: K, listener: (event: SessionMonitorEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  /** Stops listening, as EventTarget does. */
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * OpenID Connect Session Management on the app page: loads the OP's `check_session_iframe` hidden,
 * asks it `client_id + " " + session_state` every `intervalMs` and raises typed events. On
 * `changed` it re-checks with `prompt=none` (the code is redeemed through the vault, so new tokens
 * land in the proxy): the same user gives `renewed`, no session or another user gives `signedOut`
 * after the vault is cleared. On any failure it raises `error` and stops; it never loops on
 * `prompt=none`. It pauses while the page is hidden.
 *
 * Frames that cannot see the OP's cookies (an OP on another site, third-party cookies blocked or
 * partitioned) answer as a signed-out OP would. Before a first sign-out of a session it never saw
 * `unchanged`, the monitor asks the OP about the grant with a refresh through the vault: honoured,
 * it raises `unwatchable` and stops, the vault keeps the tokens (see whenSessionEnded).
 *
 * Only answers from the check frame's own window at the OP's origin count.
 *
 * @example
 * ```ts
 * const monitor = new SessionMonitor({
 *   vault, issuer: 'https://op.example.com', clientId: 'spa',
 *   sessionState: callbackParams.get('session_state')!, idToken: tokens.id_token,
 *   redirectUri: `${location.origin}/silent-callback.html`, scope: 'openid profile api',
 * })
 * monitor.addEventListener('signedOut', () => showSignIn())
 * await monitor.start()
 * ```
 * @see https://openid.net/specs/openid-connect-session-1_0.html#RPiframe
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class SessionMonitor extends EventTarget {
  readonly #o: SessionMonitorSettings;
  #state: 'idle' | 'starting' | 'started' | 'stopped' = 'idle';
  #watch: SessionWatch | null = null;
  readonly #abort = new AbortController();

  constructor(options: SessionMonitorOptions) {
    super();
    this.#o = sessionMonitorOptions(options, location.origin);
  }

  /** Where the monitor is now (see {@link SessionMonitorState}). */
  get state(): SessionMonitorState {
    if (this.#state === 'started') return this.#watch?.state ?? 'stopped';
    return this.#state;
  }

  /** The session_state the monitor currently checks (it changes after `renewed`). */
  get sessionState(): string {
    return this.#watch?.sessionState ?? this.#o.sessionState;
  }

  /**
   * Reads the OP's discovery document, loads its check_session_iframe and starts checking.
   * Rejects (and raises `error`) with `TV_SESSION_CHECK_FAILED` when the OP has no
   * check_session_iframe or its frame does not load.
   */
  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new VaultError('TV_INVALID_ARGUMENT', { why: 'monitorStartedTwice' });
    this.#state = 'starting';
    const { issuer, clientId, sessionState, idToken, redirectUri, scope, intervalMs, timeoutMs } = this.#o;
    try {
      const endpoints = await sessionEndpoints(issuer, timeoutMs);
      this.#watch = await startSessionWatch(
        {
          issuer,
          issRequired: endpoints.issRequired,
          clientId,
          sessionState,
          idToken,
          intervalMs,
          timeoutMs,
          checkSessionIframe: endpoints.check_session_iframe,
          authorizationEndpoint: endpoints.authorization_endpoint,
          redirectUri,
          scope,
          redeem: (code, codeVerifier) => this.#redeem(endpoints.token_endpoint, code, codeVerifier),
          grant: () => this.#grant(endpoints.token_endpoint),
        },
        {
          unchanged: () => this.dispatchEvent(new Event('unchanged')),
          changed: () => this.dispatchEvent(new Event('changed')),
          renewed: (detail) => {
            this.dispatchEvent(new CustomEvent<RenewedDetail>('renewed', { detail }));
          },
          signedOut: (detail) => this.#signedOut(detail),
          unwatchable: (detail) => {
            this.#state = 'stopped';
            this.dispatchEvent(new CustomEvent<UnwatchableDetail>('unwatchable', { detail }));
          },
          error: (error) => {
            this.#fail(error);
          },
        },
        this.#abort.signal,
      );
    } catch (err) {
      const error = toVaultError(err, 'TV_SESSION_CHECK_FAILED');
      this.#fail(error);
      throw error;
    }
    if (!this.#stopped()) this.#state = 'started';
  }

  // A method, not a field comparison: the state changes under an await, which narrowing cannot see.
  #stopped(): boolean {
    return this.#state === 'stopped';
  }

  /** Stops checking and removes the frame. Raises nothing; idempotent. */
  stop(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#abort.abort();
    this.#watch?.stop();
  }

  /**
   * Redeems a re-check's code through the vault. In drop-in mode the proxy keeps the tokens of a
   * code exchange the app makes, so there is nothing more to keep here; the ID token is checked by
   * the watch before `renewed`.
   */
  async #redeem(tokenEndpoint: string, code: string, codeVerifier: string): Promise<Renewal> {
    const { clientId, redirectUri } = this.#o;
    const response = await this.#o.vault.fetch(tokenEndpoint, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier, client_id: clientId }),
    });
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (!response.ok) {
      throw new VaultError(
        'TV_SESSION_CHECK_FAILED',
        `The re-check's token request failed (${response.status} ${typeof body?.error === 'string' ? body.error : ''})`.replace(' )', ')'),
      );
    }
    return { idToken: body?.id_token, keep: async () => {} };
  }

  /**
   * Asks the OP whether the vault's grant still holds: a refresh grant through the vault (which
   * puts in the refresh token it holds). A refusal (400, 401) is `dead`; anything else that is
   * not a success (a 5xx, no answer) throws: it says nothing about the session.
   */
  async #grant(tokenEndpoint: string): Promise<GrantState> {
    const response = await this.#o.vault.fetch(tokenEndpoint, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'REDACTED', client_id: this.#o.clientId }),
    });
    await response.body?.cancel();
    if (response.ok) return 'alive';
    if (response.status === 400 || response.status === 401) return 'dead';
    throw new VaultError('TV_SESSION_CHECK_FAILED', { why: 'grantCheckStatus', status: response.status });
  }

  async #signedOut(detail: SignedOutDetail): Promise<void> {
    this.#state = 'stopped';
    let failure: VaultError | null = null;
    try {
      // Only the vault: the OP session is gone or another user's, and navigating away is the app's call.
      await this.#o.vault.logout({ endSession: false });
    } catch (err) {
      failure = toVaultError(err);
    }
    this.dispatchEvent(new CustomEvent<SignedOutDetail>('signedOut', { detail }));
    if (failure) this.dispatchEvent(new CustomEvent<SessionErrorDetail>('error', { detail: { error: failure } }));
  }

  #fail(error: VaultError): void {
    if (this.#state === 'stopped') return;
    this.stop();
    this.dispatchEvent(new CustomEvent<SessionErrorDetail>('error', { detail: { error } }));
  }
}
