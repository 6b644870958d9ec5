import { fileURLToPath } from 'node:url';

/** The client libraries with an example app in examples/, each on its own app and proxy origin. */
export const EXAMPLE_NAMES = ['oauth4webapi', 'oidc-client-ts', 'openid-client'] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];

/** Where an example runs in the dev host, and its OP client. */
export interface ExampleSite {
  name: ExampleName;
  /** `http://<name>.vault.localhost:PORT`. */
  app: string;
  /** `http://<name>-proxy.vault.localhost:PORT`: same site as the app, another origin. */
  proxy: string;
  /** Its OP client: the example's name. */
  clientId: string;
  /** The built example (examples/<name>/dist). */
  dist: string;
}

const root = new URL('../../../', import.meta.url);

/** The examples' origins on `port`. */
export function exampleSites(port: number): ExampleSite[] {
  return EXAMPLE_NAMES.map((name) => ({
    name,
    app: `http://${name}.vault.localhost:${port}`,
    proxy: `http://${name}-proxy.vault.localhost:${port}`,
    clientId: name,
    dist: fileURLToPath(new URL(`examples/${name}/dist/`, root)),
  }));
}

/** A route constraint for one hostname, any port. */
export function exactHost(origin: string): { host: RegExp } {
  return { host: new RegExp(`^${new URL(origin).hostname.replaceAll('.', '\\.')}(:\\d+)?$`) };
}
