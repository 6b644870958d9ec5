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
 * What a page starts loading before any of its code runs: the `src` of each module script, the
 * `href` of each `modulepreload` link (fetched on the same visit, so it is part of what the page
 * costs up front), and the inline module scripts' own code.
 */
export function pageModules(html: string): { urls: string[]; inline: string[] } {
  const urls: string[] = [];
  const inline: string[] = [];
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (attribute(attributes, 'type')?.toLowerCase() !== 'module') continue;
    const src = attribute(attributes, 'src');
    if (src !== undefined) urls.push(src);
    else inline.push(body);
  }
  for (const [, attributes] of html.matchAll(/<link\b([^>]*)>/gi)) {
    const href = attribute(attributes, 'href');
    if (href !== undefined && attribute(attributes, 'rel')?.toLowerCase().split(/\s+/).includes('modulepreload')) urls.push(href);
  }
  return { urls, inline };
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
