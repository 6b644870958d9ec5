/** Runs a task while holding the vault's lock (see tokenLock). */
export type TokenLock = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * The vault's lock, across every tab of this browser (Web Locks), so that a rotated refresh token
 * is never used twice; where Web Locks are missing (Node, the unit tests), a queue in this realm.
 * Tasks run one at a time, in order; a failure frees the lock. `name` is the Web Lock's: the
 * default guards the refresh token; one per API (`tokenvault:api:<resource>`) queues that API's refreshes.
 *
 * @example
 * ```ts
 * const exclusive = tokenLock()
 * await exclusive(async () => refreshOnce())
 * ```
 * @see https://w3c.github.io/web-locks/
 */
export function tokenLock(name = 'tokenvault:tokens'): TokenLock {
  let local: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    // navigator.locks is missing outside a secure context (an http origin other than localhost), whatever lib.dom says.
    if (typeof navigator !== 'undefined' && (navigator.locks as LockManager | undefined)) {
      return navigator.locks.request(name, task);
    }
    const run = local.then(task, task);
    local = run.catch(() => undefined);
    return run;
  };
}
