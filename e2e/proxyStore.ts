/// <reference lib="dom" />
// The proxy's token record as a test reads it straight from the proxy origin's IndexedDB: shared by
// the Playwright suite (e2e/) and the WebKit suite (e2e-webkit/).

export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
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
