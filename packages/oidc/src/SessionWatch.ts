import { toVaultError, VaultError, type SessionUnwatchableReason } from '@tokenvault/protocol';
import { afterCheck } from './afterCheck.js';
import { readAuthorizationResponse, SESSION_ENDED_ERRORS } from './authorizationResponse.js';
import type { CheckSessionAnswer } from './checkSessionAnswer.js';
import { checkIdToken } from './checkIdToken.js';
import { idTokenClaims } from './idTokenClaims.js';
import { onSchedule, onVisibility } from './sessionSchedule.js';
import type { SilentAuthorizeResult } from './silentAuthorize.js';
import { whenSessionEnded, type GrantState } from './whenSessionEnded.js';

/** Where a watch is: `paused` while the page is hidden, `rechecking` during a `prompt=none` re-check. */
export type SessionWatchState = 'idle' | 'running' | 'paused' | 'rechecking' | 'stopped';

/** Why a watch signed out: the OP has no session any more (`session-ended`), or it answered for another user (`user-changed`). */
export interface SessionEndedDetail {
  /** `session-ended` or `user-changed`. */
  reason: 'session-ended' | 'user-changed';
  /** The OP's error code, for `session-ended` (`login_required`, …). */
  error?: string;
}

/**
 * A renewal's token response, redeemed and not kept: `keep` runs only once its ID token passed the
 * checks; `discard` when it did not (another user, a failed check).
 */
export interface Renewal {
  /** The token response's `id_token`. */
  idToken: unknown;
  /** Stores the renewal's tokens (nothing, where they are stored elsewhere already). */
  keep(): Promise<void>;
  /**
   * Ends the tokens of a renewal that is not kept (revokes them at the OP), where this side holds
   * them unkept; absent where they are stored already (the sign-out that follows ends them).
   */
  discard?(): Promise<void>;
}

/**
 * What the watch does through others: the frames (the OP's check_session_iframe and a `prompt=none`
 * frame), the token endpoint and the page's visibility. The app page (drop-in) and the proxy frame
 * (sealed) each give their own.
 */
export interface SessionWatchTransport {
  /** Asks the check_session_iframe once (`client_id session_state`); null when no answer came in time. */
  check(message: string): Promise<CheckSessionAnswer | null>;
  /** A `prompt=none` authorization request for the user of `idTokenHint`; its state already checked. */
  authorize(request: { idTokenHint: string; signal: AbortSignal }): Promise<SilentAuthorizeResult>;
  /** Redeems a renewal's code with its PKCE verifier, keeping nothing yet. */
  redeem(code: string, codeVerifier: string): Promise<Renewal>;
  /** Asks the OP whether the grant still holds (a refresh): `alive` or `dead`; throws when it says neither. */
  grant(): Promise<GrantState>;
  /** Whether the page is hidden now (the watch pauses). */
  hidden(): boolean;
  /** Called once when the watch stops (remove the frames, the listeners). */
  close?(): void;
}

/** What the watch tells. Each runs after the watch acted (stopped, kept the renewal). */
export interface SessionWatchEvents {
  /** The OP answered `unchanged`. */
  unchanged?(): void;
  /** The OP answered `changed`; a re-check follows. */
  changed?(): void;
  /** The re-check found the same user: the renewal is kept, the watch goes on with the new `session_state`. */
  renewed(detail: { sessionState: string; idToken: string }): void | Promise<void>;
  /** No session at the OP, or another user: the watch stopped; the caller clears the vault. */
  signedOut(detail: SessionEndedDetail): void | Promise<void>;
  /** The frames cannot see the OP's session while the OP honours the grant: the watch stopped; the tokens stay. */
  unwatchable(detail: { reason: SessionUnwatchableReason }): void;
  /** A check failed (`TV_SESSION_CHECK_FAILED`): the watch stopped and does not retry. */
  error(error: VaultError): void;
}

/** The sign-in a watch follows. */
export interface SessionWatchOptions {
  /** The OP's issuer identifier: a re-check's response and ID token must name it. */
  issuer: string;
  /** The OP advertises `iss` in its authorization responses (RFC 9207): a re-check's response without it is refused. */
  issRequired: boolean;
  /** The OAuth client of the sign-in. */
  clientId: string;
  /** The `session_state` of the sign-in's authorization response. */
  sessionState: string;
  /** The sign-in's ID token: its `sub` is the user, and it is the re-check's `id_token_hint`. */
  idToken: string;
  /** How often to ask the OP, in milliseconds. */
  intervalMs: number;
  /** How long a check may take (for the messages; the transport keeps the time). */
  timeoutMs: number;
}

const FAILED = 'TV_SESSION_CHECK_FAILED';

/**
 * OpenID Connect Session Management's loop, without a page: asks the check_session_iframe
 * `client_id + " " + session_state` every `intervalMs`; on `changed` it re-checks with
 * `prompt=none`. The re-check's response is read (issuer first) and its code redeemed, and its ID
 * token checked (issuer, audience, azp, nonce, expiry) BEFORE anything of it is kept: the same
 * user keeps it (`renewed`), another user signs out (`user-changed`) with nothing kept, no session
 * signs out (`session-ended`). A re-check that says "no session" for a session whose check frame
 * never answered `unchanged` may come from frames that cannot see the OP's cookies: the OP's word
 * on the grant decides (whenSessionEnded) between a sign-out and `unwatchable`. Any failure raises
 * `error` and stops: it never loops on `prompt=none`.
 *
 * The frames and the token endpoint are the transport's, so that the app page (drop-in) and the
 * proxy frame (sealed) run the same loop (see startSessionWatch).
 *
 * @example
 * ```ts
 * const watch = new SessionWatch(options, transport, { renewed, signedOut, unwatchable, error })
 * watch.start()
 * document.addEventListener('visibilitychange', () => watch.visibilityChanged())
 * ```
 * @see https://openid.net/specs/openid-connect-session-1_0.html#RPiframe
 */
