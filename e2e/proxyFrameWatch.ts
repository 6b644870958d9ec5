import type { Page } from '@playwright/test';

// What the frame-listening and early-frame specs do to the proxy frame and watch of it.

/**
 * Keeps the proxy frame's load event from ever firing: once its document is parsed, it asks for a
 * script of its own origin (its CSP allows those) that never arrives.
 */
export async function withoutProxyLoadEvent(page: Page, proxy: string): Promise<void> {
  await page.route(`${proxy}/never-loads.js`, () => {});
  await page.addInitScript((proxy) => {
    if (location.origin !== proxy) return;
    document.addEventListener('DOMContentLoaded', () => {
      const script = document.createElement('script');
      script.src = `${proxy}/never-loads.js`;
      document.body.append(script);
    });
  }, proxy);
}

/** Records, in the app page, every "listening" message's origin, from before the vault's own listener. */
export async function countListening(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (window !== window.top) return;
    const seen: string[] = [];
    (window as unknown as { listeningSeen: string[] }).listeningSeen = seen;
    window.addEventListener('message', (event) => {
      if ((event.data as { type?: unknown } | null)?.type === 'listening') seen.push(event.origin);
    });
  });
}

/** The origins of the "listening" messages the app page received so far, in order (see countListening). */
export const listeningSeen = (page: Page): Promise<string[]> => page.evaluate(() => [...(window as unknown as { listeningSeen: string[] }).listeningSeen]);

/** How many of them came from `origin`. */
export const seenFrom = async (page: Page, origin: string): Promise<number> => (await listeningSeen(page)).filter((o) => o === origin).length;
