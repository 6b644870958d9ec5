/** Every origin the dev host serves. `*.vault.localhost` are one site; `*.localhost` others. */
export interface Origins {
  /** The demo SPA; registers the interceptor. */
  app: string;
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
  proxy: 'proxy.vault.localhost',
  op: 'op.vault.localhost',
  opTokens: 'tokens.op.vault.localhost',
  api: 'api.vault.localhost',
  api2: 'api2.vault.localhost',
  host: 'host.localhost',
  evil: 'evil.localhost',
};

export function originsFor(port: number): Origins {
  const entries = Object.entries(HOSTNAMES).map(([name, host]) => [name, `http://${host}:${port}`]);
  return Object.fromEntries(entries) as Origins;
}

/** A Fastify route constraint that matches one of our hostnames with any port. */
export function hostConstraint(name: OriginName): { host: RegExp } {
  return { host: new RegExp(`^${HOSTNAMES[name].replaceAll('.', '\\.')}(:\\d+)?$`) };
}
