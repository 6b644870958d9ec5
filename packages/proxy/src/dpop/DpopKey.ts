import { base64url, VaultError } from '@tokenvault/protocol';
import { del, delMany, get, keys, set, type UseStore } from 'idb-keyval';
import { vaultStore } from '../shared/stores.js';
import { required } from '../shared/required.js';

/** The public half of the key as a JWK: the members RFC 7638 hashes, nothing else. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

const ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const KEY = 'dpop-key';

/**
 * The proxy origin's DPoP key (RFC 9449): an ECDSA P-256 key pair made by WebCrypto with a
 * non-extractable private key. The `CryptoKeyPair` itself goes into IndexedDB (structured clone
 * keeps a CryptoKey opaque), so the private key never exists as bytes any script could read: not
 * the app's, not the proxy page's own. Signing is all it can do.
 *
 * @example
 * ```ts
 * const key = await DpopKey.generate()
 * await key.save()
 * const jkt = await key.thumbprint() // for dpop_jkt on the authorization request
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
 */
export class DpopKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  #jwk: Promise<PublicJwk> | undefined;
  #thumbprint: Promise<string> | undefined;

  private constructor(pair: CryptoKeyPair) {
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** A new key pair; the private key cannot be exported (`extractable: false`). */
  static async generate(): Promise<DpopKey> {
    // The public key stays extractable: its JWK goes into every proof's header.
    const pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
    // generateKey applies `extractable` to the private key only; the public key is always exportable.
    return new DpopKey(pair);
  }

  /**
   * The key kept in `db`, or null when there is none (never made, deleted at logout, or lost with
   * the browser's storage). Throws `TV_STORAGE_UNAVAILABLE` when IndexedDB fails.
   */
  static async load(db: UseStore = vaultStore(), name = KEY): Promise<DpopKey | null> {
    let pair: unknown;
    try {
      pair = await get(name, db);
    } catch (cause) {
      throw new VaultError('TV_STORAGE_UNAVAILABLE', undefined, { cause });
    }
    if (!isKeyPair(pair)) return null;
    return new DpopKey(pair);
  }

  /** Deletes the key kept in `db` (logout, a failed refresh). */
  static async delete(db: UseStore = vaultStore(), name = KEY): Promise<void> {
    try {
      await del(name, db);
    } catch (cause) {
      throw new VaultError('TV_STORAGE_UNAVAILABLE', undefined, { cause });
    }
  }

  /**
   * Deletes every entry of `db` whose name `stale` picks (the pending keys of abandoned sign-ins);
   * returns how many. Throws `TV_STORAGE_UNAVAILABLE` when IndexedDB fails.
   */
  static async prune(stale: (name: string) => boolean, db: UseStore = vaultStore()): Promise<number> {
    try {
      const names = (await keys(db)).filter((name): name is string => typeof name === 'string' && stale(name));
      if (names.length) await delMany(names, db);
      return names.length;
    } catch (cause) {
      throw new VaultError('TV_STORAGE_UNAVAILABLE', undefined, { cause });
    }
  }

  /** Keeps this key in `db` under `name` (default: the key the tokens are bound to), replacing the one there. */
  async save(db: UseStore = vaultStore(), name = KEY): Promise<void> {
    try {
      await set(name, { privateKey: this.privateKey, publicKey: this.publicKey } satisfies CryptoKeyPair, db);
    } catch (cause) {
      throw new VaultError('TV_STORAGE_UNAVAILABLE', undefined, { cause });
    }
  }

  /** The public key as the `jwk` header of a proof. */
  jwk(): Promise<PublicJwk> {
    // An EC public key's JWK always has both coordinates (RFC 7518 §6.2.1).
    this.#jwk ??= crypto.subtle.exportKey('jwk', this.publicKey).then((jwk) => ({ kty: 'EC', crv: 'P-256', x: required(jwk.x), y: required(jwk.y) }));
    return this.#jwk;
  }

  /**
   * The JWK SHA-256 thumbprint (RFC 7638) of the public key: the `jkt` the OP puts in `cnf`, and the
   * value of `dpop_jkt` on an authorization request (RFC 9449 §10), where the vault makes it.
   */
  thumbprint(): Promise<string> {
    this.#thumbprint ??= this.jwk().then(async ({ crv, kty, x, y }) =>
      // RFC 7638 §3: the required members only, in lexicographic order, no white space.
      base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv, kty, x, y })))),
    );
    return this.#thumbprint;
  }

  /** An ES256 signature (JWS form: r || s, which is what WebCrypto's ECDSA gives). */
  async sign(data: Uint8Array): Promise<ArrayBuffer> {
    return crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.privateKey, data as Uint8Array<ArrayBuffer>);
  }
}

function isKeyPair(value: unknown): value is CryptoKeyPair {
  const pair = value as Partial<CryptoKeyPair> | null | undefined;
  return typeof CryptoKey !== 'undefined' && pair?.privateKey instanceof CryptoKey && pair.publicKey instanceof CryptoKey;
}
