import { VaultError, toVaultError } from '@tokenvault/protocol';
import type { Vault } from './createVault.js';
import { idTokenClaims } from './idTokenClaims.js';
import { sessionEndpoints, type SessionEndpoints } from './providerMetadata.js';
import { silentAuthorize } from './silentAuthorize.js';

/**
 * Options of {@link SessionMonitor}: the sign-in it watches and where the OP may answer a re-check.
 *
 * @see https://github.com/tokenvault/tokenvault/blob/main/docs/session-monitoring.md
 */
export interface SessionMonitorOptions {
  /** The vault: a re-check's code is redeemed through it, and it is cleared on sign-out. */
  vault: Pick<Vault, 'fetch' | 'logout'>;
  /** The OP's issuer identifier; `check_session_iframe` and the endpoints come from its discovery document. */
  issuer: string;
  /** The OAuth client the app signed in as: it goes into every check message (`client_id session_state`). */
  clientId: string;
  /** The `session_state` of the authorization response the app signed in with. */
  sessionState: string;
  /** The ID token of that sign-in: its `sub` is the user, and it goes as `id_token_hint` with every re-check. */
  idToken: string;
  /**
   * A page on this origin, registered as a redirect URI at the OP, that runs nothing (an empty HTML
   * page): the OP's answers to `prompt=none` re-checks land there and are read from its URL.
   */
  redirectUri: string;
  /** The scope of a re-check: the app's sign-in scope, so that the vault's new tokens can do what the old ones did. Default `openid`. */
  scope?: string;
  /** How often to ask the OP, in milliseconds. Default 3000. */
  intervalMs?: number;
  /** How long the check frame and a re-check may take, in milliseconds. Default 10 000. */
  timeoutMs?: number;
}

/** Where the monitor is: `paused` while the page is hidden, `rechecking` during a `prompt=none` re-check. */
export type SessionMonitorState = 'idle' | 'starting' | 'running' | 'paused' | 'rechecking' | 'stopped';

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
  /** The check failed (`TV_SESSION_CHECK_FAILED`): the monitor stopped, and does not retry. */
  error: CustomEvent<SessionErrorDetail>;
}

// The prompt=none errors that mean "no session the app can use without the user": sign out.
const SESSION_ENDED = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);
const ANSWERS = new Set(['changed', 'unchanged', 'error']);

function fail(fix: string): never {
  throw new VaultError('TV_INVALID_ARGUMENT', `new SessionMonitor(options): ${fix}`);
}

function wholeMs(value: unknown, field: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 3_600_000) fail(`options.${field} must be a whole number of milliseconds between ${min} and 3600000`);
  return value;
}

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
export class SessionMonitor extends EventTarget {
  readonly #vault: SessionMonitorOptions['vault'];
  readonly #issuer: string;
  readonly #clientId: string;
  readonly #redirectUri: string;
  readonly #scope: string;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  #sessionState: string;
  #idToken: string;
  #sub: string;
  #state: SessionMonitorState = 'idle';
  #endpoints: SessionEndpoints | null = null;
  #opOrigin = '';
  #frame: HTMLIFrameElement | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pending: ((answer: string | null) => void) | null = null;
  #justRenewed = false;
  #abort = new AbortController();

  constructor(options: SessionMonitorOptions) {
    super();
    if (typeof options !== 'object' || options === null) fail('options must be an object');
    const { vault, issuer, clientId, sessionState, idToken, redirectUri, scope } = options;
    if (typeof vault?.fetch !== 'function' || typeof vault.logout !== 'function') fail('options.vault must be the vault from createVault()');
    if (typeof issuer !== 'string' || !URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) fail('options.issuer must be the OP issuer URL');
    if (typeof clientId !== 'string' || clientId === '') fail('options.clientId must be the OAuth client_id');
    if (typeof sessionState !== 'string' || !/^[\x21-\x7e]{1,1024}$/.test(sessionState)) fail('options.sessionState must be the session_state of the authorization response');
    if (typeof redirectUri !== 'string' || !URL.canParse(redirectUri) || new URL(redirectUri).origin !== location.origin) {
      fail('options.redirectUri must be a page on this origin that runs nothing, registered at the OP');
    }
    if (scope !== undefined && (typeof scope !== 'string' || !scope.split(' ').includes('openid'))) fail('options.scope must be a scope string that includes openid');
    let sub: string;
    try {
      sub = idTokenClaims(idToken).sub;
    } catch {
      fail('options.idToken must be the ID token of the sign-in');
    }
    this.#vault = vault;
    this.#issuer = issuer;
    this.#clientId = clientId;
    this.#redirectUri = redirectUri;
    this.#scope = scope ?? 'openid';
    this.#intervalMs = wholeMs(options.intervalMs, 'intervalMs', 200, 3000);
    this.#timeoutMs = wholeMs(options.timeoutMs, 'timeoutMs', 1, 10_000);
    this.#sessionState = sessionState;
    this.#idToken = idToken;
    this.#sub = sub;
  }

