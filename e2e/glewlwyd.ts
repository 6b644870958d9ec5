import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian's Glewlwyd (package glewlwyd, 2.7 in bookworm), a real OP nobody here wrote, run for the
// suite from a temporary directory on loopback: its own configuration file, a SQLite database made
// from the package's SQL script, and everything else (the OIDC plugin, scopes, the user, the
// clients) through its admin API, as its administrator would. Nothing is set up by hand.

/** Where the package puts what the suite needs. */
export const GLEWLWYD = {
  binary: process.env.GLEWLWYD_PATH ?? '/usr/bin/glewlwyd',
  /** The SQLite schema and default data (the admin user `admin` / `password`, the database user and client modules). */
  sql: '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3',
  /** The front end (login, consent, admin pages): a JS app reading ./config.json. */
  webapp: '/usr/share/glewlwyd/webapp',
  /** The front end's configuration. The package's webapp/config.json links to the directory that holds it, not to the file. */
  webappConfig: '/etc/glewlwyd/config-2.7.json/config.json',
  modules: '/usr/lib/glewlwyd',
};

/** True when the package is installed (scripts/ensure-browsers.mjs installs it). */
export function glewlwydInstalled(): boolean {
  return [GLEWLWYD.binary, GLEWLWYD.sql, GLEWLWYD.webapp, GLEWLWYD.webappConfig, '/usr/bin/sqlite3'].every((file) => existsSync(file));
}

export const GLEWLWYD_USER = { username: 'alice', password: 'wonderland' };

export interface GlewlwydOptions {
  /** Loopback port; the browser reaches it as http://glewlwyd.vault.localhost:<port>. */
  port: number;
  /** The dev host's app and proxy origins: the clients' redirect URIs. */
  appOrigin: string;
  proxyOrigin: string;
  /** Access token lifetime in seconds (default 600). */
  accessTokenTtl?: number;
}

