import { PROTOCOL_VERSION, type ProxyRequest } from '@tokenvault/protocol';
import type { ResolvedProxyConfig } from '@tokenvault/config';
import type { VaultProxy } from './routing/VaultProxy.js';
import type { PopupSignIn } from './signin/PopupSignIn.js';
import type { SignInTickets } from './signin/SignInTickets.js';

// The account's requests on a port: sign in, who is signed in, sign out. A chunk of its own, which
// startProxy loads with the first of them: the frame's first chunk says hello and serves requests
// without it.

/** What the account's requests need of the frame (see startProxy). */
export interface AccountContext {
  config: ResolvedProxyConfig;
  proxy: VaultProxy;
  /** The popup sign-in of this frame (loaded at start in sealed mode, else on first use). */
  popupSignIn: () => Promise<PopupSignIn>;
  /** The redirect sign-in's one-time tickets, made on first use. */
  tickets: () => Promise<SignInTickets>;
  /** Records which port started a popup sign-in: its outcome is told to that port only. */
  ownFlow: (flow: string, port: MessagePort) => void;
}

/**
 * Answers a `logout`, `sign-in` or `user` request with a result (any other type is not the
 * account's, and is left alone). A throw is the caller's to answer as a typed error.
 *
 * @example
 * ```ts
 * await answerAccount(port, message, { config, proxy, popupSignIn, tickets, ownFlow })
 * ```
 */
export async function answerAccount(port: MessagePort, message: ProxyRequest, { config, proxy, popupSignIn, tickets, ownFlow }: AccountContext): Promise<void> {
  switch (message.type) {
    case 'logout': {
      const outcome = await proxy.logout(message.postLogoutRedirectUri);
      // Signed out in memory even where the storage failed: the status says so without reading it.
      const status = await proxy.status().catch(() => ({ signedIn: false, expiresAt: null, apis: [] }));
      port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...status, ...outcome });
      return;
    }
    case 'sign-in': {
      const { prompt, loginHint, scope } = message;
      const hints = { ...(prompt ? { prompt } : {}), ...(loginHint ? { loginHint } : {}), ...(scope ? { scope } : {}) };
      if (message.flow === 'redirect') {
        // The tab goes to /signin next: it starts only with this ticket, kept in this origin's store.
        const [{ startRedirectSignIn }, kept] = await Promise.all([import('./signin/signInPages.js'), tickets()]);
        const ticket = await startRedirectSignIn(config, kept, hints, message.returnTo);
        port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status()), ticket });
        return;
      }
      // The flow id the sign-in's outcome will name; recorded before the answer, which the outcome cannot precede.
      const flow = (await popupSignIn()).begin(hints);
      ownFlow(flow, port);
      port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status()), flow });
      return;
    }
    case 'user': {
      const idToken = await proxy.idToken();
      const user = idToken ? (await import('./signin/AuthorizationFlow.js')).userClaims(idToken) : null;
      port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status()), user });
      return;
    }
    default:
      return;
  }
}
