import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kitFiles } from '../src/kitFiles.js';
import { exampleConfig } from './exampleConfig.js';
import { SILENT_CALLBACK_PAGE } from '../src/silentCallbackPage.js';
import { workerFileName, writeProxyOrigin, writeWorker } from '../src/writeBuild.js';
import { tempProject, type TempProject } from './tempProject.js';

const config = exampleConfig();
let project: TempProject;
beforeEach(() => {
  project = tempProject();
});
afterEach(() => {
  project.remove();
});

describe('writeProxyOrigin', () => {
  it('writes the built proxy page with its configuration, and its assets', () => {
    const out = join(project.dir, 'dist-proxy');
    const files = writeProxyOrigin(config, out);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<script type="application/json" id="tokenvault-config">{"appOrigins":["https://app.example.com"]');
    const scripts = [...html.matchAll(/src="\/assets\/([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(existsSync(join(out, 'assets', script))).toBe(true);
    expect(files).toContain(join(out, 'index.html'));
    expect(readdirSync(join(out, 'assets'))).toEqual(readdirSync(kitFiles().proxyAssets));
  });

  it('writes, in sealed mode, the page /silent-callback is answered with: it runs nothing', () => {
    expect(config.mode).toBe('sealed');
    const out = join(project.dir, 'dist-proxy');
    const files = writeProxyOrigin(config, out);
    expect(files).toContain(join(out, 'silent-callback.html'));
    expect(readFileSync(join(out, 'silent-callback.html'), 'utf8')).toBe(SILENT_CALLBACK_PAGE);
    expect(SILENT_CALLBACK_PAGE).not.toMatch(/<script|<link|<meta http-equiv/i);

    // Drop-in mode has no sealed sign-in pages: none written.
    const dropIn = join(project.dir, 'dist-proxy-drop-in');
    writeProxyOrigin(exampleConfig({ mode: 'drop-in', redirectUris: ['https://app.example.com/callback'] }), dropIn);
    expect(existsSync(join(dropIn, 'silent-callback.html'))).toBe(false);
  });

  it('replaces a previous proxy build, stale files included', () => {
    const out = join(project.dir, 'dist-proxy');
    writeProxyOrigin(config, out);
    writeFileSync(join(out, 'assets', 'stale.js'), '');
    writeProxyOrigin(exampleConfig({ clientId: 'other' }), out);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('"clientId":"other"');
    expect(existsSync(join(out, 'assets', 'stale.js'))).toBe(false);
  });

  it('refuses to empty a directory that holds something else', () => {
    const out = join(project.dir, 'src');
    mkdirSync(out);
    writeFileSync(join(out, 'main.ts'), 'keep me');
    expect(() => writeProxyOrigin(config, out)).toThrow(/is not empty and holds no proxy build/);
    expect(readFileSync(join(out, 'main.ts'), 'utf8')).toBe('keep me');
  });
});

describe('writeWorker', () => {
  it('writes the worker at its configured path inside the app build', () => {
    const nested = exampleConfig({ serviceWorker: { path: '/vault/sw.js' } });
    const file = writeWorker(nested, join(project.dir, 'dist'));
    expect(file).toBe(join(project.dir, 'dist', 'vault', 'sw.js'));
    expect(readFileSync(file, 'utf8')).toMatch(/^self\.TOKENVAULT_CONFIG=\{"issuer":"https:\/\/op\.example\.com"/);
  });

  it('refuses a worker path outside the app base', () => {
    expect(workerFileName(config, '/')).toBe('sw.js');
    expect(() => workerFileName(config, '/app/')).toThrow(/serviceWorker\.path \/sw\.js must be below the app's base \/app\//);
  });
});