  /** Where the monitor is now (see {@link SessionMonitorState}). */
  get state(): SessionMonitorState {
    return this.#state;
  }

  /** The session_state the monitor currently checks (it changes after `renewed`). */
  get sessionState(): string {
    return this.#sessionState;
  }

  /**
   * Reads the OP's discovery document, loads its check_session_iframe and starts checking.
   * Rejects (and raises `error`) with `TV_SESSION_CHECK_FAILED` when the OP has no
   * check_session_iframe or its frame does not load.
   */
  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new VaultError('TV_INVALID_ARGUMENT', 'SessionMonitor.start() can be called once');
    this.#state = 'starting';
    try {
      this.#endpoints = await sessionEndpoints(this.#issuer, this.#timeoutMs);
      await this.#mountFrame(this.#endpoints.check_session_iframe);
    } catch (err) {
      const error = toVaultError(err, 'TV_SESSION_CHECK_FAILED');
      this.#fail(error);
      throw error;
    }
    if (this.#state !== 'starting') return; // stopped meanwhile
    const { signal } = this.#abort;
    window.addEventListener('message', (event) => this.#receive(event), { signal });
    document.addEventListener('visibilitychange', () => this.#visibility(), { signal });
    this.#state = 'running';
    // At once: a logout that happened before this page loaded is caught by the first answer.
    this.#schedule(0);
  }

  /** Stops checking and removes the frame. Raises nothing; idempotent. */
  stop(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#abort.abort();
    clearTimeout(this.#timer);
    this.#pending?.(null);
    this.#frame?.remove();
    this.#frame = null;
  }

  #mountFrame(src: string): Promise<void> {
    this.#opOrigin = new URL(src).origin;
    const iframe = document.createElement('iframe');
    iframe.title = 'OP session check';
    iframe.hidden = true;
    iframe.tabIndex = -1;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.src = src;
    this.#frame = iframe;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new VaultError('TV_SESSION_CHECK_FAILED', `The OP's check_session_iframe did not load within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      // load also fires for a page the browser refused to frame; then the first check times out.
      iframe.addEventListener('load', () => (clearTimeout(timer), resolve()), { once: true });
      (document.body ?? document.documentElement).append(iframe);
    });
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    if (this.#state === 'stopped') return;
    if (document.visibilityState === 'hidden') {
      this.#state = 'paused';
      return;
    }
    this.#state = 'running';
    this.#timer = setTimeout(() => void this.#check(), delayMs);
  }

  #visibility(): void {
    if (document.visibilityState === 'hidden') {
      // Only a waiting timer is cancelled; a check or re-check under way finishes, then pauses.
      if (this.#state === 'running' && this.#pending === null) {
        clearTimeout(this.#timer);
        this.#state = 'paused';
      }
    } else if (this.#state === 'paused') {
      this.#schedule(0);
    }
  }

  #receive(event: MessageEvent): void {
    // The check frame's own window at the OP origin: a message from any other window or origin,
    // even one saying "changed", is not the OP's answer.
    if (this.#frame === null || event.source !== this.#frame.contentWindow || event.origin !== this.#opOrigin) return;
    if (typeof event.data !== 'string' || !ANSWERS.has(event.data)) return;
    this.#pending?.(event.data);
  }

  async #check(): Promise<void> {
    const target = this.#frame?.contentWindow;
    if (!target) return this.#fail(new VaultError('TV_SESSION_CHECK_FAILED', 'The check_session_iframe is gone'));
    const answer = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), this.#timeoutMs);
      this.#pending = (value) => (clearTimeout(timer), resolve(value));
      // Addressed to the OP origin only: if the frame was navigated elsewhere, nothing is delivered.
      target.postMessage(`${this.#clientId} ${this.#sessionState}`, this.#opOrigin);
    });
    this.#pending = null;
    if (this.#state === 'stopped') return;
    switch (answer) {
      case 'unchanged':
        this.#justRenewed = false;
        this.dispatchEvent(new Event('unchanged'));
        return this.#schedule(this.#intervalMs);
      case 'changed':
        if (this.#justRenewed) {
          // The session_state the OP itself just gave is already "changed": something is off
          // (origin, clock, cookie). Stop rather than re-check in a loop.
          return this.#fail(new VaultError('TV_SESSION_CHECK_FAILED', 'The OP reports a change right after a successful re-check'));
        }
        this.dispatchEvent(new Event('changed'));
        return this.#recheck();
      case 'error':
        return this.#fail(new VaultError('TV_SESSION_CHECK_FAILED', 'The check_session_iframe answered "error": it does not know this client, origin or session_state'));
      default:
        return this.#fail(new VaultError('TV_SESSION_CHECK_FAILED', `The check_session_iframe did not answer within ${this.#timeoutMs} ms`));
    }
  }

  async #recheck(): Promise<void> {
    this.#state = 'rechecking';
    const endpoints = this.#endpoints!;
    try {
      const { params, codeVerifier, nonce } = await silentAuthorize({
        authorizationEndpoint: endpoints.authorization_endpoint,
        clientId: this.#clientId,
        redirectUri: this.#redirectUri,
        scope: this.#scope,
        idTokenHint: this.#idToken,
        timeoutMs: this.#timeoutMs,
        signal: this.#abort.signal,
      });
      if (this.#stopped()) return;
      const iss = params.get('iss');
      if (iss !== null && iss !== this.#issuer) throw new VaultError('TV_SESSION_CHECK_FAILED', 'The prompt=none answer names another issuer');
      const error = params.get('error');
      if (error !== null) {
        if (SESSION_ENDED.has(error)) return await this.#signOut({ reason: 'session-ended', error });
        throw new VaultError('TV_SESSION_CHECK_FAILED', `The OP answered the prompt=none request with ${JSON.stringify(error)}`);
      }
      const code = params.get('code');
      const sessionState = params.get('session_state');
      if (!code || !sessionState || !/^[\x21-\x7e]{1,1024}$/.test(sessionState)) {
        throw new VaultError('TV_SESSION_CHECK_FAILED', 'The prompt=none answer lacks a code or a session_state');
      }
      const idToken = await this.#redeem(endpoints.token_endpoint, code, codeVerifier, nonce);
      if (this.#stopped()) return;
      if (idTokenClaims(idToken).sub !== this.#sub) return await this.#signOut({ reason: 'user-changed' });
      this.#sessionState = sessionState;
      this.#idToken = idToken;
      this.#justRenewed = true;
      this.dispatchEvent(new CustomEvent<RenewedDetail>('renewed', { detail: { sessionState, idToken } }));
      this.#schedule(this.#intervalMs);
    } catch (err) {
      this.#fail(toVaultError(err, 'TV_SESSION_CHECK_FAILED'));
    }
  }

  /** Redeems the code through the vault (the proxy keeps the tokens) and returns the checked ID token. */
  async #redeem(tokenEndpoint: string, code: string, codeVerifier: string, nonce: string): Promise<string> {
    const response = await this.#vault.fetch(tokenEndpoint, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.#redirectUri, code_verifier: codeVerifier, client_id: this.#clientId }),
    });
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (!response.ok) {
      throw new VaultError('TV_SESSION_CHECK_FAILED', `The re-check's token request failed (${response.status} ${typeof body?.error === 'string' ? body.error : ''})`.replace(' )', ')'));
    }
    const claims = idTokenClaims(body?.id_token);
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== this.#issuer || !audience.includes(this.#clientId) || claims.nonce !== nonce) {
      throw new VaultError('TV_SESSION_CHECK_FAILED', "The re-check's ID token has another issuer, audience or nonce");
    }
    return body!.id_token as string;
  }

  async #signOut(detail: SignedOutDetail): Promise<void> {
    this.stop();
    let failure: VaultError | null = null;
    try {
      // Only the vault: the OP session is gone or another user's, and navigating away is the app's call.
      await this.#vault.logout({ endSession: false });
    } catch (err) {
      failure = toVaultError(err);
    }
    this.dispatchEvent(new CustomEvent<SignedOutDetail>('signedOut', { detail }));
    if (failure) this.dispatchEvent(new CustomEvent<SessionErrorDetail>('error', { detail: { error: failure } }));
  }

  // A method, not a field comparison: the state changes under an await, which narrowing cannot see.
  #stopped(): boolean {
    return this.#state === 'stopped';
  }

  #fail(error: VaultError): void {
    if (this.#state === 'stopped') return;
    this.stop();
    this.dispatchEvent(new CustomEvent<SessionErrorDetail>('error', { detail: { error } }));
  }
}
