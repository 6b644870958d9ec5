/**
 * The vault's lock, across every tab of this browser (Web Locks), so that a rotated refresh token
 * is never used twice; where Web Locks are missing (Node, the unit tests), a queue in this realm.
 *
 * @example
 * ```ts
 * const lock = new TokenLock()
 * await lock.run(async () => refreshOnce())
 * ```
 * @see https://w3c.github.io/web-locks/
 */
export class TokenLock {
  #local: Promise<unknown> = Promise.resolve();

  /** Runs `task` while holding the lock; tasks run one at a time, in order, a failure freeing the lock. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (typeof navigator !== 'undefined' && navigator.locks) {
      return navigator.locks.request('tokenvault:tokens', task) as Promise<T>;
    }
    const run = this.#local.then(task, task);
    this.#local = run.catch(() => undefined);
    return run;
  }
}
