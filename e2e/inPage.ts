/// <reference lib="dom" />
// What a test reads inside a page, straight from the browser's storage: shared by the Playwright
// suite (e2e/), which passes these functions to `evaluate`, and the WebKit suite (e2e-webkit/),
// which sends their source to WebDriver.

export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  scope: string | null;
  expiresAt: number | null;
}

/**
 * Reads the proxy's token record from the IndexedDB of the context it runs in. It runs in the
 * browser: pass it to Playwright's `evaluate`, or its source to WebDriver (`READ_TOKENS`).
 */
export function readTokensInPage(): Promise<StoredTokens | null> {
  return new Promise<StoredTokens | null>((resolve, reject) => {
    const open = indexedDB.open('tokenvault');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('tokens')) return resolve(null);
      const get = db.transaction('tokens').objectStore('tokens').get('tokens');
      get.onsuccess = () => resolve((get.result as StoredTokens | undefined) ?? null);
      get.onerror = () => reject(get.error);
    };
  });
}

/**
 * Everything the origin the page runs in keeps that a script there could read: Web Storage, every
 * IndexedDB database and store, Cache Storage bodies, and `document.cookie`, as one string.
 */
export async function originStorageInPage(): Promise<string> {
  const out: unknown[] = [{ ...localStorage }, { ...sessionStorage }];
  for (const info of await indexedDB.databases()) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(info.name!);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      out.push({ db: info.name, store, all });
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) out.push(await (await cache.match(request))?.text());
  }
  out.push(document.cookie);
  return JSON.stringify(out);
}
