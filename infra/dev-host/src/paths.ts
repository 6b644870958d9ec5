import { fileURLToPath } from 'node:url';

// dist/paths.js → the repository root is three levels up.
const root = new URL('../../../', import.meta.url);

/** Where the built parts of the kit are, in this repository. */
export const paths = {
  demo: fileURLToPath(new URL('apps/demo/dist/', root)),
  proxy: fileURLToPath(new URL('packages/proxy/dist/', root)),
  host: fileURLToPath(new URL('apps/host/dist/', root)),
  interceptor: fileURLToPath(new URL('packages/interceptor/dist/tokenvault-sw.js', root)),
  /** The check_session_iframe's browser modules, as tsc emits them (also when the dev host runs from its sources). */
  checkSession: fileURLToPath(new URL('infra/dev-host/dist/session/', root)),
};
