import { PROTOCOL_VERSION, type ProxyRequest } from '@tokenvault/protocol';
import type { ResolvedProxyConfig } from '@tokenvault/config';
import { AppPorts, errorReply } from './door/appPorts.js';
import { VaultProxy } from './routing/VaultProxy.js';
import type { PopupSignIn } from './signin/PopupSignIn.js';
import type { SignInTickets } from './signin/SignInTickets.js';
import type { AccountContext } from './answerAccount.js';

/**
 * Starts the proxy frame: its doors (the app's ports, AppPorts; the host's handoff, listenForHost),
 * what each request on a port does (VaultProxy routes it to its handler; sign-in and user go to
 * the sealed sign-in), and the events every port hears. Every request gets a response or a typed error.
 *
 * The frame's first chunk holds only what it needs to say hello; the rest loads with `import()`
 * when the configuration uses it (the host's handoff with host origins, the session watch in
 * sealed mode), right after the first hello (a request's check and path), or when first needed
 * (a sign-in, `user`, logout).
 *
 * `early` are the messages this window received before it started (see AppPorts.listen).
 *
 * @returns the VaultProxy, or null when the page is not embedded (opened directly, it does nothing).
 */
export function startProxy(config: ResolvedProxyConfig, proxy = new VaultProxy(config), early: readonly MessageEvent[] = []): VaultProxy | null {
  if (window.parent === window) return null;
  // Ask the OP for its metadata now, while the app waits for this frame's load event to connect:
  // the hello on each port waits for it.
  proxy.metadata().catch(() => {});
  const ports = new AppPorts(config.appOrigins, { answer, greet });
  // Which port started each popup sign-in (its flow id): the last few, as PopupSignIn keeps them.
  const flowOwners = new Map<string, MessagePort>();
  proxy.onEvent = (name, detail) => {
    const extra = {
      ...(detail?.reason ? { reason: detail.reason } : {}),
      ...(detail?.error ? { error: detail.error.code, message: detail.error.message } : {}),
    };
    const event = { v: PROTOCOL_VERSION, type: 'event', name, ...extra };
    // A popup sign-in's outcome: its flow id goes to the port that started it, and to no other.
    // The others hear a sign-in as any other (`signed-in`), and nothing of its failure.
    const owner = detail?.flow === undefined ? undefined : flowOwners.get(detail.flow);
    if (detail?.flow !== undefined) flowOwners.delete(detail.flow);
    if (owner) owner.postMessage({ ...event, flow: detail?.flow });
    if (!owner || name === 'signed-in') ports.broadcast(event, owner);
    // Sealed mode: the session monitor follows the sign-ins and sign-outs.
    if (name === 'signed-in') void session?.then((watch) => watch.start());
    if (name === 'signed-out') void session?.then((watch) => watch.stop());
  };
  proxy.hostSession.onTaken = () => {
    proxy.notify('host-session');
  };
  // The host's door (its own chunk) opens before the hello: an app that is ready has every door of
  // its vault listening, as when the door was in the first chunk.
  const hostDoor =
    config.hostSession.handoff === 'direct' && config.hostOrigins.length > 0
      ? import('./door/listenForHost.js').then(({ listenForHost }) => {
          listenForHost(config, proxy.hostSession);
        })
      : undefined;
  // A sign-in's tickets: made on first use. The popup's side of a sign-in listens from the start in
  // sealed mode (an authorization response of no sign-in of this frame is reported, TV_INVALID_STATE);
  // in drop-in mode the proxy origin serves no sign-in page that could post one, so it loads on first use.
  let tickets: Promise<SignInTickets> | undefined;
  const loadPopupSignIn = (): Promise<PopupSignIn> => import('./signin/PopupSignIn.js').then(({ PopupSignIn }) => new PopupSignIn(proxy, proxy.notify));
  let popupSignIn = config.mode === 'sealed' ? loadPopupSignIn() : undefined;
  const session =
    config.mode === 'sealed'
      ? import('./signin/SealedSession.js').then(({ SealedSession }) => new SealedSession(proxy, proxy.notify, { watch: config.sessionWatch === 'auto' }))
      : null;
  void session?.then((watch) => watch.start());

  let account: Promise<typeof import('./answerAccount.js')> | undefined;
  const accountContext: AccountContext = {
    config,
    proxy,
    popupSignIn: () => (popupSignIn ??= loadPopupSignIn()),
    tickets: () => (tickets ??= import('./signin/SignInTickets.js').then(({ SignInTickets }) => new SignInTickets())),
    ownFlow: (flow, port) => {
      flowOwners.set(flow, port);
      for (const old of flowOwners.keys()) if (flowOwners.size > 8) flowOwners.delete(old);
    },
  };

  async function answer(port: MessagePort, message: ProxyRequest, inFlight: Map<number, AbortController>): Promise<void> {
    switch (message.type) {
      case 'fetch': {
        // Until the head is in, the app can abort the request; after that, cancelling its body ends it.
        const controller = new AbortController();
        inFlight.set(message.id, controller);
        // A request that waits for an upstream place says so, and says when it starts: the page's
        // time limit for its answer counts from there (see QueuedMessage).
        const onQueue = (state: 'queued' | 'started', waitMs: number): void => {
          port.postMessage(state === 'queued' ? { v: PROTOCOL_VERSION, type: 'queued', id: message.id, waitMs } : { v: PROTOCOL_VERSION, type: 'started', id: message.id });
        };
        // How the response crosses (bytes, transferred stream or body channel) is wireResponse's
        // to decide: its chunk loads with the first request, beside the request's routing.
        const [response, { wireResponse }] = await Promise.all([
          proxy.handleFetch(message.request, controller.signal, onQueue).finally(() => inFlight.delete(message.id)),
          import('./network/wireResponse.js'),
        ]);
        const wire = await wireResponse(response);
        port.postMessage({ v: PROTOCOL_VERSION, type: 'response', id: message.id, ...wire }, wire.body ? [wire.body] : []);
        return;
      }
      case 'abort':
        inFlight.get(message.id)?.abort();
        return;
      case 'status':
        port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status()) });
        return;
      case 'logout':
      case 'sign-in':
      case 'user': {
        // The account's requests (sign in, who is signed in, sign out): their chunk loads with the
        // first of them; the ones that come meanwhile wait for the same promise.
        account ??= import('./answerAccount.js').catch((err: unknown) => {
          account = undefined;
          throw err;
        });
        await (await account).answerAccount(port, message, accountContext);
        return;
      }
      case 'host-session':
        // Taken at once, as it arrives, before the requests that follow it on the port. From the app: refused unless the configuration says 'app-window' (compatibility).
        proxy.hostSession.fromApp(message.sessionId);
        // The host session lives in memory: it must not fail where the frame's storage is denied.
        port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status().catch(() => ({ signedIn: false, expiresAt: null, apis: [] }))) });
        return;
    }
  }

  // Once the first port has its hello (the app is about to be ready), the chunks of a request's
  // path load in the background: off the first visit's way to ready, and before the app's first
  // request in all likelihood. A request that comes first waits for the same promises.
  let preloaded = false;
  const preloadRequestPath = (): void => {
    if (preloaded) return;
    preloaded = true;
    ports.preloadCheck();
    proxy.preloadRouting();
    import('./network/wireResponse.js').catch(() => {});
  };

  function greet(port: MessagePort): void {
    Promise.all([proxy.metadata(), hostDoor]).then(
      ([metadata]) => {
        port.postMessage({ v: PROTOCOL_VERSION, type: 'hello', endpoints: metadata.endpoints, hostHandoff: config.hostSession.handoff });
        // A port connected after the host's handoff learns that there is one (never what it is).
        if (proxy.hostSession.present) port.postMessage({ v: PROTOCOL_VERSION, type: 'event', name: 'host-session' });
        preloadRequestPath();
      },
      (err: unknown) => {
        port.postMessage(errorReply(-1, err, 'TV_UPSTREAM_UNREACHABLE'));
      },
    );
  }

  ports.listen(window, early);
  return proxy;
}
