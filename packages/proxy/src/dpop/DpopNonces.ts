/**
 * The last `DPoP-Nonce` each server gave, by origin (RFC 9449 §8, §9). A server may send a new
 * nonce with any response, so every response a proof went with is read; a challenge is answered by
 * one retry with the new nonce, never more (see {@link isNonceChallenge}).
 */
export class DpopNonces {
  #byOrigin = new Map<string, string>();

  /** The nonce to put in a proof for `url`'s origin, if its server gave one. */
  get(url: string): string | undefined {
    return this.#byOrigin.get(new URL(url).origin);
  }

  /** Keeps the `DPoP-Nonce` of `response` (from a request to `url`), if it has a usable one. */
  remember(url: string, response: Response): void {
    const nonce = response.headers.get('dpop-nonce');
    // RFC 9449 §8.1: nonce = 1*NQCHAR (printable ASCII without '"' and '\').
    if (nonce && /^[\x21\x23-\x5b\x5d-\x7e]{1,1024}$/.test(nonce)) this.#byOrigin.set(new URL(url).origin, nonce);
  }

  clear(): void {
    this.#byOrigin.clear();
  }
}
