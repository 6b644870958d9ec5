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
    open.onerror = () => {
      reject(open.error ?? new Error('IndexedDB request failed'));
    };
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('tokens')) {
        resolve(null);
        return;
      }
      const get = db.transaction('tokens').objectStore('tokens').get('tokens');
      get.onsuccess = () => {
        resolve((get.result as StoredTokens | undefined) ?? null);
      };
      get.onerror = () => {
        reject(get.error ?? new Error('IndexedDB request failed'));
      };
    };
  });
}

/**
 * Everything the origin the page runs in keeps that a script there could read: Web Storage, every
 * IndexedDB database and store, Cache Storage bodies, and `document.cookie`, as one string.
 */
export async function originStorageInPage(): Promise<string> {
  const out: unknown[] = [Object.fromEntries(Object.entries(localStorage)), Object.fromEntries(Object.entries(sessionStorage))];
  for (const { name } of await indexedDB.databases()) {
    if (name === undefined) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => {
        resolve(open.result);
      };
      open.onerror = () => {
        reject(open.error ?? new Error('IndexedDB request failed'));
      };
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => {
          resolve(request.result);
        };
      });
      out.push({ db: name, store, all });
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

/** What a test learns about the proxy's DPoP key, inside the proxy frame. */
export interface DpopKeyFacts {
  /** Whether the proxy's store holds a key pair. */
  found: boolean;
  /** `privateKey.extractable`, or null without a key. */
  extractable: boolean | null;
  /** How `crypto.subtle.exportKey` answered for the private key, per format: the error name, or 'exported'. */
  exports: Record<string, string>;
  /** The RFC 7638 thumbprint of the public key (what cnf.jkt must be), or null. */
  thumbprint: string | null;
}

/**
 * Reads the proxy's DPoP key pair from the IndexedDB of the context it runs in (the proxy frame)
 * and tries to export its private key, as any script of that origin could. Runs in the browser.
 */
export async function dpopKeyInPage(): Promise<DpopKeyFacts> {
  const pair = await new Promise<CryptoKeyPair | undefined>((resolve, reject) => {
    const open = indexedDB.open('tokenvault');
    open.onerror = () => {
      reject(open.error ?? new Error('IndexedDB request failed'));
    };
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('tokens')) {
        resolve(undefined);
        return;
      }
      const get = db.transaction('tokens').objectStore('tokens').get('dpop-key');
      get.onsuccess = () => {
        resolve(get.result as CryptoKeyPair | undefined);
      };
      get.onerror = () => {
        reject(get.error ?? new Error('IndexedDB request failed'));
      };
    };
  });
  if (!pair) return { found: false, extractable: null, exports: {}, thumbprint: null };
  const exports: Record<string, string> = {};
  for (const format of ['jwk', 'pkcs8'] as const) {
    exports[format] = await crypto.subtle.exportKey(format, pair.privateKey).then(
      () => 'exported',
      (err: unknown) => (err as Error).name,
    );
  }
  const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv, kty, x, y }))));
  const thumbprint = btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return { found: true, extractable: pair.privateKey.extractable, exports, thumbprint };
}

/**
 * How many CryptoKey objects every IndexedDB database and store of the origin it runs in holds,
 * searched through nested objects and arrays. Runs in the browser. WebKitGTK's
 * `indexedDB.databases()` lists nothing (measured: an empty list even in the proxy frame, whose
 * store holds the tokens), so two databases are opened by name too: the vault's own
 * name and idb-keyval's default, where a key put in the wrong origin would land.
 */
export async function cryptoKeysInPage(): Promise<number> {
  const alsoOpen = ['tokenvault', 'keyval-store'];
  let count = 0;
  const visit = (value: unknown, depth: number): void => {
    if (depth > 8 || typeof value !== 'object' || value === null) return;
    if (value instanceof CryptoKey) {
      count++;
      return;
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) visit(child, depth + 1);
  };
  const names = new Set([...(await indexedDB.databases()).flatMap((info) => info.name ?? []), ...alsoOpen]);
  for (const name of names) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => {
        resolve(open.result);
      };
      open.onerror = () => {
        reject(open.error ?? new Error('IndexedDB request failed'));
      };
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => {
          resolve(request.result);
        };
      });
      visit(all, 0);
    }
    db.close();
  }
  return count;
}

/** Deletes the proxy's DPoP key from the IndexedDB of the context it runs in, as a partly cleared storage would. */
export function deleteDpopKeyInPage(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('tokenvault');
    open.onerror = () => {
      reject(open.error ?? new Error('IndexedDB request failed'));
    };
    open.onsuccess = () => {
      const tx = open.result.transaction('tokens', 'readwrite');
      tx.objectStore('tokens').delete('dpop-key');
      tx.oncomplete = () => {
        resolve();
      };
      tx.onerror = () => {
        reject(tx.error ?? new Error('IndexedDB request failed'));
      };
    };
  });
}

/** Each API's own token, as the proxy keeps them (TokenStore's `apiTokens`, RFC 8707). */
export type ApiTokens = Record<string, { accessToken: string; tokenType: string; expiresAt: number | null }>;

/** The proxy's store of the APIs' tokens (TokenStore's `apiTokens`), read in its frame. */
export function apiTokensInPage(): Promise<ApiTokens> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('tokenvault');
    open.onerror = () => {
      reject(open.error ?? new Error('IndexedDB request failed'));
    };
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('tokens')) {
        resolve({});
        return;
      }
      const get = db.transaction('tokens').objectStore('tokens').get('apiTokens');
      get.onsuccess = () => {
        resolve((get.result as ApiTokens | undefined) ?? {});
      };
      get.onerror = () => {
        reject(get.error ?? new Error('IndexedDB request failed'));
      };
    };
  });
}
