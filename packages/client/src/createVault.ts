import {
  PAGE_REPLIES,
  ProxyPort,
  VaultError,
  dev,
  errorResponse,
  serializeRequest,
  toVaultError,
  type ApiTokenStatus,
  type EventMessage,
  type RevocationAnswer,
  type RevocationOutcome,
  type SessionUnwatchableReason,
} from '@tokenvault/protocol';
import { DEFAULT_TIMEOUTS, type Timeouts } from '@tokenvault/config';
import type { AccountCalls } from './accountCalls.js';
import { onceMarks } from './onceMarks.js';
import { invalidOption } from './invalidOption.js';
import { lazyChunk } from './lazyChunk.js';
import { openSignInWindow } from './openSignInWindow.js';
import type { SignInOptions } from './signIn.js';
import { signInFlow } from './signInFlow.js';
import { takeSignInError } from './takeSignInError.js';
import { proxyFrame } from './ProxyFrame.js';
import { hostSessionSignal, registerVaultInternals } from './vaultInternals.js';
import { watchEndSession } from './watchEndSession.js';
import { workerLink, type UncontrolledPolicy } from './WorkerLink.js';

const VERSION_MARK = 'tokenvault:reloaded-for-version';

/** Options of `vault.logout()`. */
export interface LogoutOptions {
  /**
   * End the OP's session too, by navigating to its end_session_endpoint (RP-Initiated Logout) with
   * the ID token as hint. Default true; the page is then navigated away.
   */
  endSession?: boolean;
  /** Where the OP sends the browser back to; must be registered with the OP for this client. */
  postLogoutRedirectUri?: string;
}

/**
 * Options of {@link createVault}. With the Vite plugin, `vaultOptions` from
 * `virtual:tokenvault/config` fills them in from `tokenvault.config.ts`.
 *
 * @example
 * const vault = createVault({ proxyUrl: 'https://proxy.example.com/', serviceWorkerUrl: '/sw.js' });
 * @see https://github.com/tokenvault/tokenvault/blob/main/docs/configuration.md
 */
export interface VaultOptions {
  /** The proxy page, on the proxy origin (for example `https://proxy.example.com/`). */
  proxyUrl: string | URL;
  /** The interceptor worker script, on the app origin. Default `/sw.js`. */
  serviceWorkerUrl?: string;
  /** The worker's scope. Default: the directory of the worker script. */
  scope?: string;
  /**
   * A page the worker does not control (after Shift+Reload) is claimed first; if that fails,
   * `'reload'` (default) reloads it once, `'fail'` rejects `ready` with `TV_NOT_CONTROLLED`.
   */
  uncontrolled?: UncontrolledPolicy;
  /** How long to wait for the proxy frame and the worker channel, and for an upstream's response head. Default: 10 s and 30 s. */
  timeouts?: Timeouts;
}

/** What `vault.logout()` did. Never contains a token. */
export interface LogoutResult {
  /**
   * What became of the revocation at the OP (RFC 7009): `revoked`, `nothing-to-revoke`,
   * `no-endpoint` (the OP has no revocation_endpoint: the tokens stay valid there until they
   * expire), `refused` (see `revocationStatus`) or `failed` (no answer). The vault is cleared in
   * every case; on `refused` and `failed` it also fires `revocation-failed`.
   */
  revocation: RevocationOutcome;
  /** The HTTP status the OP refused the revocation with. */
  revocationStatus?: number;
  /**
   * Each revocation request (refresh token first) and the status it got; null where no answer
   * could be read. An OP that cannot revoke a JWT access token answers it 400: that token stays
   * valid until it expires.
   */
  revocations: RevocationAnswer[];
  /** False when the proxy's storage (IndexedDB) could not be cleared; the proxy forgot the tokens in memory. */
  storageCleared: boolean;
}

/** The vault state the proxy reports. Never contains a token. */
export interface VaultStatus {
  /** Whether the proxy holds tokens. */
  signedIn: boolean;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number | null;
  /**
   * The APIs (rules with `resource` or `audience`, RFC 8707) the vault holds a token of their own
   * for, with when each expires; never a token. An API gets its token at its first request.
   */
  apis: ApiTokenStatus[];
}

/**
 * The vault's events (besides `control`, a CustomEvent with `detail.action`): `signed-out` says
 * why, `error` carries the typed error, `host-session` says that the proxy now holds the host
 * page's session ID (never what it is).
 */
