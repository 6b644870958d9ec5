import type { Frame, Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { PARTITIONED_STORAGE_ARGS, appFrame, authorizationHash, test as base, expect } from './fixtures.js';

/** `test` for specs that embed the app cross-site: Chromium as it ships (partitioned third-party storage). */
export const test = base.extend({
  launchOptions: [async ({ launchOptions }, use) => use({ ...launchOptions, args: [...(launchOptions.args ?? []), ...PARTITIONED_STORAGE_ARGS] }), { scope: 'worker' }],
});

export function sessionIdMessage(sessionId: unknown): string {
  return JSON.stringify({ message_id: 'session_id', data: { session_id: sessionId } });
}

/** Opens the sample host page (another site) with the demo embedded, and returns the demo's frame. */
export async function openHost(page: Page, devHost: FastifyInstance, query = ''): Promise<Frame> {
  await page.goto(`${devHost.vault.origins.host}/${query}`);
  const app = await appFrame(page, devHost);
  await expect(app.locator('#host-session')).not.toHaveText('not embedded');
  return app;
}

/** Calls the host API from the embedded app (a plain fetch, routed by the worker to the proxy). */
export async function callHostApi(app: Frame): Promise<void> {
  await expect(app.locator('#status')).toHaveText('ready');
  // A DOM click: Playwright's pointer click does not reach a button in a cross-site frame under
  // Firefox's WebDriver BiDi (measured with ESR 153); the vault's path is the same either way.
  await app.locator('#call-host-api').dispatchEvent('click');
}

/**
 * The host (the page in `hostPage`) releases its held answer: the vault takes the host's own
 * session ID, and the host API call carries exactly that one (whatever was tried before).
 */
export async function releaseAndExpectHostsId(hostPage: Page, app: Frame, devHost: FastifyInstance): Promise<void> {
  await hostPage.evaluate(() => {
    window.host.release();
  });
  await expect(app.locator('#host-session')).toHaveText('held by the vault');
  await callHostApi(app);
  await expect(app.locator('#api-response')).toContainText('"session": "valid"');
  expect(hostApiCalls(devHost).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
}

export function hostApiCalls(devHost: FastifyInstance) {
  return devHost.vault.requestLog.find('host', '/api/v1/me').filter((entry) => entry.method === 'GET');
}

/** Counts, in the app's frame, the messages that reach its window from `origin`. */
export async function probeMessages(app: Frame, origin: string): Promise<() => Promise<number>> {
  await app.evaluate((from) => {
    const w = window as unknown as { probed: number };
    w.probed = 0;
    window.addEventListener('message', (event) => {
      if (event.origin === from) w.probed++;
    });
  }, origin);
  return () => app.evaluate(() => (window as unknown as { probed: number }).probed);
}

/** The direct handoff a host posts to the proxy frame (what serveHostSession sends). */
export function handoffMessage(sessionId: unknown): Record<string, unknown> {
  return { v: 'tokenvault/1', type: 'host-session', sessionId };
}

/** From which window of the test's page or frame the app's window is reached. */
export type AppWindowPath = 'own-frame' | 'parent-frame' | 'opener-frame' | 'victim-frame' | 'self';

/**
 * Posts `message` to every frame inside the app's window, addressed to the proxy origin (only the
 * proxy frame receives it), from the window `from` runs in, and resolves with the first message that
 * comes back from the proxy origin within 3 s (null if none).
 */
export function postToProxyFrames(from: Page | Frame, path: AppWindowPath, message: unknown, proxyOrigin: string): Promise<unknown> {
  return from.evaluate(
    ({ path, message, proxyOrigin }) =>
      new Promise<unknown>((resolve) => {
        const w = window as unknown as { victim: Window };
        const app =
          path === 'self'
            ? window
            : path === 'own-frame'
              ? ((document.getElementById('app') as HTMLIFrameElement).contentWindow as Window)
              : path === 'parent-frame'
                ? window.parent.frames[0]
                : path === 'opener-frame'
                  ? (window.opener as Window).frames[0]
                  : w.victim.frames[0];
        window.addEventListener('message', (event) => {
          if (event.origin === proxyOrigin) resolve(event.data);
        });
        for (let i = 0; i < app.length; i++) app.frames[i].postMessage(message, proxyOrigin);
        setTimeout(() => {
          resolve(null);
        }, 3000);
      }),
    { path, message, proxyOrigin },
  );
}

/**
 * Starts recording, in the app's frame, every message that reaches the app's window (as the
 * attacker's listener would), and returns a reader of what came: origin and data as JSON.
 */
export async function recordAppMessages(app: Frame): Promise<() => Promise<{ origin: string; data: string }[]>> {
  await app.evaluate(() => {
    const w = window as unknown as { recorded: { origin: string; data: string }[] };
    w.recorded = [];
    window.addEventListener('message', (event) => {
      let data: string;
      try {
        data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
      } catch {
        data = String(event.data);
      }
      w.recorded.push({ origin: event.origin, data });
    });
  });
  return () => app.evaluate(() => [...(window as unknown as { recorded: { origin: string; data: string }[] }).recorded]);
}

/** Posts the compatibility "ready" to the app's parent at `hostOrigin`, from app-origin script, `times` times. */
export function askReadyAgain(app: Frame, hostOrigin: string, times = 3): Promise<void> {
  return app.evaluate(
    ({ hostOrigin, times }) => {
      for (let i = 0; i < times; i++) window.parent.postMessage('{"message_id":"ready","data":{}}', hostOrigin);
    },
    { hostOrigin, times },
  );
}

/** The host page's log lines. */
export function hostLog(page: Page): Promise<string[]> {
  return page.locator('#log li').allTextContents();
}

/** What app-origin script can do with the proxy origin, without the vault's library: the attacker's tools. */
export const attacker = {
  /**
   * Connects a port of its own to a proxy frame, as a second vault would: the vault's own proxy
   * frame (`'vault'`) or a new one it mounts (`'new'`), and waits for the hello. With `worker`, also
   * hands the service worker a port to that frame, as the vault does after a worker restart.
   */
  connect(app: Frame, proxyOrigin: string, which: 'vault' | 'new', worker = false): Promise<void> {
    return app.evaluate(
      async ({ proxyOrigin, which, worker }) => {
        const w = window as unknown as { attacker: { port: MessagePort; replies: Record<string, unknown>[] } };
        let frame: HTMLIFrameElement;
        if (which === 'new') {
          frame = document.createElement('iframe');
          frame.hidden = true;
          frame.src = `${proxyOrigin}/`;
          document.body.append(frame);
          await new Promise((resolve) => {
            frame.addEventListener('load', resolve, { once: true });
          });
        } else {
          const found = document.querySelector<HTMLIFrameElement>('iframe[title="Token Vault proxy"]');
          if (!found) throw new Error('the app has no proxy frame');
          frame = found;
        }
        const proxy = frame.contentWindow;
        if (!proxy) throw new Error('the proxy frame has no window');
        const { port1, port2 } = new MessageChannel();
        const replies: Record<string, unknown>[] = [];
        port1.onmessage = (event) => void replies.push(event.data as Record<string, unknown>);
        proxy.postMessage({ v: 'tokenvault/1', type: 'connect', role: 'page' }, proxyOrigin, [port2]);
        await new Promise<void>((resolve) => {
          const poll = (): void => {
            if (replies.some((reply) => reply.type === 'hello')) resolve();
            else setTimeout(poll, 20);
          };
          poll();
        });
        w.attacker = { port: port1, replies };
        if (worker) {
          const channel = new MessageChannel();
          const connected = new Promise<void>((resolve) => {
            const listener = (event: MessageEvent): void => {
              if ((event.data as { type?: string } | null)?.type !== 'connected') return;
              navigator.serviceWorker.removeEventListener('message', listener);
              resolve();
            };
            navigator.serviceWorker.addEventListener('message', listener);
          });
          const controller = navigator.serviceWorker.controller;
          if (!controller) throw new Error('no worker controls the app');
          proxy.postMessage({ v: 'tokenvault/1', type: 'connect', role: 'worker' }, proxyOrigin, [channel.port1]);
          controller.postMessage({ v: 'tokenvault/1', type: 'connect' }, [channel.port2]);
          await connected;
        }
      },
      { proxyOrigin, which, worker },
    );
  },

  /** Sends a request on the attacker's port and resolves with the proxy's reply (its body left out). */
  request(app: Frame, message: Record<string, unknown>): Promise<Record<string, unknown>> {
    return app.evaluate(
      (message) =>
        new Promise<Record<string, unknown>>((resolve) => {
          const { port, replies } = (window as unknown as { attacker: { port: MessagePort; replies: Record<string, unknown>[] } }).attacker;
          const id = Math.floor(Math.random() * 1e9);
          port.postMessage({ v: 'tokenvault/1', id, ...message });
          const poll = (): void => {
            const reply = replies.find((candidate) => candidate.id === id);
            if (!reply) return void setTimeout(poll, 20);
            const { body: _body, ...rest } = reply;
            resolve(rest);
          };
          poll();
        }),
      message,
    );
  },

  /** Reloads the vault's proxy frame, from the app's page. */
  reloadProxyFrame(app: Frame): Promise<void> {
    return app.evaluate(async () => {
      const frame = document.querySelector<HTMLIFrameElement>('iframe[title="Token Vault proxy"]');
      if (!frame) throw new Error('the app has no proxy frame');
      const loaded = new Promise((resolve) => {
        frame.addEventListener('load', resolve, { once: true });
      });
      // Navigating the frame to its own URL reloads it.
      const { src } = frame;
      frame.src = src;
      await loaded;
    });
  },
};
