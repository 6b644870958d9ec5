import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstChunkFiles, pageModules, preloadedFiles, staticImports } from '../src/firstChunk.js';

describe('firstChunkFiles', () => {
  // A small app built by Vite as the proxy is: two pages that share a module (so that a chunk of
  // its own is imported statically), and a feature loaded with import() from the first page.
  let root: string;
  let dist: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bench-first-chunk-'));
    dist = join(root, 'dist');
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>frame</title><script type="module" src="./frame.js"></script>');
    writeFileSync(join(root, 'signin.html'), '<!doctype html><title>sign-in</title><script type="module" src="./signin.js"></script>');
    writeFileSync(join(root, 'shared.js'), 'export const shared = (x) => `shared ${x} ${"shared-marker"}`;\n');
    writeFileSync(
      join(root, 'frame.js'),
      'import { shared } from "./shared.js";\nconsole.log(shared("frame-marker"));\nif (location.hash) import("./lazy.js").then((m) => m.lazy());\n',
    );
    writeFileSync(join(root, 'lazy.js'), 'import { shared } from "./shared.js";\nexport const lazy = () => console.log(shared("lazy"), "lazy-marker");\n');
    writeFileSync(join(root, 'signin.js'), 'import { shared } from "./shared.js";\nconsole.log(shared("signin"), "signin-marker");\n');
    await build({
      configFile: false,
      root,
      logLevel: 'silent',
      build: { outDir: dist, modulePreload: false, rolldownOptions: { input: { index: join(root, 'index.html'), signin: join(root, 'signin.html') } } },
    });
  }, 60_000);
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const chunkWith = (text: string) => {
    const name = readdirSync(join(dist, 'assets')).find((file) => file.endsWith('.js') && readFileSync(join(dist, 'assets', file), 'utf8').includes(text));
    if (!name) throw new Error(`no chunk holds ${text}`);
    return `assets/${name}`;
  };

  it("takes the page's module script and its static imports, not a chunk reached only by import()", () => {
    const files = firstChunkFiles(dist);
    expect(files[0]).toBe(chunkWith('frame-marker'));
    expect(files).toContain(chunkWith('shared-marker'));
    expect(files).not.toContain(chunkWith('lazy-marker'));
    expect(files).not.toContain(chunkWith('signin-marker'));
    // The fixture is what it claims: the frame's chunk imports the lazy one dynamically only.
    const frame = readFileSync(join(dist, files[0]), 'utf8');
    expect(frame).toMatch(/import\(/);
    expect(readdirSync(join(dist, 'assets')).filter((file) => file.endsWith('.js')).length).toBeGreaterThan(files.length);
  });

  it('weighs a preloaded chunk apart from the first chunk, once, and not one the first chunk has', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const links = [chunkWith('lazy-marker'), chunkWith('lazy-marker'), chunkWith('shared-marker')].map((file) => `<link rel="modulepreload" href="/${file}">`).join('');
    const withPreloads = `${html}${links}`;
    expect(preloadedFiles(dist, withPreloads)).toEqual([chunkWith('lazy-marker')]);
    expect(firstChunkFiles(dist, withPreloads)).toEqual(firstChunkFiles(dist));
    expect(preloadedFiles(dist)).toEqual([]);
  });

  it('follows the other page to its own first chunk', () => {
    const files = firstChunkFiles(dist, readFileSync(join(dist, 'signin.html'), 'utf8'));
    expect(files).toEqual([chunkWith('signin-marker'), chunkWith('shared-marker')]);
  });
});

describe('pageModules', () => {
  it('reads module scripts and inline modules, modulepreload links apart, and skips classic scripts', () => {
    const html = `<script src="/classic.js"></script><script type=module crossorigin src='/assets/a.js'></script>
<link rel="stylesheet" href="/a.css"><link rel="modulepreload" href="/assets/b.js"><script type="module">import "/assets/c.js";</script>`;
    expect(pageModules(html)).toEqual({ urls: ['/assets/a.js'], inline: ['import "/assets/c.js";'], preloads: ['/assets/b.js'] });
  });
});

describe('staticImports', () => {
  it('lists import and export-from declarations, never import()', () => {
    expect(staticImports('import{a as b}from"./x.js";import"./y.js";export*from"./z.js";export{c}from"./w.js";import("./lazy.js");')).toEqual([
      './x.js',
      './y.js',
      './z.js',
      './w.js',
    ]);
  });
});
