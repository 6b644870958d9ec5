import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { build, createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kitFiles } from '../src/kitFiles.js';
import { SILENT_CALLBACK_PAGE } from '../src/silentCallbackPage.js';
import { tokenvault } from '../src/vite.js';
import { tempProject, type TempProject } from './tempProject.js';
import { defined, freePort } from '@tokenvault/test-support';

// The real Vite, on a fresh app outside the repository (its node_modules linked to the kit's).
let project: TempProject;

function get(port: number, host: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        resolve({ status: defined(res.statusCode), headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function configFor(appPort: number, proxyPort: number): string {
  return `import { defineConfig } from '@tokenvault/build';
export default defineConfig({
  appOrigins: ['http://app.vault.localhost:${appPort}'],
  proxyOrigin: 'http://proxy.vault.localhost:${proxyPort}',
  issuer: 'http://op.vault.localhost:8080',
  clientId: 'quickstart',
  rules: [{ origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/' }],
});
`;
}

beforeEach(() => {
  project = tempProject();
  project.write('index.html', '<!doctype html><html><head><title>fresh</title><script type="module" src="/src/main.ts"></script></head><body></body></html>');
  project.write(
    'src/main.ts',
    `import { createVault } from '@tokenvault/client';
import { config, vaultOptions } from 'virtual:tokenvault/config';
createVault(vaultOptions);
document.title = config.clientId;
`,
  );
});
afterEach(() => {
  project.remove();
});

describe('vite build with the plugin', () => {
  it('emits the worker into the app build and the proxy origin next to it, from tokenvault.config.ts', async () => {
    project.write('tokenvault.config.ts', configFor(5173, 5174));
    await build({ root: project.dir, configFile: false, logLevel: 'silent', plugins: [tokenvault()] });

    const dist = join(project.dir, 'dist');
    expect(readFileSync(join(dist, 'sw.js'), 'utf8')).toMatch(/^self\.TOKENVAULT_CONFIG=\{"issuer":"http:\/\/op\.vault\.localhost:8080","rules":/);
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const block = JSON.parse(defined(/id="tokenvault-app-config">([^<]*)</.exec(html))[1]) as unknown;
    expect(block).toMatchObject({ clientId: 'quickstart', proxyUrl: 'http://proxy.vault.localhost:5174/', serviceWorkerUrl: '/sw.js' });
    // The app's bundle reads the block, and carries no copy of the configuration.
    const bundle = readdirSync(join(dist, 'assets'))
      .map((name) => readFileSync(join(dist, 'assets', name), 'utf8'))
      .join('\n');
    expect(bundle).toContain('tokenvault-app-config');
    expect(bundle).not.toContain('proxy.vault.localhost:5174');

    const proxyHtml = readFileSync(join(project.dir, 'dist-proxy', 'index.html'), 'utf8');
    expect(proxyHtml).toContain('<script type="application/json" id="tokenvault-config">{"appOrigins":["http://app.vault.localhost:5173"]');
    // Nothing of the proxy lands in the app's directory.
    expect(existsSync(join(dist, 'proxy'))).toBe(false);
    expect(readdirSync(dist).sort()).toEqual(['assets', 'index.html', 'sw.js']);
  });

  it('writes the proxy frame only into the pages whose bundle includes the client', async () => {
    project.write('tokenvault.config.ts', configFor(5173, 5174));
    // A redirect URI page of an OIDC library: its own script, none of the vault's.
    project.write('silent.html', '<!doctype html><html><head><script type="module" src="/src/silent.ts"></script></head><body></body></html>');
    project.write('src/silent.ts', 'parent.postMessage(location.href, location.origin);\n');
    // A page that runs nothing (the session monitor reads its URL from the parent page).
    project.write('empty.html', '<!doctype html><html><head><title>Session check</title></head><body></body></html>');
    // A page that creates its vault only on demand, in a chunk of its own.
    project.write('later.html', '<!doctype html><html><head><script type="module" src="/src/later.ts"></script></head><body></body></html>');
    project.write('src/later.ts', "document.addEventListener('click', () => void import('./main.js'));\n");
    const input = Object.fromEntries(['index', 'silent', 'empty', 'later'].map((name) => [name, join(project.dir, `${name}.html`)]));
    await build({ root: project.dir, configFile: false, logLevel: 'silent', plugins: [tokenvault()], build: { rolldownOptions: { input } } });

    const frames = (name: string): number => readFileSync(join(project.dir, 'dist', `${name}.html`), 'utf8').split('data-tokenvault-proxy').length - 1;
    expect({ index: frames('index'), silent: frames('silent'), empty: frames('empty'), later: frames('later') }).toEqual({ index: 1, silent: 0, empty: 0, later: 1 });
  });

  it("preloads the client's account chunk (sign-in, user()) in sealed mode, not in drop-in mode", async () => {
    const preloads = async (mode: 'sealed' | 'drop-in'): Promise<string[]> => {
      const dropIn = mode === 'drop-in' ? "mode: 'drop-in', redirectUris: ['http://app.vault.localhost:5173/callback']," : '';
      project.write('tokenvault.config.ts', configFor(5173, 5174).replace("clientId: 'quickstart',", `clientId: 'quickstart', ${dropIn}`));
      await build({ root: project.dir, configFile: false, logLevel: 'silent', plugins: [tokenvault()] });
      const html = readFileSync(join(project.dir, 'dist', 'index.html'), 'utf8');
      return [...html.matchAll(/<link rel="modulepreload" crossorigin href="\/([^"]+)"[^>]*>/g)].map(([, file]) => readFileSync(join(project.dir, 'dist', defined(file)), 'utf8'));
    };
    // One preload in sealed mode: the account chunk (what `vault.close()` tells a waiting popup sign-in is in it alone).
    const sealed = await preloads('sealed');
    expect(sealed).toHaveLength(1);
    expect(sealed[0]).toContain('vaultClosed');
    expect(await preloads('drop-in')).toEqual([]);
  });

  it('stops the build with the field and the fix when the config is invalid', async () => {
    project.write('tokenvault.config.ts', configFor(5173, 5174).replace('proxy.vault.localhost:5174', 'app.vault.localhost:5173'));
    await expect(build({ root: project.dir, configFile: false, logLevel: 'silent', plugins: [tokenvault()] })).rejects.toThrow(
      /tokenvault\.config\.ts: Invalid Token Vault configuration: proxyOrigin must be another origin than the app's/,
    );
    expect(existsSync(join(project.dir, 'dist'))).toBe(false);
  });

  it('takes the config as an object and the proxy directory as an option', async () => {
    await build({
      root: project.dir,
      configFile: false,
      logLevel: 'silent',
      plugins: [
        tokenvault({
          config: {
            appOrigins: ['https://app.example.com'],
            proxyOrigin: 'https://proxy.example.com',
            issuer: 'https://op.example.com',
            clientId: 'spa',
            rules: [],
            serviceWorker: { path: '/vault/sw.js' },
          },
          proxyOutDir: 'site-proxy',
        }),
      ],
    });
    expect(existsSync(join(project.dir, 'dist', 'vault', 'sw.js'))).toBe(true);
    expect(readFileSync(join(project.dir, 'site-proxy', 'index.html'), 'utf8')).toContain('"clientId":"spa"');
  });
});

describe('vite (dev server) with the plugin', () => {
  let server: ViteDevServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the worker and, on its own port, the proxy origin with its headers; both stop with the server', async () => {
    const appPort = await freePort();
    const proxyPort = await freePort();
    project.write('tokenvault.config.ts', configFor(appPort, proxyPort));
    server = await createServer({ root: project.dir, configFile: false, logLevel: 'silent', plugins: [tokenvault()], server: { host: '127.0.0.1' } });
    await server.listen();
    // The port came from the first app origin.
    expect(server.config.server.port).toBe(appPort);

    const appHost = `app.vault.localhost:${appPort}`;
    const worker = await get(appPort, appHost, '/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(worker.headers['service-worker-allowed']).toBe('/');
    expect(worker.body).toMatch(/^self\.TOKENVAULT_CONFIG=/);
    const page = await get(appPort, appHost, '/');
    expect(page.body).toContain(`"proxyUrl":"http://proxy.vault.localhost:${proxyPort}/"`);

    const proxyHost = `proxy.vault.localhost:${proxyPort}`;
    await expect.poll(async () => (await get(proxyPort, proxyHost, '/').catch(() => ({ status: 0 }))).status).toBe(200);
    const proxy = await get(proxyPort, proxyHost, '/');
    expect(proxy.headers['content-security-policy']).toContain(`frame-ancestors http://app.vault.localhost:${appPort}`);
    expect(proxy.body).toContain('id="tokenvault-config"');
    const script = defined(/src="(\/assets\/[^"]+)"/.exec(proxy.body))[1];
    expect((await get(proxyPort, proxyHost, script)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The resolved configuration beside the given one, and every chunk the frame may load with import().
    expect(proxy.body).toMatch(/id="tokenvault-config-resolved" data-sha256="[\w-]{43}"/);
    const chunks = readdirSync(kitFiles().proxyAssets).filter((name) => name.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      const served = await get(proxyPort, proxyHost, `/assets/${chunk}`);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toMatch(/javascript/);
    }
    // Sealed mode (the default): the sign-in's pages are the proxy page, the renewal's silent
    // callback a page that runs nothing; never cached, sending no referrer.
    for (const path of ['/signin', '/callback?code=x&state=y', '/silent-callback']) {
      const flowPage = await get(proxyPort, proxyHost, path);
      expect(flowPage.status).toBe(200);
      expect(flowPage.body).toBe(path === '/silent-callback' ? SILENT_CALLBACK_PAGE : proxy.body);
      expect(flowPage.headers['cache-control']).toBe('no-store');
      expect(flowPage.headers['referrer-policy']).toBe('no-referrer');
    }
    expect((await get(proxyPort, proxyHost, '/signin/x')).status).toBe(404);
    // Another name pointing at the port (DNS rebinding) gets nothing.
    expect((await get(proxyPort, `evil.localhost:${proxyPort}`, '/')).status).toBe(421);

    await server.close();
    server = undefined;
    await expect
      .poll(
        async () =>
          await get(proxyPort, proxyHost, '/').then(
            () => 'up',
            () => 'down',
          ),
      )
      .toBe('down');
  });
});

describe('vite preview with the plugin', () => {
  let server: PreviewServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the built worker with its headers and the built proxy origin', async () => {
    const appPort = await freePort();
    const proxyPort = await freePort();
    project.write('tokenvault.config.ts', configFor(appPort, proxyPort));
    await build({ root: project.dir, configFile: false, logLevel: 'silent', plugins: [tokenvault()] });
    server = await preview({ root: project.dir, configFile: false, logLevel: 'silent', plugins: [tokenvault()], preview: { host: '127.0.0.1' } });

    const worker = await get(appPort, `app.vault.localhost:${appPort}`, '/sw.js');
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(worker.body).toBe(readFileSync(join(project.dir, 'dist', 'sw.js'), 'utf8'));
    const proxyHost = `proxy.vault.localhost:${proxyPort}`;
    await expect.poll(async () => (await get(proxyPort, proxyHost, '/').catch(() => ({ status: 0 }))).status).toBe(200);
    expect((await get(proxyPort, proxyHost, '/')).body).toBe(readFileSync(join(project.dir, 'dist-proxy', 'index.html'), 'utf8'));
  });
});
