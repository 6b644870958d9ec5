/** A part of the client that loads with `import()` on first use (see {@link lazyChunk}). */
export interface LazyChunk<T> {
  /** What the chunk gave, once it has loaded: for a caller that must not wait (a popup opens in the click's task). */
  readonly loaded: T | undefined;
  /** Loads the chunk once; a second call waits for the same promise, and a chunk that failed to load is tried again. */
  load(): Promise<T>;
}

/**
 * A chunk of the client loaded when a feature is first used, as the proxy frame loads its own:
 * the app's bundle runs only what reaching `ready` needs, and sign-in, logout and the like follow.
 *
 * @example
 * ```ts
 * const account = lazyChunk(() => import('./accountCalls.js').then(({ accountCalls }) => accountCalls(core)))
 * const user = await (await account.load()).user()
 * ```
 */
export function lazyChunk<T>(importer: () => Promise<T>): LazyChunk<T> {
  let loading: Promise<T> | undefined;
  const chunk: { loaded: T | undefined; load(): Promise<T> } = {
    loaded: undefined,
    load: () =>
      (loading ??= importer().then(
        (value) => (chunk.loaded = value),
        (err: unknown) => {
          loading = undefined;
          throw err;
        },
      )),
  };
  return chunk;
}
