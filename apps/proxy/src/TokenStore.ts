import { VaultError } from '@tokenvault/protocol';
import { createStore, del, get, set, type UseStore } from 'idb-keyval';

/** What the proxy keeps of a token response. Only ever leaves the proxy origin inside an Authorization header or a refresh grant. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  tokenType: string;
  scope: string | null;
  /** Epoch milliseconds, or null when the OP gave no expires_in. */
  expiresAt: number | null;
  /**
   * The grant's random mark, in the signature of every JWT-shaped placeholder the app got for it
   * (placeholder.ts); a new sign-in gets a new one, a refresh keeps it. Absent in sets stored
   * before it existed: their placeholders are `REDACTED`.
   */
  placeholderMark?: string;
}

const KEY = 'tokens';

/**
 * The proxy origin's token storage: IndexedDB through idb-keyval, with the current set cached in
 * memory so that a protected request costs no IndexedDB read. Another tab's proxy that changes the
 * tokens says so on a BroadcastChannel, and this cache is dropped.
 */
export class TokenStore {
  #db: UseStore;
  #cache: TokenSet | null | undefined;

  constructor(db: UseStore = createStore('tokenvault', 'tokens')) {
    this.#db = db;
  }

  async get(): Promise<TokenSet | null> {
    if (this.#cache !== undefined) return this.#cache;
    try {
      this.#cache = (await get<TokenSet>(KEY, this.#db)) ?? null;
    } catch (cause) {
      throw new VaultError('TV_STORAGE_UNAVAILABLE', undefined, { cause });
    }
    return this.#cache;
  }

  async set(tokens: TokenSet): Promise<void> {
    try {
      await set(KEY, tokens, this.#db);
    } catch (cause) {
      this.#cache = undefined;
      throw new VaultError('TV_STORAGE_UNAVAILABLE', undefined, { cause });
    }
    this.#cache = tokens;
  }

  /**
   * Deletes the tokens. The memory copy is gone even when IndexedDB fails (then this throws
   * `TV_STORAGE_UNAVAILABLE`): a sign-out must stop this frame from using the tokens either way.
   */
  async clear(): Promise<void> {
    this.#cache = null;
    try {
      await del(KEY, this.#db);
    } catch (cause) {
      throw new VaultError('TV_STORAGE_UNAVAILABLE', undefined, { cause });
    }
  }

  /** The in-memory copy, without reading IndexedDB: undefined when there is none. */
  peek(): TokenSet | null | undefined {
    return this.#cache;
  }

  /** Forgets the in-memory copy; the next get reads IndexedDB. */
  invalidate(): void {
    this.#cache = undefined;
  }
}
