import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Response } from '@playwright/test';
import { originStorageInPage, readTokensInPage } from '../e2e/inPage.js';
import { quickStartSteps, type Step, type Where } from './quickStartSteps.js';

// docs/quick-start-vite.md, followed as a user would: every marked block of the page, in order, in
// a fresh temporary directory — the kit packed into tarballs, a new app from create-vite, the
// tarballs installed with npm, the page's files written, the dev OP and `npx vite` started, `npm
// run build` — then alice signs in (sealed mode: the vault is the OAuth client) in Chromium, the
// app shows her claims, the API answers 200 through the vault, and no token is anywhere the app
// origin's script can read. Edit the page and this test follows it; break it and this test fails.
//
// What the test changes, and why (nothing else):
// - the ports: 5173, 5174 and 8080 become E2E_PORT_BASE + 25, 26, 27, so suites can run side by
//   side (the page itself says how to move them);
// - /tmp/tokenvault-packs becomes a directory of this run;
// - the `setup=repo` block (npm install && npm run build in the checkout) is not run again: `npm
//   test` has just built the repository (the test checks it did), and `npm start` of the dev-OP
//   step runs its second half, `node infra/dev-host/dist/main.js` (it is `npm run build && …`);
// - npm answers yes to "Need to install create-vite, ok to proceed?" (there is no terminal), and
//   uses its cache before the registry, without audit or fund (npm_config_* in the environment).

const root = fileURLToPath(new URL('../', import.meta.url));
const page_ = join(root, 'docs/quick-start-vite.md');
const base = Number(process.env.E2E_PORT_BASE ?? 8180);
const ports = { app: base + 25, proxy: base + 26, op: base + 27 };
const origins = {
  app: `http://app.vault.localhost:${ports.app}`,
  proxy: `http://proxy.vault.localhost:${ports.proxy}`,
  op: `http://op.vault.localhost:${ports.op}`,
  api: `http://api.vault.localhost:${ports.op}`,
};

const steps = quickStartSteps(page_);
// Made in beforeAll: Playwright also loads this file in its main process, to list the tests.
let work = '';
let packs = '';
let logs = '';
const places: Record<Where, string> = { repo: root, workdir: '', app: '' };

test.beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tokenvault-quickstart-'));
  packs = join(work, 'packs');
  logs = join(work, 'logs');
  places.workdir = join(work, 'workdir');
  places.app = join(places.workdir, 'my-app');
});

function adapt(code: string): string {
  return code.replaceAll(':5173', `:${ports.app}`).replaceAll(':5174', `:${ports.proxy}`).replaceAll(':8080', `:${ports.op}`).replaceAll('/tmp/tokenvault-packs', packs);
}

// npm run sets npm_* variables (the root package's name, its config): a child npm in another
// project must not inherit them.
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_'))),
  PORT: String(ports.op),
  npm_config_yes: 'true',
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

const servers: ChildProcess[] = [];
let logCount = 0;

