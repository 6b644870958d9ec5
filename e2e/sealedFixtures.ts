import type { BrowserContext, Page, Request } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { expect, login, openApp, storedTokens, type StoredTokens } from './fixtures.js';
import { otherAppAuthorizeUrl } from './otherApp.js';

// Helpers of the sealed-mode specs (the dev host with `demo: 'sealed'`: the vault is the OAuth
// client `sealed`, whose redirect URIs are on the proxy origin only).

/** What the sealed demo's vault reported, in order ("signed-in", "error: TV_…", "signed-out: logout"). */
export function vaultEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => [...window.sealedDemo.events]);
}

/**
 * Starts a popup `vault.signIn()` from the page (as the demo's button does, with `options`) and
 * records how its promise settles in the demo's events: `signIn() resolved` or `signIn() rejected
 * TV_…`. Resolves with the sign-in window once it has opened.
 */
export async function startRecordedPopupSignIn(page: Page, options: Record<string, unknown> = {}): Promise<Page> {
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate((options) => {
      const { vault, events } = window.sealedDemo;
      void vault.signIn({ flow: 'popup', ...options }).then(
        () => events.push('signIn() resolved'),
        (err: unknown) => events.push(`signIn() rejected ${(err as { code?: string }).code ?? String(err)}`),
      );
    }, options),
  ]);
  return popup;
}

/**
 * Everything of a sign-in that must never reach the app origin, as the test (not the app) sees it:
 * the code and state in the callback URL, the verifier in the proxy's token request, and the nonce
 * of the authorization request. Collected from the browser's network events.
 */
export class FlowSecrets {
  readonly values = new Set<string>();
  readonly callbacks: string[] = [];

  constructor(context: BrowserContext, devHost: FastifyInstance) {
    const { proxy, op } = devHost.vault.origins;
    context.on('request', (request: Request) => {
      const url = new URL(request.url());
      if (url.origin === op && url.pathname === '/auth') for (const name of ['state', 'nonce']) this.#add(url.searchParams.get(name));
      if (url.origin === proxy && url.pathname === '/callback' && url.search) {
        this.callbacks.push(url.href);
        for (const name of ['code', 'state']) this.#add(url.searchParams.get(name));
      }
      if (url.origin === op && url.pathname === '/token' && request.method() === 'POST') {
        const body = new URLSearchParams(request.postData() ?? '');
        for (const name of ['code', 'code_verifier', 'refresh_token']) this.#add(body.get(name));
      }
    });
  }

  #add(value: string | null): void {
    if (value) this.values.add(value);
  }

  /** The secrets of the flow and the stored tokens found in `text`. */
  foundIn(text: string, tokens: StoredTokens | null): string[] {
    const all = [...this.values, ...(tokens ? [tokens.accessToken, tokens.refreshToken, tokens.idToken] : [])].filter((v): v is string => !!v);
    return all.filter((secret) => text.includes(secret));
  }
}

/**
 * Records, on every app-origin document of the context, the messages its window and its
 * MessagePorts receive and the URLs it has been at, in a global of the page (read with `appSeen`).
 */
export async function recordAppOrigin(context: BrowserContext, appOrigin: string): Promise<void> {
  await context.addInitScript((origin: string) => {
    if (location.origin !== origin || window.parent !== window) return;
    const seen: string[] = [location.href];
    (window as unknown as { __seen: string[] }).__seen = seen;
    const record = (from: string, data: unknown): void => {
      let text: string;
      try {
        text = JSON.stringify(data);
      } catch {
        text = String(data);
      }
      seen.push(`${from} ${text}`);
    };
    window.addEventListener('message', (event) => {
      record(event.origin, event.data);
    });
    // And every message on a MessagePort of the page (the vault's channel to the proxy frame).
    const onmessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
    if (!onmessage?.get || !onmessage.set) throw new Error('MessagePort.prototype.onmessage is not an accessor');
    Object.defineProperty(MessagePort.prototype, 'onmessage', {
      configurable: true,
      get(this: MessagePort) {
        return onmessage.get?.call(this) as MessagePort['onmessage'];
      },
      set(this: MessagePort, handler: ((event: MessageEvent) => unknown) | null) {
        onmessage.set?.call(this, handler && ((event: MessageEvent) => (record('port', event.data), handler.call(this, event))));
      },
    });
    const push = history.pushState.bind(history);
    const replace = history.replaceState.bind(history);
    history.pushState = (...args: Parameters<History['pushState']>) => (push(...args), void seen.push(location.href));
    history.replaceState = (...args: Parameters<History['replaceState']>) => (replace(...args), void seen.push(location.href));
  }, appOrigin);
}

/** What `recordAppOrigin` saw in the page, plus its URL now. */
export function appSeen(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify([(window as unknown as { __seen?: string[] }).__seen ?? [], location.href, history.length]));
}

/** The redirect flow: the demo's Sign in button, the OP's real form, back to the app, signed in. */
export async function sealedSignIn(page: Page, devHost: FastifyInstance, username = 'alice'): Promise<void> {
  await openApp(page, devHost);
  await page.locator('#sign-in').click();
  await page.waitForURL(`${devHost.vault.origins.op}/**`);
  await login(page, username);
  await page.waitForURL(`${devHost.vault.origins.app}/`);
  await expect(page.locator('#user')).toHaveText(username);
  expect(await storedTokens(page, devHost)).not.toBeNull();
}

/** The popup flow: the sign-in window, the OP's form in it (`during` runs then), the window closes, signed in. */
export async function sealedPopupSignIn(page: Page, devHost: FastifyInstance, username = 'alice', during?: () => Promise<void>): Promise<void> {
  await openApp(page, devHost);
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('#sign-in-popup').click()]);
  await popup.waitForURL(`${devHost.vault.origins.op}/**`);
  // The sign-in is under way (its verifier, state and nonce exist): what the app origin holds now.
  await during?.();
  const closed = popup.waitForEvent('close', { timeout: 20_000 });
  await login(popup, username);
  await closed;
  await expect(page.locator('#user')).toHaveText(username);
  expect(await storedTokens(page, devHost)).not.toBeNull();
}

/**
 * The same user signs in again at the OP through another client (the drop-in demo's, on its own
 * origin), in a new tab: the OP session changes hands, as another app of the same OP would make it.
 */
export async function signInElsewhere(context: BrowserContext, devHost: FastifyInstance, username = 'alice'): Promise<void> {
  const { dropIn } = devHost.vault.origins;
  const other = await context.newPage();
  await other.goto(otherAppAuthorizeUrl(devHost));
  await login(other, username);
  await other.waitForURL(`${dropIn}/silent-callback.html?**`);
}