export interface VaultEventMap {
  /** `vault.ready` resolved: the page is controlled and the proxy answered. */
  ready: Event;
  /** The vault holds tokens from a sign-in (in this tab or another). */
  'signed-in': CustomEvent<Record<string, never>>;
  /** A silent renewal (prompt=none) put new tokens in the vault. */
  renewed: CustomEvent<Record<string, never>>;
  /** `reason`: `logout` (in this tab or another), `refresh-failed`, `session-ended`, `user-changed`, `key-lost` (DPoP: the browser lost the key the tokens are bound to). */
  'signed-out': CustomEvent<{
    /** Why: `logout`, `refresh-failed`, `session-ended`, `user-changed` or `key-lost`. */
    reason: string;
  }>;
  /** A sign-in or renewal failed (`TV_INVALID_STATE`, `TV_SIGN_IN_FAILED`, `TV_ORIGIN_REJECTED`, …). */
  error: CustomEvent<{
    /** The typed error; switch on its `code`. */
    error: VaultError;
  }>;
  /** A logout's revocation was refused or failed: the tokens may still be valid at the OP (see LogoutResult). */
  'revocation-failed': CustomEvent<Record<string, never>>;
  /** The proxy holds the host page's session ID (once per vault). */
  'host-session': CustomEvent<Record<string, never>>;
  /**
   * Sealed mode: the session watch stopped because it cannot see the OP's session from here
   * (`reason`); the user stays signed in, the tokens are refreshed, and a sign-out at the OP is
   * learned when the OP refuses a refresh (`signed-out` with `refresh-failed`).
   */
  'session-unwatchable': CustomEvent<{
    /** Why the watch is blind: `op-cookies-not-visible`. */
    reason: SessionUnwatchableReason;
  }>;
}

/**
 * The vault {@link createVault} returns: an EventTarget (see {@link VaultEventMap}) through which
 * the app signs in and out and asks for the state, and whose proxy performs the app's token and
 * API requests. It never hands out a token.
 *
 * @example
 * const vault = createVault(vaultOptions);
 * await vault.ready;
 * vault.addEventListener('signed-out', (event) => showSignIn((event as CustomEvent<{ reason: string }>).detail.reason));
 * const { signedIn } = await vault.status();
 * @see https://github.com/tokenvault/tokenvault/blob/main/docs/how-it-behaves.md
 */
export interface Vault extends EventTarget {
  /**
   * Sealed mode: signs the user in, the vault being the OAuth client. The proxy origin builds the
   * authorization request, receives the code on its own redirect URI and redeems it; this page
   * never sees a code, verifier, state, nonce or token. Validates `options` first
   * (`TV_INVALID_ARGUMENT`). The redirect flow navigates this tab away (the promise never settles;
   * the page comes back to `returnTo`); the popup flow settles on its own sign-in's outcome only:
   * it resolves once that sign-in's tokens are kept and rejects with its typed error
   * (`TV_INVALID_STATE`, `TV_SIGN_IN_FAILED`; `TV_SIGN_IN_CANCELLED` when the window was blocked or
   * closed, or when a newer `signIn()` of this page took the window over (`superseded`);
   * `TV_SIGN_IN_TIMEOUT` when no result came within `timeoutMs`, as when the OP cut the window off
   * and it was closed). Another tab's sign-in fires `signed-in` here but settles nothing; a
   * renewal's or another sign-in's `error` neither.
   *
   * @example
   * ```ts
   * button.onclick = () => vault.signIn({ flow: 'popup' }).then(showInbox, (err: VaultError) => showError(err.code))
   * ```
   * @see https://github.com/tokenvault/tokenvault/blob/main/docs/sign-in-modes.md#a-popup-sign-in-settles-on-its-own-outcome
   */
  signIn(options?: SignInOptions): Promise<void>;
  /** Signs out: the same as `logout()`. */
  signOut(options?: LogoutOptions): Promise<LogoutResult>;
  /** The signed-in user's ID token claims (never the token itself), or null. */
  user(): Promise<Record<string, unknown> | null>;
  /**
   * Resolves when the page is controlled by the interceptor and the proxy has answered, so that
   * token and API requests go through the vault. Rejects with a VaultError (`TV_PROXY_UNREACHABLE`,
   * `TV_NOT_CONTROLLED`, `TV_VERSION_MISMATCH`). Never resolves on an uncontrolled page.
   */
  readonly ready: Promise<void>;
  /**
   * `fetch` through the proxy's own channel, skipping the service worker hop. Errors are typed
   * responses; an abort (`init.signal`) rejects as fetch does and aborts the upstream request.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Whether the proxy holds tokens, and until when. */
  status(): Promise<VaultStatus>;
  /**
   * Signs out: the proxy revokes the refresh and access tokens at the OP (RFC 7009) and clears its
   * store; every tab's vault then fires `signed-out`. Then, unless `endSession: false`, the page
   * navigates to the OP's end-session endpoint to end the OP session as well. Resolves with what
   * the revocation came to, which a refusal or a failure does not hide.
   */
  logout(options?: LogoutOptions): Promise<LogoutResult>;
  /** Removes the proxy frame and stops listening. */
  close(): void;
}

