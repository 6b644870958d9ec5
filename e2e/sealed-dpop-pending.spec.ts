import type { Frame } from '@playwright/test';
import { expect, proxyFrame, test } from './fixtures.js';
import { sealedSignIn } from './sealedFixtures.js';

// Issue 21: every visit to the proxy's /signin (with a rule marked dpop) stores a DPoP key under
// the sign-in's state until its code comes back; an abandoned sign-in's key stayed forever, and a
// page that sent the browser there again and again could fill the proxy origin's storage. A new
// sign-in now deletes the pending keys of sign-ins that can no longer complete (older than the
// state's 10 minutes).

test.use({ devHostOptions: { demo: 'sealed' } });

/** The names of the proxy origin's pending DPoP keys; `plant` first stores these names (as an abandoned sign-in would have). */
function pendingKeys(frame: Frame, plant: string[] = []): Promise<string[]> {
  return frame.evaluate(async (plant) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('tokenvault');
      open.onupgradeneeded = () => open.result.createObjectStore('tokens');
      open.onsuccess = () => {
        resolve(open.result);
      };
      open.onerror = () => {
        reject(open.error ?? new Error('IndexedDB failed'));
      };
    });
    const done = (request: IDBRequest) =>
      new Promise<unknown>((resolve, reject) => {
        request.onsuccess = () => {
          resolve(request.result);
        };
        request.onerror = () => {
          reject(request.error ?? new Error('IndexedDB failed'));
        };
      });
    for (const name of plant) {
      const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      await done(db.transaction('tokens', 'readwrite').objectStore('tokens').put(pair, name));
    }
    const names = (await done(db.transaction('tokens').objectStore('tokens').getAllKeys())) as IDBValidKey[];
    db.close();
    return names.map(String).filter((name) => name.startsWith('dpop-key:pending:'));
  }, plant);
}

test.describe('DPoP keys of abandoned sign-ins', () => {
  test('a new sign-in deletes the pending keys older than a state lives; a recent one stays', async ({ page, devHost }) => {
    await page.goto(`${devHost.vault.origins.app}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    const eleven = Date.now() - 11 * 60_000;
    const recent = Date.now() - 60_000;
    const planted = [`dpop-key:pending:${String(eleven)}:abandoned-state`, 'dpop-key:pending:an-older-layout', `dpop-key:pending:${String(recent)}:recent-state`];
    expect(await pendingKeys(proxyFrame(page, devHost), planted)).toEqual(expect.arrayContaining(planted));

    await sealedSignIn(page, devHost);
    // The sign-in's own pending key was taken at its redemption; the recent one may still complete.
    expect(await pendingKeys(proxyFrame(page, devHost))).toEqual([`dpop-key:pending:${String(recent)}:recent-state`]);
  });
});
