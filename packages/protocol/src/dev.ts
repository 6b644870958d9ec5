/**
 * True outside production builds: the kit's long error messages and development checks sit behind
 * it, and drop out of production bundles. Bundlers replace `process.env.NODE_ENV` (Vite, webpack,
 * Rollup's replace plugin, esbuild `--define`), so that this reads `false` and the minifier removes
 * what it guards, as in workbox. The drop-in worker and the proxy page are built with it set to
 * `"production"`. In Node (the build tools) the package resolves to `dist/node/`, where it is always
 * `true`: a configuration error there must say how to fix it, whatever NODE_ENV says.
 *
 * This is the only place the kit reads `process.env.NODE_ENV`.
 *
 * @example
 * ```ts
 * import { VaultError, dev } from '@tokenvault/protocol'
 * throw new VaultError('TV_INVALID_ARGUMENT', dev ? 'signIn: the scope must be a string' : '')
 * ```
 */
export const dev: boolean = process.env.NODE_ENV !== 'production';