/** Resolves once the page's load event has fired (at once if it has). */
function pageLoaded(): Promise<unknown> {
  if (document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    addEventListener('load', resolve, { once: true });
  });
}

/** The DOM event for an event message from the proxy. */
function vaultEvent({ name, reason, error, message }: EventMessage): Event {
  const detail =
    name === 'signed-out'
      ? { reason: reason ?? 'logout' }
      : name === 'error'
        ? { error: new VaultError(error ?? 'TV_INTERNAL', message) }
        : name === 'session-unwatchable'
          ? { reason: (reason ?? 'op-cookies-not-visible') as SessionUnwatchableReason }
          : {};
  return new CustomEvent(name, { detail });
}

/**
 * The options' checks, in development builds: the options are the app's own code, and the Vite plugin
 * and the `tokenvault` command check what they write into them (`proxyOrigin`, `serviceWorker`)
 * before a production build, as workbox keeps its asserts to development.
 */
function assertOptions(options: unknown): asserts options is VaultOptions {
  if (!dev) return;
  if (typeof options !== 'object' || options === null) invalidOption({ why: 'createVaultOptions' });
  const { proxyUrl } = options as VaultOptions;
  if (!(typeof proxyUrl === 'string' || proxyUrl instanceof URL) || !URL.canParse(String(proxyUrl))) {
    invalidOption({ why: 'proxyUrl' });
  }
  if (new URL(String(proxyUrl)).origin === location.origin) {
    invalidOption({ why: 'proxyUrlSameOrigin' });
  }
}

/**
 * Starts the vault on this page: registers the interceptor worker, mounts the hidden proxy iframe
 * and connects the two.
 *
 * @example
 * ```ts
 * import { createVault } from '@tokenvault/client'
 * const vault = createVault({ proxyUrl: 'https://proxy.example.com/' })
 * await vault.ready
 * // From here on, the OIDC client library's token requests and API calls go through the vault.
 * vault.addEventListener('signed-out', () => showSignIn())
 * ```
 */
