// The vault's account calls, one chunk the client loads with import() (createVault preloads it at
// ready): sign-in (redirect and popup), logout and the user's claims. Reaching ready needs none of it.
import { VaultError, toVaultError, type EventMessage, type ProxyPort } from '@tokenvault/protocol';
import type { LogoutOptions, LogoutResult } from './createVault.js';
import { invalidOption } from './invalidOption.js';
import { openSignInWindow } from './openSignInWindow.js';
import { PopupOutcome } from './PopupOutcome.js';
import { POPUP_TIMEOUT_MS, SEVERED_WITHIN_MS, assertSignInOptions, redirectStartUrl, type SignInOptions } from './signIn.js';
import { signInFlow } from './signInFlow.js';

/** What the account calls use of the vault that createVault made. */
export interface VaultCore {
  /** The vault's `ready`. */
  ready: Promise<void>;
  /** The page's port to the proxy. */
  port: ProxyPort;
  /** The proxy frame's origin. */
  proxyOrigin: string;
  /** Set once the page is on its way to the OP's end-session endpoint (and the vault is cleared). */
  leaving: { now: boolean };
}

/** The account calls of one vault (see {@link accountCalls}). */
export interface AccountCalls {
  /**
   * `vault.signIn()`. `popup`: the window createVault opened in the click's task while this chunk
   * loaded (null: the browser blocked it); not given, the popup flow opens it itself.
   */
  signIn(options: SignInOptions, popup?: Window | null): Promise<void>;
  /** `vault.logout()`. */
  logout(options?: LogoutOptions): Promise<LogoutResult>;
  /** `vault.user()`. */
  user(): Promise<Record<string, unknown> | null>;
  /** An event from the proxy: settles the popup sign-in it is the outcome of (see PopupOutcome). */
  take(event: EventMessage): void;
  /** `vault.close()`: a popup sign-in still waiting closes its window and rejects, `TV_SIGN_IN_CANCELLED` (`vaultClosed`). */
  close(): void;
}

/**
 * The calls of the vault that reaching `ready` does not need, as one chunk: `createVault` loads it
 * on the first of them, or at ready, and its popup sign-in opens its window before it waits for
 * this chunk (a browser opens a window only in the click's task).
 *
 * @example
 * ```ts
 * const calls = accountCalls({ ready, port, proxyOrigin: frame.origin, leaving })
 * await calls.signIn({ flow: 'popup' })
 * ```
 */
export function accountCalls({ ready, port, proxyOrigin, leaving }: VaultCore): AccountCalls {
  const popupOutcome = new PopupOutcome();
  return {
    take: (event) => void popupOutcome.take(event),
    close: () => {
      popupOutcome.end(new VaultError('TV_SIGN_IN_CANCELLED', { why: 'vaultClosed' }));
    },
    async logout(options: LogoutOptions = {}): Promise<LogoutResult> {
      // A JavaScript caller may pass anything.
      if (typeof (options as unknown) !== 'object' || (options as unknown) === null) invalidOption({ why: 'logoutOptions' });
      const { endSession = true, postLogoutRedirectUri } = options;
      if (postLogoutRedirectUri !== undefined && !URL.canParse(postLogoutRedirectUri)) invalidOption({ why: 'postLogoutRedirectUri' });
      await ready;
      const reply = await port.request(postLogoutRedirectUri === undefined ? { type: 'logout' } : { type: 'logout', postLogoutRedirectUri });
      const result: LogoutResult = {
        // A proxy of this version always says; "failed" is the honest reading of silence.
        revocation: reply.revocation ?? 'failed',
        ...(reply.revocationStatus !== undefined ? { revocationStatus: reply.revocationStatus } : {}),
        revocations: reply.revocations ?? [],
        storageCleared: reply.storageCleared ?? true,
      };
      if (endSession && reply.endSessionUrl) {
        leaving.now = true;
        location.assign(reply.endSessionUrl);
      }
      return result;
    },
    async user(): Promise<Record<string, unknown> | null> {
      await ready;
      return (await port.request({ type: 'user' })).user ?? null;
    },
    signIn(options: SignInOptions, given?: Window | null): Promise<void> {
      try {
        assertSignInOptions(options);
      } catch (err) {
        given?.close();
        // assertSignInOptions throws VaultErrors only: toVaultError returns them as they are.
        return Promise.reject(toVaultError(err));
      }
      const { prompt, loginHint, scope } = options;
      const hints = { ...(prompt ? { prompt } : {}), ...(loginHint ? { loginHint } : {}), ...(scope ? { scope } : {}) };
      if (signInFlow(options.flow) === 'redirect') {
        // The proxy frame mints a one-time ticket (kept in the proxy origin's store): /signin starts
        // nothing without it, so a page of another site cannot start a sign-in (sign-in CSRF).
        const returnTo = new URL(options.returnTo ?? location.href, location.href).href;
        return ready
          .then(() => port.request({ type: 'sign-in', flow: 'redirect', returnTo, ...hints }))
          .then(({ ticket }) => {
            if (ticket === undefined) throw new VaultError('TV_INTERNAL', { why: 'noTicket' });
            location.assign(redirectStartUrl(proxyOrigin, ticket));
            return new Promise<void>(() => {});
          })
          .catch((err: unknown) => {
            throw toVaultError(err);
          });
      }
      // Synchronously, in the click's task: a browser opens a window only then.
      const popup = given === undefined ? openSignInWindow(proxyOrigin) : given;
      if (!popup) return Promise.reject(new VaultError('TV_SIGN_IN_CANCELLED', { why: 'popupBlocked' }));
      const opened = Date.now();
      return new Promise<void>((resolve, reject) => {
        let grace: ReturnType<typeof setTimeout> | undefined;
        // Settled by this sign-in's own outcome (the proxy's event naming its flow), by this side's
        // limits below, or superseded by a newer signIn() of this page.
        const waiting = popupOutcome.wait((error?: VaultError): void => {
          clearInterval(poll);
          clearTimeout(grace);
          clearTimeout(limit);
          if (error) reject(error);
          else resolve();
        });
        waiting.window = popup;
        const finish = waiting.settle;
        const limit = setTimeout(() => {
          // The window is this sign-in's only while it waits: a newer one may have taken it over.
          if (popupOutcome.waits(waiting)) popup.close();
          finish(new VaultError('TV_SIGN_IN_TIMEOUT', { why: 'popupTimeout', ms: options.timeoutMs ?? POPUP_TIMEOUT_MS }));
        }, options.timeoutMs ?? POPUP_TIMEOUT_MS);
        // The window closes itself after handing over the code; the redemption's event follows within
        // moments. A window closed with no event after that was closed by the user. But a handle that
        // reads closed soon after opening is ambiguous: an OP page with COOP severs it while the user
        // signs in, and the result comes back over the proxy's own channel. Then only the time limit
        // ends the wait.
        const poll = setInterval(() => {
          if (!popup.closed || grace !== undefined) return;
          if (Date.now() - opened < SEVERED_WITHIN_MS) {
            clearInterval(poll);
            return;
          }
          grace = setTimeout(() => {
            finish(new VaultError('TV_SIGN_IN_CANCELLED', { why: 'popupClosed' }));
          }, 5000);
        }, 250);
        ready
          .then(() => port.request({ type: 'sign-in', ...hints }))
          .then(({ flow }) => {
            if (flow === undefined) throw new VaultError('TV_INTERNAL', { why: 'noFlow' });
            waiting.flow = flow;
          })
          .catch((err: unknown) => {
            if (popupOutcome.waits(waiting)) popup.close();
            finish(toVaultError(err));
          });
      });
    },
  };
}
