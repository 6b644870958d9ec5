import {
  DEFAULT_TIMEOUTS,
  ProxyPort,
  VaultError,
  errorResponse,
  serializeRequest,
  toVaultError,
  type EventMessage,
  type Timeouts,
} from '@tokenvault/protocol';
import { ProxyFrame } from './ProxyFrame.js';
import { WorkerLink, type UncontrolledPolicy } from './WorkerLink.js';

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
  timeouts?: Timeouts;
}

/** The vault state the proxy reports. Never contains a token. */
export interface VaultStatus {
  signedIn: boolean;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number | null;
}

export interface Vault extends EventTarget {
  /**
   * Resolves when the page is controlled by the interceptor and the proxy has answered, so that
   * token and API requests go through the vault. Rejects with a VaultError (`TV_PROXY_UNREACHABLE`,
   * `TV_NOT_CONTROLLED`, `TV_VERSION_MISMATCH`). Never resolves on an uncontrolled page.
   */
  readonly ready: Promise<void>;
  /** `fetch` through the proxy's own channel, skipping the service worker hop. Errors are typed responses. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Whether the proxy holds tokens, and until when. */
  status(): Promise<VaultStatus>;
  /**
   * Signs out: the proxy revokes the access and refresh tokens at the OP and clears its store.
   * Every tab's vault then fires `signed-out`.
   */
  logout(): Promise<void>;
  /** Removes the proxy frame and stops listening. */
  close(): void;
}

function assertOptions(options: unknown): asserts options is VaultOptions {
  if (typeof options !== 'object' || options === null) {
    throw new VaultError('TV_INVALID_ARGUMENT', 'createVault(options): options must be an object');
  }
  const { proxyUrl } = options as VaultOptions;
  if (!(typeof proxyUrl === 'string' || proxyUrl instanceof URL) || !URL.canParse(String(proxyUrl))) {
    throw new VaultError('TV_INVALID_ARGUMENT', 'createVault(options): options.proxyUrl must be the absolute URL of the proxy page');
  }
  if (new URL(String(proxyUrl)).origin === location.origin) {
    throw new VaultError('TV_INVALID_ARGUMENT', 'createVault(options): the proxy must be on another origin than the app, or the app could read the tokens');
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
  const frame = new ProxyFrame(new URL(String(options.proxyUrl)), timeouts.proxyMs);
  const channel = new MessageChannel();
  const port = new ProxyPort(channel.port1, {
    helloTimeoutMs: timeouts.proxyMs,
    replyTimeoutMs: timeouts.upstreamMs + timeouts.proxyMs,
    onEvent: (event: EventMessage) => void events.dispatchEvent(new Event(event.name)),
  });
  const link = new WorkerLink(frame, {
    url: options.serviceWorkerUrl ?? '/sw.js',
    scope: options.scope,
    timeoutMs: timeouts.proxyMs,
    uncontrolled: options.uncontrolled ?? 'reload',
    onControl: (action) => void events.dispatchEvent(new CustomEvent('control', { detail: { action } })),
  });

  const ready = (async () => {
    await frame.loaded;
    frame.connect('page', channel.port2);
    await Promise.all([port.hello, link.control()]);
    await link.connect();
    events.dispatchEvent(new Event('ready'));
  })();
  ready.catch(() => {});

  return Object.assign(events, {
    ready,
    async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      try {
        await ready;
        return await port.fetch(await serializeRequest(new Request(input, init)));
      } catch (err) {
        return errorResponse(toVaultError(err));
      }
    },
    async status(): Promise<VaultStatus> {
      await ready;
      const { signedIn, expiresAt } = await port.status();
      return { signedIn, expiresAt };
    },
    async logout(): Promise<void> {
      await ready;
      await port.logout();
    },
    close(): void {
      port.close();
      frame.remove();
    },
  });
}
