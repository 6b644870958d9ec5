/** Every origin the dev host serves. `*.vault.localhost` are one site; `*.localhost` others. */
export interface Origins {
  /**
   * The demo SPA the dev host serves (registers the interceptor): the sealed demo on
   * `app.vault.localhost`, the drop-in demo on an origin of its own, `dropin.vault.localhost`.
   */
  app: string;
  /**
   * The drop-in demo's origin, where the OP sends the `demo` client's codes. Never the sealed demo's:
   * no client has a redirect URI on an origin whose script the sealed vault must stand against.
   */
  dropIn: string;
  /** The vault proxy page; holds the tokens. */
  proxy: string;
  /** The OpenID Provider (oidc-provider). */
  op: string;
  /** Where the OP serves its token endpoint in the `split-token-origin` profile (as Google's does, apart from its issuer). */
  opTokens: string;
  /** The sample protected API. */
  api: string;
  /** A second sample API with an audience of its own (one token per API, RFC 8707). */
  api2: string;
  /** A sample host page (another site) that embeds the app. */
  host: string;
  /** An attacker's origin, for negative tests. */
  evil: string;
}

export type OriginName = keyof Origins;

/** The hostnames, without port. Chromium resolves every `*.localhost` name to loopback by itself. */
export const HOSTNAMES: Readonly<Record<OriginName, string>> = {
  app: 'app.vault.localhost',
  dropIn: 'dropin.vault.localhost',
  proxy: 'proxy.vault.localhost',
  op: 'op.vault.localhost',
  opTokens: 'tokens.op.vault.localhost',
  api: 'api.vault.localhost',
  api2: 'api2.vault.localhost',
  host: 'host.localhost',
  evil: 'evil.localhost',
};

/**
 * Where the dev OP lives: `same` (default) on the app's site (`op.vault.localhost`), `other` on a
 * site of its own (`login.idp.localhost`), as Auth0, Okta, Entra ID or a company's Keycloak do: its
 * frames under the app are then third-party, and its cookies must be `SameSite=None; Secure`.
 */
export type OpSite = 'same' | 'other';

/** The OP's hostnames on another site than the app's (`OpSite` `other`). */
export const OTHER_SITE_HOSTNAMES: Readonly<Pick<Record<OriginName, string>, 'op' | 'opTokens'>> = {
  op: 'login.idp.localhost',
  opTokens: 'tokens.idp.localhost',
};

/** The origins on `port`; `demo` says which demo `app` is (default the sealed one), `opSite` where the OP lives. */
export function originsFor(port: number, demo: 'sealed' | 'drop-in' = 'sealed', opSite: OpSite = 'same'): Origins {
  const hostnames = opSite === 'other' ? { ...HOSTNAMES, ...OTHER_SITE_HOSTNAMES } : HOSTNAMES;
  const entries = Object.entries(hostnames).map(([name, host]) => [name, `http://${host}:${port}`]);
  const origins = Object.fromEntries(entries) as Origins;
  return demo === 'drop-in' ? { ...origins, app: origins.dropIn } : origins;
}

/** A Fastify route constraint that matches one of our hostnames with any port. */
export function hostConstraint(name: OriginName): { host: RegExp } {
  return hostnameConstraint(HOSTNAMES[name]);
}

/** The same for the hostname of `origin` (the OP's, which `OpSite` moves). */
export function originConstraint(origin: string): { host: RegExp } {
  return hostnameConstraint(new URL(origin).hostname);
}

function hostnameConstraint(hostname: string): { host: RegExp } {
  return { host: new RegExp(`^${hostname.replaceAll('.', '\\.')}(:\\d+)?$`) };
}