export class SessionWatch {
  readonly #o: SessionWatchOptions;
  readonly #t: SessionWatchTransport;
  readonly #on: SessionWatchEvents;
  readonly #sub: string;
  #sessionState: string;
  #idToken: string;
  #state: SessionWatchState = 'idle';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #asking = false;
  #justRenewed = false;
  /** The check frame answered `unchanged` once: it can see the OP's cookies. */
  #seenUnchanged = false;
  readonly #abort = new AbortController();

  /** Throws `TV_SESSION_CHECK_FAILED` when `options.idToken` is no ID token. */
  constructor(options: SessionWatchOptions, transport: SessionWatchTransport, events: SessionWatchEvents) {
    this.#o = options;
    this.#t = transport;
    this.#on = events;
    this.#sub = idTokenClaims(options.idToken, FAILED).sub;
    this.#sessionState = options.sessionState;
    this.#idToken = options.idToken;
  }

  /** Where the watch is (see {@link SessionWatchState}). */
  get state(): SessionWatchState {
    return this.#state;
  }

  /** The `session_state` the watch checks now (it changes after `renewed`). */
  get sessionState(): string {
    return this.#sessionState;
  }

  /** Starts checking, at once: a sign-out that happened before this page loaded is caught by the first answer. */
  start(): void {
    if (this.#state !== 'idle') throw new VaultError('TV_INVALID_ARGUMENT', { why: 'watchStartsOnce' });
    this.#state = 'running';
    this.#schedule(0);
  }

  /** Stops checking and closes the transport. Raises nothing; idempotent. */
  stop(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#abort.abort();
    clearTimeout(this.#timer);
    this.#t.close?.();
  }

  /** The page's visibility changed: hidden, the next check waits; visible again, it runs at once. */
  visibilityChanged(): void {
    const step = onVisibility(this.#state, this.#t.hidden(), this.#asking);
    if (step === 'pause') {
      clearTimeout(this.#timer);
      this.#state = 'paused';
    } else if (step === 'resume') {
      this.#schedule(0);
    }
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#state = onSchedule(this.#state, this.#t.hidden());
    if (this.#state === 'running') this.#timer = setTimeout(() => void this.#check(), delayMs);
  }

  // A method, not a field comparison: the state changes under an await, which narrowing cannot see.
  #stopped(): boolean {
    return this.#state === 'stopped';
  }

  async #check(): Promise<void> {
    let answer;
    this.#asking = true;
    try {
      answer = await this.#t.check(`${this.#o.clientId} ${this.#sessionState}`);
    } catch (err) {
      this.#fail(err);
      return;
    } finally {
      this.#asking = false;
    }
    if (this.#stopped()) return;
    const step = afterCheck(answer, this.#justRenewed, this.#o.timeoutMs);
    if (typeof step === 'object') {
      this.#fail(new VaultError(FAILED, step.fail));
      return;
    }
    if (step === 'recheck') {
      this.#on.changed?.();
      await this.#recheck();
      return;
    }
    this.#justRenewed = false;
    this.#seenUnchanged = true;
    this.#on.unchanged?.();
    this.#schedule(this.#o.intervalMs);
  }

  async #recheck(): Promise<void> {
    this.#state = 'rechecking';
    const { issuer, issRequired, clientId } = this.#o;
    try {
      const { params, codeVerifier, nonce } = await this.#t.authorize({ idTokenHint: this.#idToken, signal: this.#abort.signal });
      if (this.#stopped()) return;
      const answer = readAuthorizationResponse(params, { issuer, issRequired }, FAILED);
      if ('error' in answer) {
        if (!SESSION_ENDED_ERRORS.has(answer.error)) throw new VaultError(FAILED, { why: 'promptNoneError', error: answer.error });
        const step = await whenSessionEnded(this.#seenUnchanged, () => this.#t.grant());
        if (this.#stopped()) return;
        if (step === 'blind') {
          this.stop();
          this.#on.unwatchable({ reason: 'op-cookies-not-visible' });
          return;
        }
        await this.#signOut({ reason: 'session-ended', error: answer.error });
        return;
      }
      const { code, sessionState } = answer;
      if (sessionState === null) throw new VaultError(FAILED, { why: 'noSessionState' });
      const renewal = await this.#t.redeem(code, codeVerifier);
      if (this.#stopped()) return;
      // Checked before anything of the renewal is kept: a token that fails throws, another user signs
      // out. Either way the renewal's tokens are ended, not just dropped.
      let checked: ReturnType<typeof checkIdToken>;
      try {
        checked = checkIdToken(renewal.idToken, { issuer, clientId, nonce, sub: this.#sub }, FAILED);
      } catch (err) {
        await renewal.discard?.().catch(() => {});
        throw err;
      }
      const { idToken, sameUser } = checked;
      if (!sameUser) {
        await renewal.discard?.().catch(() => {});
        await this.#signOut({ reason: 'user-changed' });
        return;
      }
      await renewal.keep();
      if (this.#stopped()) return;
      this.#sessionState = sessionState;
      this.#idToken = idToken;
      this.#justRenewed = true;
      await this.#on.renewed({ sessionState, idToken });
      this.#schedule(this.#o.intervalMs);
    } catch (err) {
      this.#fail(err);
    }
  }

  async #signOut(detail: SessionEndedDetail): Promise<void> {
    this.stop();
    await this.#on.signedOut(detail);
  }

  #fail(err: unknown): void {
    if (this.#stopped()) return;
    this.stop();
    this.#on.error(toVaultError(err, FAILED));
  }
}
