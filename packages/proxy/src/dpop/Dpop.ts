import type { UseStore } from 'idb-keyval';
import { vaultStore } from '../shared/stores.js';
import type { DpopKey } from './DpopKey.js';
import { DpopNonces } from './DpopNonces.js';

/**
 * The proxy's DPoP state: the key its tokens are bound to (kept in IndexedDB, cached in memory)
 * and the servers' nonces. VaultProxy calls it at sign-in (a new key), on each proof, and at
 * sign-out (the key deleted). The key's store and the proofs load with `import()` when first
 * needed: a vault whose tokens are bearer tokens never loads them to serve a request.
 *
 * @example
 * ```ts
 * const response = await dpop.send(url, 'GET', key, accessToken, 'resource-server', (proof) =>
 *   fetch(url, { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } }))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */
export class Dpop {
  readonly nonces = new DpopNonces();
  #db: UseStore | undefined;
  #key: Promise<DpopKey | null> | undefined;

  /** `db` defaults to the proxy's token database, opened on first use. */
  constructor(db?: UseStore) {
    this.#db = db;
  }

  #store(): UseStore {
    this.#db ??= vaultStore();
    return this.#db;
  }

  /** The key the current tokens are bound to, or null when the browser holds none. */
  key(): Promise<DpopKey | null> {
    this.#key ??= import('./DpopKey.js')
      .then(({ DpopKey }) => DpopKey.load(this.#store()))
      .catch((err: unknown) => {
        this.#key = undefined;
        throw err;
      });
    return this.#key;
  }

  /** Keeps `key` as the one the tokens are bound to, replacing the previous one. */
  async adopt(key: DpopKey): Promise<void> {
    this.#key = undefined;
    await key.save(this.#store());
    this.#key = Promise.resolve(key);
  }

  /** Deletes the key (logout, a refused refresh): tokens bound to it are useless from now on. */
  async forget(): Promise<void> {
    this.#key = Promise.resolve(null);
    this.nonces.clear();
    const { DpopKey } = await import('./DpopKey.js');
    await DpopKey.delete(this.#store());
  }

  /** Forgets the in-memory copy (another tab may have signed in with a new key). */
  invalidate(): void {
    this.#key = undefined;
  }

  /**
   * Sends a request with a fresh proof made by `key`. When the server answers with a nonce
   * challenge (`use_dpop_nonce`), sends it once more with the new nonce; a second challenge is the
   * server's answer, returned as it is: never a loop.
   */
  async send(
    url: string,
    method: string,
    key: DpopKey,
    accessToken: string | undefined,
    server: 'authorization-server' | 'resource-server',
    request: (proof: string) => Promise<Response>,
  ): Promise<Response> {
    // The proof and the nonce challenge load with the first request that needs a proof.
    const [{ sendWithProof }] = await Promise.all([import('./sendWithProof.js'), import('./dpopProof.js')]);
    return sendWithProof(this.nonces, url, method, key, accessToken, server, request);
  }
}
