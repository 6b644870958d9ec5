import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/loadConfig.js';
import { CONFIG_TS, tempProject, type TempProject } from './tempProject.js';

let project: TempProject;
beforeEach(() => {
  project = tempProject();
});
afterEach(() => {
  project.remove();
});

describe('loadConfig', () => {
  it('loads tokenvault.config.ts (TypeScript, importing defineConfig) on Node 20', async () => {
    const file = project.write('tokenvault.config.ts', CONFIG_TS);
    const loaded = await loadConfig({ root: project.dir });
    expect(loaded.file).toBe(file);
    expect(loaded.config.app).toMatchObject({ clientId: 'quickstart', proxyUrl: 'http://proxy.vault.localhost:5174/' });
    expect(loaded.config.appOrigins).toEqual(['http://app.vault.localhost:5173']);
  });

  it('sees an edit of the file on the next load (no module cache)', async () => {
    project.write('tokenvault.config.ts', CONFIG_TS);
    await loadConfig({ root: project.dir });
    project.write('tokenvault.config.ts', CONFIG_TS.replace("'quickstart'", "'edited'"));
    expect((await loadConfig({ root: project.dir })).config.app.clientId).toBe('edited');
  });

  it('loads a named JSON file', async () => {
    project.write(
      'deploy/staging.json',
      JSON.stringify({ appOrigins: ['https://app.example.com'], proxyOrigin: 'https://proxy.example.com', issuer: 'https://op.example.com', clientId: 'spa', rules: [] }),
    );
    const loaded = await loadConfig({ root: project.dir, file: 'deploy/staging.json' });
    expect(loaded.config.proxyOrigin).toBe('https://proxy.example.com');
  });

  it('says where to create the file when there is none', async () => {
    await expect(loadConfig({ root: project.dir })).rejects.toThrow(/file not found: create tokenvault\.config\.ts in .*tokenvault-build-test-/);
  });

  it('says which file it could not find', async () => {
    await expect(loadConfig({ root: project.dir, file: 'nope.ts' })).rejects.toThrow(/nope\.ts does not exist/);
  });

  it('names the file and the field of an invalid configuration', async () => {
    project.write('tokenvault.config.ts', CONFIG_TS.replace("proxyOrigin: 'http://proxy.vault.localhost:5174'", "proxyOrigin: 'http://app.vault.localhost:5173'"));
    await expect(loadConfig({ root: project.dir })).rejects.toThrow(
      /^tokenvault\.config\.ts: Invalid Token Vault configuration: proxyOrigin must be another origin than the app's/,
    );
  });

  it('names the file that does not compile', async () => {
    project.write('tokenvault.config.ts', 'export default {{');
    await expect(loadConfig({ root: project.dir })).rejects.toMatchObject({
      code: 'TV_INVALID_CONFIG',
      message: expect.stringMatching(/^Cannot load tokenvault\.config\.ts: /) as unknown,
    });
  });
});
