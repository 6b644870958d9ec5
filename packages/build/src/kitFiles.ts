import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { VaultError } from '@tokenvault/protocol';

/** The built parts of the kit that a build of an app is made from. */
export interface KitFiles {
  /** The drop-in interceptor worker (`@tokenvault/interceptor/sw.js`), without configuration. */
  workerScript: string;
  /** The built proxy page (`@tokenvault/proxy`), without configuration. */
  proxyPage: string;
  /** Its hashed assets, served under `/assets/` on the proxy origin. */
  proxyAssets: string;
}

/**
 * Where the installed kit's built worker and proxy page are. Throws `TV_INVALID_CONFIG` with the
 * fix when a package is missing or not built.
 *
 * @example
 * ```ts
 * const { workerScript, proxyPage, proxyAssets } = kitFiles()
 * ```
 */
export function kitFiles(from: string = import.meta.url): KitFiles {
  const require = createRequire(from);
  const locate = (request: string): string => {
    try {
      return require.resolve(request);
    } catch (cause) {
      throw new VaultError('TV_INVALID_CONFIG', `Cannot find ${request}: install it next to @tokenvault/build (npm install ${request.split('/').slice(0, 2).join('/')})`, {
        cause,
      });
    }
  };
  const workerScript = locate('@tokenvault/interceptor/sw.js');
  const proxyDist = join(dirname(locate('@tokenvault/proxy/package.json')), 'dist');
  const files = { workerScript, proxyPage: join(proxyDist, 'index.html'), proxyAssets: join(proxyDist, 'assets') };
  for (const file of Object.values(files)) {
    if (!existsSync(file)) throw new VaultError('TV_INVALID_CONFIG', `${file} is missing: the kit is not built (in its repository, run npm run build)`);
  }
  return files;
}
