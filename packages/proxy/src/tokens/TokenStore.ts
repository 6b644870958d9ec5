import { VaultError } from '@tokenvault/protocol';
import { delMany, get, set, setMany, type UseStore } from 'idb-keyval';
import { vaultStore } from '../shared/stores.js';

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

/**
 * An API's own access token (a rule's `resource`, RFC 8707), got with the sign-in's refresh token.
 * The refresh and ID tokens are the sign-in's, in its TokenSet.
 */
export type ApiToken = Pick<TokenSet, 'accessToken' | 'tokenType' | 'scope' | 'expiresAt'>;

/** Every API's own token, by the API's resource indicator (or audience). */
export type ApiTokens = Readonly<Partial<Record<string, ApiToken>>>;

const KEY = 'tokens';
// Beside the sign-in's set, not inside it: a code exchange or a library's refresh that replaces
// the set cannot throw another API's token away by forgetting to copy it.
const APIS_KEY = 'apiTokens';

/**
 * The proxy origin's token storage: IndexedDB through idb-keyval, with the current set cached in
 * memory so that a protected request costs no IndexedDB read. Another tab's proxy that changes the
 * tokens says so on a BroadcastChannel, and this cache is dropped.
 */
export class TokenStore {
  #db: UseStore;
  #cache: TokenSet | null | undefined;
  #apis: ApiTokens | undefined;

  constructor(db: UseStore = vaultStore()) {
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

  /** Every API's own token (none: an empty record). */
  async apis(): Promise<ApiTokens> {
    if (this.#apis !== undefined) return this.#apis;
    try {
      this.#apis = (await get<ApiTokens>(APIS_KEY, this.#db)) ?? {};
    } catch (cause) {
      throw new VaultError('TV_STORAGE_UNAVAILABLE', undefined, { cause });
    }
    return this.#apis;
  }

  /**
   * Stores the sign-in's set and the APIs' tokens in one IndexedDB transaction: an API's refresh
   * answer brings a rotated refresh token and that API's token, and neither may be kept without the other.
   */
  async setWithApis(tokens: TokenSet, apis: ApiTokens): Promise<void> {
    try {
      await setMany(
        [
          [KEY, tokens],
          [APIS_KEY, apis],
        ],
        this.#db,
      );
    } catch (cause) {
      this.invalidate();
      throw new VaultError('TV_STORAGE_UNAVAILABLE', undefined, { cause });
    }
    this.#cache = tokens;
    this.#apis = apis;
  }

  /**
   * Deletes the tokens, every API's included. The memory copy is gone even when IndexedDB fails (then this throws
   * `TV_STORAGE_UNAVAILABLE`): a sign-out must stop this frame from using the tokens either way.
   */
  async clear(): Promise<void> {
    this.#cache = null;
    this.#apis = {};
    try {
      await delMany([KEY, APIS_KEY], this.#db);
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
    this.#apis = undefined;
  }
}
