import { VaultError } from '@tokenvault/protocol';

/**
 * At most `max` tasks at once; the others wait, first come first served. The proxy frame runs its
 * protected requests through one: a browser caps the outstanding requests of a renderer
 * (Chromium: `net::ERR_INSUFFICIENT_RESOURCES`), the app's frame and the proxy frame of one site
 * share one, and a request refused there would reach the app as a 502 it never earned. A task
 * holds its place until its promise settles (a fetch: until the response head is in, so that a
 * body the app reads later never blocks the queue). A task whose `signal` aborts while it waits
 * leaves the queue with `TV_ABORTED`.
 *
 * @example
 * ```ts
 * const limit = new InFlightLimit(64)
 * const response = await limit.run(() => fetch(url), signal)
 * ```
 */
export class InFlightLimit {
  readonly max: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(max: number) {
    this.max = max;
  }

  /** How many tasks run now, and how many wait. */
  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#enter(signal);
    try {
      return await task();
    } finally {
      this.#leave();
    }
  }

  #enter(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new VaultError('TV_ABORTED'));
    if (this.#running < this.max) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const go = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.#running++;
        resolve();
      };
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(go);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(new VaultError('TV_ABORTED'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(go);
    });
  }

  #leave(): void {
    this.#running--;
    this.#waiting.shift()?.();
  }
}