function shell(code: string, cwd: string, detached: boolean): { child: ChildProcess; log: string } {
  mkdirSync(logs, { recursive: true });
  const log = join(logs, `${String(++logCount)}.log`);
  const out = createWriteStream(log);
  const child = spawn('bash', ['-euo', 'pipefail', '-c', code], { cwd, env, detached, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  return { child, log };
}

/** Runs a step to its end; resolves with what it printed. */
async function run(step: Extract<Step, { kind: 'run' }>): Promise<string> {
  const code = adapt(step.code);
  const { child, log } = shell(code, places[step.where], false);
  const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const output = readFileSync(log, 'utf8');
  if (status !== 0) throw new Error(`"${code.trim()}" in ${step.where} exited ${String(status)}:\n${output.slice(-4000)}`);
  return output;
}

function serve(step: Extract<Step, { kind: 'serve' }>): string {
  const code = adapt(step.code).replace(/\bnpm start\b/, 'node infra/dev-host/dist/main.js');
  // Its own process group, so that stopping it stops what it started (npx → vite).
  const { child, log } = shell(code, places[step.where], true);
  servers.push(child);
  return log;
}

function accepts(port: number): Promise<boolean> {
  const attempt = (host: string) =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
  return Promise.all([attempt('127.0.0.1'), attempt('::1')]).then((answers) => answers.some(Boolean));
}

async function listening(port: number, log: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) throw new Error(`nothing listens on ${String(port)} after ${String(timeoutMs)} ms:\n${readFileSync(log, 'utf8').slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test.afterAll(async () => {
  for (const server of servers) {
    if (server.pid !== undefined && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

test('docs/quick-start-vite.md: a fresh Vite app from the packed tarballs signs in and calls the API through the vault', async ({ page }) => {
  // The page is what it says it is: every kind of step there, and the app's three files.
  expect(steps.map((step) => step.kind)).toEqual(expect.arrayContaining(['setup', 'run', 'serve', 'file']));
  expect(steps.filter((step) => step.kind === 'file').map((step) => step.path)).toEqual(expect.arrayContaining(['tokenvault.config.ts', 'vite.config.ts', 'src/main.ts']));
  expect(steps.some((step) => step.kind === 'run' && step.where === 'workdir' && /^cd my-app$/m.test(step.code))).toBe(true);
  // Sealed mode, the default: the configuration names no mode.
  expect(steps.find((step) => step.kind === 'file' && step.path === 'tokenvault.config.ts')?.code).not.toMatch(/\bmode:/);
  expect(steps.some((step) => step.kind === 'run' && step.code.includes('tokenvault headers'))).toBe(true);
  for (const file of ['packages/build/dist/cli.js', 'infra/dev-host/dist/main.js', 'packages/proxy/dist/index.html']) {
    expect(existsSync(join(root, file)), `${file}: run npm run build first (npm test does)`).toBe(true);
  }
  mkdirSync(places.workdir, { recursive: true });

  const started = Date.now();
  const timings: string[] = [];
  for (const step of steps) {
    const at = Date.now();
    if (step.kind === 'setup') continue;
    if (step.kind === 'file') {
      const path = join(places.app, step.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, adapt(step.code));
    } else if (step.kind === 'run') {
      const output = await run(step);
      // The OP registration step: `npx tokenvault headers` names the proxy origin's redirect URIs, none on the app's.
      if (step.code.includes('tokenvault headers')) {
        expect(output).toContain(`${origins.proxy}/callback`);
        expect(output).toContain(`${origins.proxy}/silent-callback`);
        expect(output).not.toContain(`${origins.app}/callback`);
      }
    } else {
      const log = serve(step);
      if (step.where === 'repo') await listening(ports.op, log);
      else await Promise.all([listening(ports.app, log), listening(ports.proxy, log)]);
    }
    timings.push(`${step.kind}${step.kind === 'file' ? ` ${step.path}` : ` ${step.where}`}: ${String(Date.now() - at)} ms`);
  }
  const summary = `${timings.join('; ')}; all steps ${String(Date.now() - started)} ms`;
  test.info().annotations.push({ type: 'timings', description: summary });
  console.log(`quick-start steps: ${summary}`);

  // What the tarballs put into the app: installed packages, not links into the repository.
  const installed = JSON.parse(readFileSync(join(places.app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of ['@tokenvault/client', '@tokenvault/build']) expect(installed.dependencies[name]).toMatch(/^file:.*\.tgz$/);
  // And no OIDC client library: in sealed mode the vault is the OAuth client.
  expect(Object.keys(installed.dependencies).filter((name) => !name.startsWith('@tokenvault/'))).toEqual([]);
  // `npm run build` wrote both origins.
  expect(existsSync(join(places.app, 'dist/sw.js'))).toBe(true);
  expect(existsSync(join(places.app, 'dist-proxy/index.html'))).toBe(true);

  // Step 7, in the browser. What the app origin's script can read, recorded as it arrives: every
  // response its page got (the app's own documents and scripts, its fetches, answered by its
  // service worker), headers and bodies.
  const appResponses: Promise<{ where: string; text: string }>[] = [];
  const profileCalls: Response[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (response.url() === `${origins.api}/v1/profile` && request.method() === 'GET') profileCalls.push(response);
    const inApp = request.isNavigationRequest() ? new URL(response.url()).origin === origins.app : new URL(response.frame().url()).origin === origins.app;
    if (response.frame() !== page.mainFrame() || !inApp) return;
    const headers = JSON.stringify(response.headers());
    // A redirect has no body to read.
    appResponses.push(
      response.text().then(
        (body) => ({ where: `the response to ${response.url()}`, text: `${headers} ${body}` }),
        () => ({ where: `the response to ${response.url()}`, text: headers }),
      ),
    );
  });

  // What the pages say on the way (the app's, the proxy's, the OP's): printed, so a failure explains itself.
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.log(`[${new URL(page.url()).host} console.${message.type()}] ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    console.log(`[${new URL(page.url()).host} error] ${error.message}`);
  });

  // Open the app, sign in as alice at the OP's login form, back to the app.
  await page.goto(`${origins.app}/`);
  await expect(page.locator('#status')).toHaveText('ready', { timeout: 30_000 });
  await expect(page.locator('#user')).toHaveText('signed out');
  await page.locator('#sign-in').click();
  await page.waitForURL(`${origins.op}/**`);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('wonderland');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${origins.app}/`);
  // The user's claims, from the ID token the vault checked: alice, for the sealed client, from the dev OP.
  await expect(page.locator('#user')).toHaveText('alice');
  await expect(page.locator('#out')).toContainText('"sub": "alice"');
  const claims = JSON.parse(await page.locator('#out').innerText()) as Record<string, unknown>;
  expect(claims).toMatchObject({ sub: 'alice', aud: 'sealed', iss: origins.op });

  // The API call, twice: the page's plain fetch, answered by its service worker, and the proxy
  // frame's, the one that reached the API, with the real token.
  await page.locator('#call-api').click();
  await expect(page.locator('#out')).toContainText('"message": "Hello, alice"');
  await expect(page.locator('#out')).toContainText('"status": 200');
  const fromPage = profileCalls.filter((response) => response.frame() === page.mainFrame());
  expect(fromPage.map((response) => [response.status(), response.fromServiceWorker()])).toEqual([[200, true]]);
  expect(await fromPage[0]?.request().headerValue('authorization')).toBeNull();
  const fromProxy = profileCalls.filter((response) => new URL(response.frame().url()).origin === origins.proxy);
  expect(fromProxy.map((response) => response.status())).toEqual([200]);

  // The tokens, where they are: in the proxy origin's IndexedDB (read in its frame), and the access
  // token is the one the API got.
  const proxyFrame = page.frames().find((frame) => new URL(frame.url()).origin === origins.proxy);
  if (proxyFrame === undefined) throw new Error('the app has no proxy frame');
  const tokens = await proxyFrame.evaluate(readTokensInPage);
  if (tokens === null) throw new Error('the proxy holds no tokens after the sign-in');
  expect(await fromProxy[0]?.request().headerValue('authorization')).toBe(`Bearer ${tokens.accessToken}`);
  const secrets = [tokens.accessToken, tokens.refreshToken, tokens.idToken].filter((value): value is string => value !== null);
  expect(secrets).toHaveLength(3);

  // Nowhere the app origin's script can read: the page's DOM text, its origin's storage (Web
  // Storage, IndexedDB, Cache Storage, document.cookie), the responses its page got. The search
  // can find them: the proxy origin's own storage holds them all.
  const appSide = [
    { where: 'the DOM', text: await page.evaluate(() => document.documentElement.outerHTML) },
    { where: "the app origin's storage", text: await page.evaluate(originStorageInPage) },
    ...(await Promise.all(appResponses)),
  ];
  expect(appResponses.length).toBeGreaterThan(3);
  const proxySide = await proxyFrame.evaluate(originStorageInPage);
  expect(secrets.filter((secret) => proxySide.includes(secret))).toEqual(secrets);
  // Where, not what: a failure names the token and the place, never prints the token.
  const names = ['access token', 'refresh token', 'ID token'];
  const found = secrets.flatMap((secret, index) => appSide.filter(({ text }) => text.includes(secret)).map(({ where }) => `${names[index] ?? ''} in ${where}`));
  expect(found).toEqual([]);
});
