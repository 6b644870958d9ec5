import { fileURLToPath } from 'node:url';
import type { ProxyConfig } from '@tokenvault/config';

/** The client libraries with an example app in examples/, each on its own app and proxy origin. */
export const EXAMPLE_NAMES = ['oauth4webapi', 'oidc-client-ts', 'openid-client', 'keycloak-js', 'ping-sdk'] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];

/** Where the Ping (ForgeRock) SDK example's AM-style APIs live on the dev OP: the sample sessions endpoint (amSessions.ts). */
export const AM_SESSIONS_PATH = '/am/json/realms/root/sessions';

/**
 * What an example's configuration sets besides the shared drop-in fields, as its own
 * tokenvault.config.ts does: keycloak-js decodes the tokens (JWT-shaped placeholders); the Ping
 * SDK revokes without a hint (JWT-shaped placeholders name the token) and posts to AM's sessions
 * and journey APIs on the OP's origin (declared pass-through).
 */
export function exampleConfig(name: ExampleName, op: string): Partial<ProxyConfig> {
  if (name === 'keycloak-js') return { placeholder: 'jwt' };
  // The Ping SDK revokes its access token without a token_type_hint: a JWT-shaped placeholder names
  // the token itself (with REDACTED the vault would revoke the refresh token, and with it the grant).
  if (name === 'ping-sdk') return { placeholder: 'jwt', opPassThrough: [`${op}${AM_SESSIONS_PATH}`, `${op}/am/json/realms/root/authenticate`] };
  return {};
}

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