export interface Glewlwyd {
  /** The origin the browser uses. */
  origin: string;
  /** The OIDC plugin's issuer (its discovery document is under it). */
  issuer: string;
  /** The JWKS as Node reaches it (127.0.0.1: Node does not resolve *.localhost). */
  jwksUrl: string;
  /** What Glewlwyd wrote to its console so far (for a failing test's report). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts Glewlwyd and configures it through its admin API. */
export async function startGlewlwyd(options: GlewlwydOptions): Promise<Glewlwyd> {
  const dir = mkdtempSync(join(tmpdir(), 'tokenvault-glewlwyd-'));
  const origin = `http://glewlwyd.vault.localhost:${options.port}`;
  const local = `http://127.0.0.1:${options.port}`;
  // The database: the package's script, run by the sqlite3 command the package depends on.
  const database = join(dir, 'glewlwyd.db');
  execFileSync('sqlite3', [database, `.read ${GLEWLWYD.sql}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  // The front end, copied (Glewlwyd's file server refuses a symlink that leads out of its
  // directory), with a config.json of its own (see GLEWLWYD.webappConfig).
  const webapp = join(dir, 'webapp');
  cpSync(GLEWLWYD.webapp, webapp, { recursive: true, dereference: true, filter: (source) => source !== join(GLEWLWYD.webapp, 'config.json') });
  writeFileSync(join(webapp, 'config.json'), readFileSync(GLEWLWYD.webappConfig));
  const config = join(dir, 'glewlwyd.conf');
  writeFileSync(config, serverConfig(options.port, origin, database, webapp));

  let output = '';
  const child: ChildProcess = spawn(GLEWLWYD.binary, ['-c', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  // A test runner that exits without its teardown (interrupted) takes Glewlwyd with it.
  const killOnExit = (): void => {
    child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForServer(`${local}/login.html`, child, () => output);
    await provision(local, origin, options);
  } catch (err) {
    await stop();
    throw new Error(`Glewlwyd did not start: ${err instanceof Error ? err.message : String(err)}\n${output.slice(-4000)}`, { cause: err });
  }
  return { origin, issuer: `${origin}/api/oidc`, jwksUrl: `${local}/api/oidc/jwks`, log: () => output, stop };
}

function serverConfig(port: number, origin: string, database: string, webapp: string): string {
  const mime = {
    '.html': 'text/html',
    '.css': 'text/css',
    '.js': 'application/javascript',
    '.json': 'application/json',
    '.png': 'image/png',
    '.woff2': 'font/woff2',
    '.woff': 'font/woff',
    '.ttf': 'font/ttf',
    '.ico': 'image/x-icon',
  };
  return `# Written by e2e/glewlwyd.ts for one test run.
port=${port}
bind_address="127.0.0.1"
external_url="${origin}"
login_url="login.html"
api_prefix="api"
static_files_path="${webapp}/"
allow_origin="*"
allow_methods="GET, POST, PUT, DELETE, OPTIONS"
allow_headers="Origin, X-Requested-With, Content-Type, Accept, Bearer, Authorization, DPoP"
expose_headers="Content-Encoding, Authorization"
log_mode="console"
log_level="INFO"
cookie_secure=0
session_expiration=3600
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
# Glewlwyd sends X-Frame-Options: deny on every answer by default, its check_session_iframe
# included, which no page can then frame. Off here, so that the suite reaches the session watch.
add_x_frame_option_header_deny=false
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="${GLEWLWYD.modules}/user"
client_module_path="${GLEWLWYD.modules}/client"
user_auth_scheme_module_path="${GLEWLWYD.modules}/scheme"
plugin_module_path="${GLEWLWYD.modules}/plugin"
# Without the two file names Glewlwyd 2.7 reads use_secure_connection as on and exits.
use_secure_connection=false
secure_connection_key_file="/nonexistent"
secure_connection_pem_file="/nonexistent"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = "${database}"; }
static_files_mime_types = (
${Object.entries(mime)
  .map(([extension, type]) => `  { extension = "${extension}"; mime_type = "${type}"; }`)
  .join(',\n')}
)
`;
}

async function waitForServer(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`glewlwyd exited with ${child.exitCode}: ${output().slice(-2000)}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer`);
}

/** The admin API calls an administrator would make in Glewlwyd's admin pages. */
async function provision(local: string, origin: string, options: GlewlwydOptions): Promise<void> {
  const login = await fetch(`${local}/api/auth/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'password' }),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (!login.ok || !cookie) throw new Error(`admin login: ${login.status}`);
  const admin = async (method: string, path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${local}/api${path}`, { method, headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} /api${path}: ${response.status} ${await response.text()}`);
  };
  // Each scope is granted on the user's password, within the last hour.
  const scope = (name: string, description: string) => ({ name, display_name: name, description, password_required: true, password_max_age: 3600, scheme: {} });
  await admin('PUT', '/scope/openid', scope('openid', 'OpenID Connect'));
  await admin('POST', '/scope/', scope('profile', 'Your name'));
  await admin('POST', '/scope/', scope('api', 'The sample API'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await admin('POST', '/mod/plugin/', {
    module: 'oidc',
    name: 'oidc',
    display_name: 'OpenID Connect',
    enabled: true,
    parameters: {
      iss: `${origin}/api/oidc`,
      'jwt-type': 'rsa',
      'jwt-key-size': '256',
      key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      cert: publicKey.export({ type: 'spki', format: 'pem' }),
      'access-token-duration': options.accessTokenTtl ?? 600,
      'refresh-token-duration': 86_400,
      'code-duration': 600,
      'refresh-token-rolling': true,
      // Rotation: every refresh token is good for one refresh.
      'refresh-token-one-use': 'always',
      'allow-non-oidc': false,
      'auth-type-code-enabled': true,
      'auth-type-token-enabled': false,
      'auth-type-id-token-enabled': true,
      'auth-type-none-enabled': false,
      'auth-type-password-enabled': false,
      'auth-type-client-enabled': false,
      'auth-type-device-enabled': false,
      'auth-type-refresh-enabled': true,
      scope: [],
      'additional-parameters': [],
      claims: [],
      'jwks-show': true,
      'subject-type': 'public',
      'name-claim': 'on-demand',
      'email-claim': 'no',
      'scope-claim': 'no',
      'allowed-scope': ['openid', 'profile', 'api'],
      'pkce-allowed': true,
      'pkce-method-plain-allowed': false,
      'introspection-revocation-allowed': true,
      'introspection-revocation-auth-scope': [],
      'introspection-revocation-allow-target-client': true,
      'session-management-allowed': true,
      'session-cookie-name': 'GLEWLWYD2_OIDC_SID',
      'session-cookie-expiration': 3600,
      'front-channel-logout-allowed': false,
      'back-channel-logout-allowed': false,
      'request-parameter-allow': false,
      'register-client-allowed': false,
      'oauth-dpop-allowed': false,
    },
  });
  await admin('POST', '/user/', { ...GLEWLWYD_USER, name: 'Alice Liddell', email: 'alice@example.com', scope: ['openid', 'profile', 'api'], enabled: true });
  // Public clients (no secret): the vault in sealed mode, and the drop-in demo's library.
  const client = (clientId: string, redirectUris: string[]) => ({
    client_id: clientId,
    name: clientId,
    enabled: true,
    confidential: false,
    redirect_uri: redirectUris,
    post_logout_redirect_uri: `${options.appOrigin}/`,
    authorization_type: ['code', 'refresh_token'],
    token_endpoint_auth_method: ['none'],
    scope: [],
  });
  await admin('POST', '/client/', client('sealed', [`${options.proxyOrigin}/callback`, `${options.proxyOrigin}/silent-callback`]));
  await admin('POST', '/client/', client('demo', [`${options.appOrigin}/callback`, `${options.appOrigin}/silent-callback.html`]));
}
