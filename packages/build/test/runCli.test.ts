import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/runCli.js';
import { CONFIG_TS, tempProject, type TempProject } from './tempProject.js';

let project: TempProject;
let out: string;
let err: string;
const run = (...argv: string[]) => runCli(argv, { cwd: project.dir, out: (text) => void (out += text), err: (text) => void (err += text) });

beforeEach(() => {
  project = tempProject();
  out = '';
  err = '';
});
afterEach(() => {
  project.remove();
});

describe('tokenvault build', () => {
  it('writes the worker into the app build, the proxy origin next to it, and the block into the pages named', async () => {
    project.write('tokenvault.config.ts', CONFIG_TS);
    project.write('dist/index.html', '<!doctype html><html><head></head><body></body></html>');
    expect(await run('build', '--html', 'dist/index.html')).toBe(0);
    expect(readFileSync(join(project.dir, 'dist/sw.js'), 'utf8')).toMatch(/^self\.TOKENVAULT_CONFIG=\{"issuer":"http:\/\/op\.vault\.localhost:8080"/);
    expect(readFileSync(join(project.dir, 'dist-proxy/index.html'), 'utf8')).toContain('"clientId":"quickstart"');
    expect(readFileSync(join(project.dir, 'dist/index.html'), 'utf8')).toContain(
      '<script type="application/json" id="tokenvault-app-config">{"issuer":"http://op.vault.localhost:8080","clientId":"quickstart"',
    );
    expect(out).toContain('→ serve at http://proxy.vault.localhost:5174/');
  });

  it('takes other directories and another config file', async () => {
    project.write('config/vault.ts', CONFIG_TS);
    expect(await run('build', '--config', 'config/vault.ts', '--out-dir', 'public', '--proxy-out-dir', 'proxy-site')).toBe(0);
    expect(existsSync(join(project.dir, 'public/sw.js'))).toBe(true);
    expect(existsSync(join(project.dir, 'proxy-site/index.html'))).toBe(true);
  });

  it('fails with the field and the fix, and writes nothing, for an invalid config', async () => {
    project.write('tokenvault.config.ts', CONFIG_TS.replace("clientId: 'quickstart',", ''));
    expect(await run('build')).toBe(1);
    expect(err).toBe('tokenvault: tokenvault.config.ts: Invalid Token Vault configuration: clientId must be the OAuth client_id the app signs in with\n');
    expect(existsSync(join(project.dir, 'dist'))).toBe(false);
  });
});

describe('tokenvault check, headers, nginx', () => {
  beforeEach(() => void project.write('tokenvault.config.ts', CONFIG_TS));

  it('check shows what the config resolves to', async () => {
    expect(await run('check')).toBe(0);
    expect(out).toContain('tokenvault.config.ts is valid.');
    expect(out).toContain('proxy origin:  http://proxy.vault.localhost:5174');
    expect(out).toContain('http://api.vault.localhost:8080/v1/ any method → access_token');
  });

  it('headers prints what each origin must send', async () => {
    expect(await run('headers')).toBe(0);
    expect(out).toContain('http://proxy.vault.localhost:5174/ — the proxy page\n');
    expect(out).toContain(
      "  content-security-policy: default-src 'none'; script-src 'self'; connect-src http://op.vault.localhost:8080 http://api.vault.localhost:8080; frame-src 'self' http://op.vault.localhost:8080; frame-ancestors http://app.vault.localhost:5173;",
    );
    // Sealed mode (the default): the deployer is told to register only the proxy origin's redirect URIs.
    expect(out).toContain('ONLY these redirect URIs (sealed mode):\n  http://proxy.vault.localhost:5174/callback\n  http://proxy.vault.localhost:5174/silent-callback\n');
    expect(out).toContain('  service-worker-allowed: /');
    expect(out).toMatch(/the proxy page\n(?: {2}.*\n)* {2}origin-agent-cluster: \?1\n/);
  });

  it('nginx prints a site configuration for the build directories', async () => {
    expect(await run('nginx', '--listen', '127.0.0.1:8080')).toBe(0);
    expect(out).toContain(`root ${join(project.dir, 'dist')};`);
    expect(out).toContain(`root ${join(project.dir, 'dist-proxy')};`);
    expect(out).toContain('    listen 127.0.0.1:8080;');
    expect(out).toContain('server_name proxy.vault.localhost;');
  });
});

describe('usage', () => {
  it('prints help', async () => {
    expect(await run('--help')).toBe(0);
    expect(out).toContain('Usage: tokenvault <command> [options]');
  });

  it.each([[[]], [['deploy']], [['build', 'extra']], [['build', '--out-dri', 'x']]])('refuses %j with exit code 2 and the usage', async (argv) => {
    expect(await run(...argv)).toBe(2);
    expect(err).toContain('Usage: tokenvault');
  });

  it('runs as an executable (npx tokenvault)', async () => {
    project.write('tokenvault.config.ts', CONFIG_TS);
    const cli = join(project.dir, 'node_modules/.bin/tokenvault');
    const { stdout } = await promisify(execFile)(cli, ['check'], { cwd: project.dir });
    expect(stdout).toContain('tokenvault.config.ts is valid.');
    await expect(promisify(execFile)(cli, ['check', '--config', 'missing.ts'], { cwd: project.dir })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('missing.ts does not exist') as unknown,
    });
  });

  it('says how to fix a field also where NODE_ENV is production (as in vite build and many CI setups)', async () => {
    // The checks shared with the browser bundles drop their prose in production builds; in Node the
    // package resolves to its build with every development message on.
    project.write('tokenvault.config.ts', CONFIG_TS.replace("pathPrefix: '/v1/'", "pathPrefix: '/v1/../admin/'"));
    const cli = join(project.dir, 'node_modules/.bin/tokenvault');
    await expect(promisify(execFile)(cli, ['check'], { cwd: project.dir, env: { ...process.env, NODE_ENV: 'production' } })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('rules[0].pathPrefix must not contain dot segments') as unknown,
    });
  });
});

describe('the tokenvault bin', () => {
  const shim = fileURLToPath(new URL('../bin/tokenvault.js', import.meta.url));

  // npm links bins at install time, when a checkout has no dist/ yet: the bin must be a committed file.
  it('is the committed shim, linked by the install, and answers --help after the build (npx tokenvault in a checkout)', async () => {
    const linked = fileURLToPath(new URL('../../../node_modules/.bin/tokenvault', import.meta.url));
    expect(realpathSync(linked)).toBe(realpathSync(shim));
    const { stdout } = await promisify(execFile)(linked, ['--help']);
    expect(stdout).toContain('Usage: tokenvault <command> [options]');
  });

  it('says to run npm run build when dist/ is missing', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'tokenvault-bin-test-'));
    try {
      writeFileSync(join(copy, 'package.json'), '{ "type": "module" }\n');
      mkdirSync(join(copy, 'bin'));
      copyFileSync(shim, join(copy, 'bin/tokenvault.js'));
      await expect(promisify(execFile)(process.execPath, [join(copy, 'bin/tokenvault.js'), '--help'])).rejects.toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/^tokenvault: .*dist\/cli\.js is missing: run `npm run build` first/) as unknown,
      });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