export function createVault(options: VaultOptions): Vault {
  assertOptions(options);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const events = new EventTarget();
  const frame = proxyFrame(new URL(String(options.proxyUrl)), timeouts.proxyMs);
  const channel = new MessageChannel();
  const hostSession = hostSessionSignal();
  const port = new ProxyPort(channel.port1, {
    helloTimeoutMs: timeouts.proxyMs,
    replyTimeoutMs: timeouts.upstreamMs + timeouts.proxyMs,
    replies: PAGE_REPLIES,
    // `host-session` may come twice (the proxy repeats it after a late hello): the app hears it once.
    // A popup sign-in's outcome is an event too (the app hears it), and settles that sign-in only.
    onEvent: (event: EventMessage) => {
      if (event.name !== 'host-session' || hostSession.take()) events.dispatchEvent(vaultEvent(event));
      // No popup sign-in waits before the account chunk is in.
      account.loaded?.take(event);
    },
  });
  const link = workerLink(frame, {
    url: options.serviceWorkerUrl ?? '/sw.js',
    scope: options.scope,
    timeoutMs: timeouts.proxyMs,
    uncontrolled: options.uncontrolled ?? 'reload',
    // Once ready has failed the vault is out of service: a claim still running must not say otherwise.
    onControl: (action) => {
      if (!failed) events.dispatchEvent(new CustomEvent('control', { detail: { action } }));
    },
  });

  let failed = false;
  // Set once the page is on its way to the OP's end-session endpoint (and the vault is cleared).
  const leaving = { now: false };
  const start = async (): Promise<void> => {
    // The worker's install and the proxy frame's load run side by side; only the worker's channel
    // needs both.
    const controlled = link.control();
    controlled.catch(() => {});
    await frame.loaded;
    frame.connect('page', channel.port2);
    // The worker's channel does not wait for the page's hello: both wait for the proxy's first
    // answer (its OP metadata), side by side.
    await Promise.all([port.hello, controlled.then(() => link.connect())]);
    // An OIDC library that signs out navigates to the OP itself: the vault empties first.
    const { end_session: endSession } = (await port.hello).endpoints;
    if (endSession) watchEndSession(endSession, () => port.request({ type: 'logout' }), leaving);
  };
  // A redirect sign-in that failed came back with its error code in this page's URL: taken off at once.
  const signInError = takeSignInError();
  const ready = start().then(
    () => {
      onceMarks.clear(VERSION_MARK);
      events.dispatchEvent(new Event('ready'));
      if (signInError) events.dispatchEvent(new CustomEvent('error', { detail: { error: signInError } }));
    },
    (err: unknown) => {
      // A part of another protocol version (an upgrade half rolled out): this page may be the stale
      // one, so load it again, once. If that does not help, say so instead of reloading forever.
      if (err instanceof VaultError && err.code === 'TV_VERSION_MISMATCH' && !onceMarks.has(VERSION_MARK)) {
        onceMarks.set(VERSION_MARK);
        events.dispatchEvent(new CustomEvent('control', { detail: { action: 'reload' } }));
        location.reload();
        return new Promise<void>(() => {});
      }
      onceMarks.clear(VERSION_MARK);
      failed = true;
      throw err;
    },
  );
  ready.catch(() => {});
  // Sign-in, logout and user(): one chunk, loaded on first use, and after ready so that a popup
  // sign-in from a click finds it in (and opens its window in the click's task either way).
  const account = lazyChunk<AccountCalls>(() => import('./accountCalls.js').then(({ accountCalls }) => accountCalls({ ready, port, proxyOrigin: frame.origin, leaving })));
  const withAccount = <T>(call: (calls: AccountCalls) => Promise<T>): Promise<T> =>
    account.load().then(call, (err: unknown) => {
      throw toVaultError(err);
    });
  // Not before the page's load event: Firefox holds a page's load while an import() is in flight,
  // and an app's `load` must not wait for a chunk the app has not asked for yet.
  ready
    .then(pageLoaded)
    .then(() => account.load())
    .catch(() => {});

  const vault: Vault = Object.assign(events, {
    ready,
    async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      let signal: AbortSignal | undefined;
      try {
        const request = new Request(input, init);
        signal = request.signal;
        await ready;
        const response = await port.fetch(await serializeRequest(request), signal);
        // Only a signal the app gave can abort: then the body errors as an aborted fetch's does.
        const body = response.body;
        if (!body || !(init?.signal || input instanceof Request)) return response;
        // Loaded with the first such response; one that cannot be given to the app is cancelled.
        const { abortable } = await import('./abortable.js').catch((err: unknown) => {
          void body.cancel().catch(() => {});
          throw err;
        });
        return new Response(abortable(body, signal), response);
      } catch (err) {
        // As fetch: an abort rejects (with the signal's reason, an AbortError by default).
        if (signal?.aborted) throw err;
        return errorResponse(toVaultError(err));
      }
    },
    async status(): Promise<VaultStatus> {
      await ready;
      const { signedIn, expiresAt, apis } = await port.request({ type: 'status' });
      return { signedIn, expiresAt, apis: apis ?? [] };
    },
    logout(options?: LogoutOptions): Promise<LogoutResult> {
      return withAccount((calls) => calls.logout(options));
    },
    signIn(options: SignInOptions = {}): Promise<void> {
      const calls = account.loaded;
      if (calls) return calls.signIn(options);
      // The chunk is not in yet (a sign-in before ready): the popup opens now, in the click's task,
      // and is closed again if the options turn out invalid.
      const popup = signInFlow((options as SignInOptions | null)?.flow) === 'popup' ? openSignInWindow(frame.origin) : undefined;
      return account.load().then(
        (calls) => calls.signIn(options, popup),
        (err: unknown) => {
          popup?.close();
          throw toVaultError(err);
        },
      );
    },
    signOut(options?: LogoutOptions): Promise<LogoutResult> {
      return vault.logout(options);
    },
    user(): Promise<Record<string, unknown> | null> {
      return withAccount((calls) => calls.user());
    },
    close(): void {
      // A popup sign-in still waiting would hear its outcome over the port closed here.
      account.loaded?.close();
      port.close();
      frame.remove();
    },
  });
  registerVaultInternals(vault, {
    async hostSession(sessionId: string): Promise<void> {
      await port.hello;
      await port.request({ type: 'host-session', sessionId });
    },
    hostHandoff: async () => (await port.hello).hostHandoff ?? 'direct',
    hostSessionHeld: hostSession.held,
  });
  return vault;
}
