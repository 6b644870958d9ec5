import { VaultError } from '@tokenvault/protocol';

/**
 * Told about a task that cannot start at once: `'queued'` (with the longest it will wait) when it
 * joins the queue, `'started'` when it leaves it to run. A task that starts at once hears nothing.
 */
export type QueueListener = (state: 'queued' | 'started', waitMs: number) => void;

/**
 * At most `max` tasks at once; the others wait, first come first served, at most `maxWaitMs` each.
 * The proxy frame runs the app's requests through one, its protected requests and its OP calls
 * (routeFetch says which count): a browser caps the outstanding requests of a renderer (Chromium:
 * `net::ERR_INSUFFICIENT_RESOURCES`), the app's frame and the proxy frame of one site share one,
 * and a request refused there would reach the app as a 502 it never earned. A task must not wait
 * for a place of its own limit, directly or through a lock whose holder would: with every place
 * held by such tasks, none would move.
 * A task holds its place until its promise settles (a fetch: until the response head is in, so that
 * a body the app reads later never blocks the queue). A task whose `signal` aborts while it waits
 * leaves the queue with `TV_ABORTED`; one that waits longer than `maxWaitMs` with
 * `TV_QUEUE_TIMEOUT`, never run. `onQueue` hears when it waits and when it starts (the pages'
 * time limits stop counting meanwhile: see `QueuedMessage`).
 *
 * @example
 * ```ts
 * const limit = new InFlightLimit(64, 120_000)
 * const response = await limit.run(() => fetch(url), signal)
 * ```
 */
export class InFlightLimit {
  readonly max: number;
  readonly maxWaitMs: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(max: number, maxWaitMs: number) {
    this.max = max;
    this.maxWaitMs = maxWaitMs;
  }

  /** How many tasks run now, and how many wait. */
  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal, onQueue?: QueueListener): Promise<T> {
    await this.#enter(signal, onQueue);
    try {
      return await task();
    } finally {
      this.#leave();
    }
  }

  #enter(signal?: AbortSignal, onQueue?: QueueListener): Promise<void> {
    if (signal?.aborted) return Promise.reject(new VaultError('TV_ABORTED'));
    if (this.#running < this.max) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const leaveQueue = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.#waiting.indexOf(go);
        if (index >= 0) this.#waiting.splice(index, 1);
      };
      const go = (): void => {
        leaveQueue();
        this.#running++;
        onQueue?.('started', this.maxWaitMs);
        resolve();
      };
      const onAbort = (): void => {
        leaveQueue();
        reject(new VaultError('TV_ABORTED'));
      };
      const timer = setTimeout(() => {
        leaveQueue();
        reject(new VaultError('TV_QUEUE_TIMEOUT', { why: 'queueTimeout', maxWaitMs: this.maxWaitMs, max: this.max }));
      }, this.maxWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(go);
      onQueue?.('queued', this.maxWaitMs);
    });
  }

  #leave(): void {
    this.#running--;
    this.#waiting.shift()?.();
  }
}
