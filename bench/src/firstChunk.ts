import { readFileSync } from 'node:fs';
import { parseSync } from 'vite';

/** The page's own origin, for resolving the paths it names (the proxy page is served at `/`). */
const PAGE = 'http://page.invalid/';

/** One attribute of a tag's attribute text (`type="module"`, `src=/a.js`, `crossorigin`). */
function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attributes);
  if (!match) return undefined;
  // One of the three groups matched; the others are undefined at run time whatever the types say.
  const [, double, single, bare] = match as (string | undefined)[];
  return double ?? single ?? bare;
}

/**
 * What a page starts loading as it is parsed: the `src` of each module script and the inline
 * module scripts' own code (what must be in before its code runs), and apart, the `href` of each
 * `modulepreload` link (`preloads`: fetched beside them on the same visit, for an `import()` that
 * comes later; nothing waits for them before the page's code runs).
 */
export function pageModules(html: string): { urls: string[]; inline: string[]; preloads: string[] } {
  const urls: string[] = [];
  const inline: string[] = [];
  const preloads: string[] = [];
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (attribute(attributes, 'type')?.toLowerCase() !== 'module') continue;
    const src = attribute(attributes, 'src');
    if (src !== undefined) urls.push(src);
    else inline.push(body);
  }
  for (const [, attributes] of html.matchAll(/<link\b([^>]*)>/gi)) {
    const href = attribute(attributes, 'href');
    if (href !== undefined && attribute(attributes, 'rel')?.toLowerCase().split(/\s+/).includes('modulepreload')) preloads.push(href);
  }
  return { urls, inline, preloads };
}

/**
 * The specifiers a module imports statically (`import … from`, `import '…'`, `export … from`):
 * what the browser fetches before the module runs. `import()` is left out: a chunk reached only
 * that way loads when the code asks for it.
 */
export function staticImports(code: string): string[] {
  const { program, errors } = parseSync('module.js', code, { sourceType: 'module' });
  if (errors.length > 0) throw new Error(`a module of the page does not parse: ${errors[0].message}`);
  const out: string[] = [];
  for (const node of program.body) {
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) out.push(node.source.value);
  }
  return out;
}

/**
 * The files of a built page's first chunk: the module scripts its HTML loads, and everything they
 * import statically, transitively; never a chunk reached only by `import()`. Paths are relative to
 * `dist` (the directory the page is served from, at `/`), in the order they are reached.
 *
 * @example firstChunkFiles('packages/proxy/dist/') // ['assets/index-Bvnd6CdK.js']
 */
export function firstChunkFiles(dist: string, html = readFileSync(`${dist}/index.html`, 'utf8')): string[] {
  const seen = new Set<string>();
  const visit = (specifier: string, base: string) => {
    const url = new URL(specifier, base);
    if (url.origin !== new URL(PAGE).origin) throw new Error(`the page loads a module from another origin (${specifier}): the bench weighs only its own files`);
    const path = decodeURIComponent(url.pathname).replace(/^\//, '');
    if (seen.has(path)) return;
    seen.add(path);
    for (const next of staticImports(readFileSync(`${dist}/${path}`, 'utf8'))) visit(next, url.href);
  };
  const { urls, inline } = pageModules(html);
  for (const src of urls) visit(src, PAGE);
  for (const code of inline) for (const next of staticImports(code)) visit(next, PAGE);
  if (seen.size === 0) throw new Error(`${dist}/index.html loads no module script`);
  return [...seen];
}

/**
 * The files a built page preloads (`modulepreload`) that are not in its first chunk: fetched at the
 * start of every visit beside the first chunk, run only when an `import()` asks for them. Paths as
 * in {@link firstChunkFiles} (`firstFiles`: its answer, when the caller has it already).
 *
 * @example preloadedFiles('packages/proxy/dist/') // ['assets/routeFetch-C1x2.js', …]
 */
export function preloadedFiles(dist: string, html = readFileSync(`${dist}/index.html`, 'utf8'), firstFiles = firstChunkFiles(dist, html)): string[] {
  const first = new Set(firstFiles);
  const paths = pageModules(html).preloads.map((href) => decodeURIComponent(new URL(href, PAGE).pathname).replace(/^\//, ''));
  return [...new Set(paths)].filter((path) => !first.has(path));
}
