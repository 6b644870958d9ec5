import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { decode } from '@jridgewell/sourcemap-codec';
import { build, minify, type Rolldown } from 'vite';
import { firstChunkFiles, preloadedFiles } from './firstChunk.js';

/** The bench workspace (bench/), from bench/dist/bundles.js. */
export const benchRoot = fileURLToPath(new URL('../', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** One bundle, built the way an app would ship it: minified, production. */
export interface Bundle {
  code: string;
  bytes: number;
  /** Brotli, quality 11 (what a static server precompresses with). */
  brotli: number;
}

function bundle(code: string): Bundle {
  const buffer = Buffer.from(code);
  const brotli = brotliCompressSync(buffer, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length },
  });
  return { code, bytes: buffer.length, brotli: brotli.length };
}

/** Module code to build in place of a module's own, by the end of its path (for weighing the parts of a bundle). */
export type Stubs = Record<string, string>;

async function buildChunks(entry: string, format: 'es' | 'iife', stubs: Stubs = {}, sourcemap = false): Promise<Rolldown.OutputChunk[]> {
  const result = await build({
    configFile: false,
    root: benchRoot,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    plugins: [
      {
        name: 'bench-stubs',
        enforce: 'pre',
        load(id) {
          for (const [suffix, code] of Object.entries(stubs)) if (id.endsWith(suffix)) return code;
          return null;
        },
      },
    ],
    build: {
      write: false,
      minify: true,
      sourcemap,
      emptyOutDir: false,
      // The entry's file name: the bench serves the app's chunks under it (`/bench/app.js`).
      lib: { entry: entry.startsWith('/') ? entry : `${benchRoot}entries/${entry}`, formats: [format], name: 'bench', fileName: () => 'app.js' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((output) => output.output).filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');
  if (chunks.length === 0) throw new Error(`Vite built no chunk for ${entry}`);
  return chunks;
}

/** One chunk as an app's build ships it: ES output minified once more (see {@link buildEntry}). */
async function shipped(chunk: Rolldown.OutputChunk, format: 'es' | 'iife'): Promise<string> {
  return format === 'es' ? (await minify(chunk.fileName, chunk.code, { module: true, compress: true, mangle: true })).code : chunk.code;
}

/**
 * Builds one entry (of bench/entries, or an absolute path) with Vite (rolldown), minified, NODE_ENV
 * production, in memory: all of its chunks, joined (a chunk reached by `import()` counts as much as
 * the entry; {@link buildChunked} tells them apart). Vite's library mode leaves the whitespace of ES
 * modules in place (so that an app's bundler still sees their annotations); an app's own build
 * removes it, so each ES chunk is minified once more here, as the app's build would.
 */
export async function buildEntry(entry: string, format: 'es' | 'iife', stubs: Stubs = {}): Promise<Bundle> {
  const chunks = await buildChunks(entry, format, stubs);
  return bundle((await Promise.all(chunks.map((chunk) => shipped(chunk, format)))).join('\n'));
}

/** An ES entry built as an app ships it, chunk by chunk (see {@link buildChunked}). */
export interface ChunkedBundle {
  /** Every chunk, joined. */
  all: Bundle;
  /** What the page runs before the entry's code does: the entry chunk and the chunks it imports statically, transitively. */
  start: Bundle;
  /** How many chunks there are in all, and in `start`. */
  chunks: number;
  startChunks: number;
  /** Each chunk's shipped code by file name (the entry is `app.js`), for serving them. */
  files: Record<string, string>;
  /** The start chunks' file names, the entry's first (a page names the others in `modulepreload` links, as Vite's build does). */
  startFiles: string[];
}

/**
 * Builds an ES entry as {@link buildEntry} does and tells its chunks apart: the start chunk, what
 * the app's bundle runs to reach its code (the entry and its static imports; a shared chunk
 * included), and all of them (what `import()` loads when a feature is first used besides).
 *
 * @example
 * const { start, all } = await buildChunked('tv-client.js') // the client's start chunk against issue 24's 3 KB
 */
export async function buildChunked(entry: string): Promise<ChunkedBundle> {
  const chunks = await buildChunks(entry, 'es');
  const files = Object.fromEntries(await Promise.all(chunks.map(async (chunk) => [chunk.fileName, await shipped(chunk, 'es')] as const)));
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const start = new Set<string>();
  const visit = (name: string): void => {
    if (start.has(name)) return;
    start.add(name);
    for (const next of byName.get(name)?.imports ?? []) visit(next);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
  const join = (names: Iterable<string>) => bundle([...names].map((name) => files[name]).join('\n'));
  return { all: join(byName.keys()), start: join(start), chunks: chunks.length, startChunks: start.size, files, startFiles: [...start] };
}

/** The package a bundled module came from (`valibot`, `workbox-core`, `@tokenvault/protocol`, …). */
function packageOf(id: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  if (inModules) return inModules[1];
  const local = /\/(packages|apps)\/([^/]+)\//.exec(id);
  return local ? `@tokenvault/${local[2]}` : id.replace(repoRoot, '');
}

/** One package's part of a bundle, as shipped (minified). */
export interface Share {
  /** Minified bytes of the bundle that come from this package's modules. */
  bytes: number;
  /** Percent of the bundle's minified bytes. */
  share: number;
  /**
   * Brotli bytes of this package's minified slices compressed by themselves. Alone they compress
   * less well than inside the bundle, so the column adds up to more than the bundle's brotli size.
   */
  brotliAlone: number;
}

/** What the bundler adds around the modules (the IIFE wrapper, line breaks): no module's bytes. */
export const GLUE = '(bundle glue)';

/**
 * Splits a minified bundle by the package of each byte, read from its source map: a mapped segment
 * runs to the next segment of its line, and belongs to the module its mapping names. Unmapped
 * bytes are the bundle's own glue.
 */
export function attribute(code: string, map: { sources: (string | null)[]; mappings: string }): Map<string, string[]> {
  const slices = new Map<string, string[]>();
  const add = (name: string, text: string) => {
    if (text) slices.set(name, [...(slices.get(name) ?? []), text]);
  };
  const lines = code.split('\n');
  const decoded = decode(map.mappings);
  lines.forEach((line, index) => {
    const segments = decoded[index] ?? [];
    add(GLUE, line.slice(0, segments[0]?.[0] ?? line.length) + (index < lines.length - 1 ? '\n' : ''));
    segments.forEach((segment, i) => {
      const text = line.slice(segment[0], segments[i + 1]?.[0] ?? line.length);
      const source = segment.length >= 4 ? map.sources[segment[1] ?? -1] : null;
      add(source ? packageOf(source) : GLUE, text);
    });
  });
  return slices;
}

/**
 * What a bundle is made of, as shipped: each package's minified bytes, read from the source map of
 * the minified bundle (so that code the minifier drops counts for nothing), largest first.
 */
export async function composition(entry: string, format: 'es' | 'iife'): Promise<Record<string, Share>> {
  const slices = new Map<string, string[]>();
  for (const chunk of await buildChunks(entry, format, {}, true)) {
    if (!chunk.map) throw new Error(`Vite built no source map for ${entry}`);
    // ES output is minified once more, as in buildEntry; the minifier maps back through the first map.
    const { code, map } = format === 'es' ? await minify('bundle.js', chunk.code, { module: true, compress: true, mangle: true, sourcemap: true, inputMap: chunk.map }) : chunk;
    if (!map) throw new Error(`the minifier gave no source map for ${entry}`);
    // The comment that names the map is not shipped (buildEntry builds without one).
    const shipped = code.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '');
    for (const [name, texts] of attribute(shipped, map)) slices.set(name, [...(slices.get(name) ?? []), ...texts]);
  }
  const bytes = new Map([...slices].map(([name, texts]) => [name, Buffer.byteLength(texts.join(''))]));
  const sum = [...bytes.values()].reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    [...bytes]
      .sort((a, b) => b[1] - a[1])
      .map(([name, size]) => [name, { bytes: size, share: Math.round((size / sum) * 1000) / 10, brotliAlone: bundle(slices.get(name)?.join('') ?? '').brotli }]),
  );
}

/** The sources of our three bundles, for their composition. */
export const OUR_ENTRIES = {
  worker: { entry: `${repoRoot}packages/interceptor/src/sw.ts`, format: 'iife' },
  client: { entry: 'tv-client.js', format: 'es' },
  proxy: { entry: `${repoRoot}packages/proxy/src/main.ts`, format: 'es' },
} as const;

function builtFile(path: string): Bundle {
  return bundle(readFileSync(`${repoRoot}${path}`, 'utf8'));
}

/**
 * The JavaScript of the built proxy page (packages/proxy/dist): all of its chunks, and its first
 * chunk, what the frame loads before its code runs (the page's module scripts and their static
 * imports; chunks reached only by `import()` load when needed).
 */
function builtProxy(): { all: Bundle; first: Bundle; firstFiles: string[]; preloaded: Bundle } {
  const dist = `${repoRoot}packages/proxy/dist/`;
  const files = readdirSync(`${dist}assets/`, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => `assets/${name}`)
    .sort();
  if (files.length === 0) throw new Error('packages/proxy/dist has no script: run npm run build first');
  const firstFiles = firstChunkFiles(dist);
  const read = (names: readonly string[]) => names.map((name) => readFileSync(dist + name, 'utf8')).join('\n');
  return { all: bundle(read(files)), first: bundle(read(firstFiles)), firstFiles, preloaded: bundle(read(preloadedFiles(dist, undefined, firstFiles))) };
}

export interface Bundles {
  /**
   * `client` is every chunk of what an app ships of the client, `clientStart` what it runs to reach
   * ready; `proxy` is every chunk of the proxy page, `proxyFirst` the chunk(s) its frame loads first.
   */
  ours: { worker: Bundle; client: Bundle; clientStart: Bundle; proxy: Bundle; proxyFirst: Bundle; proxyPreloaded: Bundle };
  /** How many chunks the client has in all, and in its start chunk (the entry and a chunk it shares). */
  clientChunks: { all: number; start: number };
  /** The files of the proxy's first chunk, relative to packages/proxy/dist. */
  proxyFirstFiles: string[];
  forgerock: { worker: Bundle; client: Bundle; proxy: Bundle; app: Bundle };
  reference: { passthroughWorker: Bundle; workboxMinimalWorker: Bundle };
  /** The minimal app page script of rows 3 and 4's first visit (entries/tv-app.js), each chunk served. */
  vaultApp: ChunkedBundle;
}

/**
 * Every bundle the benchmark serves or weighs. Ours are the files `npm run build` ships (the client,
 * which ships as ES modules for the app's bundler, is bundled here the way an app's bundler would);
 * the ForgeRock ones are built from @forgerock/token-vault the way its README recommends.
 */
export async function buildBundles(): Promise<Bundles> {
  const [client, vaultApp, frWorker, frClient, frProxy, frApp, passthrough, workbox] = await Promise.all([
    buildChunked('tv-client.js'),
    buildChunked('tv-app.js'),
    buildEntry('fr-interceptor.js', 'iife'),
    buildEntry('fr-client.js', 'es'),
    buildEntry('fr-proxy.js', 'es'),
    buildEntry('fr-app.js', 'es'),
    buildEntry('passthrough-sw.js', 'iife'),
    buildEntry('workbox-minimal.js', 'iife'),
  ]);
  const proxy = builtProxy();
  return {
    ours: {
      worker: builtFile('packages/interceptor/dist/tokenvault-sw.js'),
      client: client.all,
      clientStart: client.start,
      proxy: proxy.all,
      proxyFirst: proxy.first,
      proxyPreloaded: proxy.preloaded,
    },
    clientChunks: { all: client.chunks, start: client.startChunks },
    proxyFirstFiles: proxy.firstFiles,
    forgerock: { worker: frWorker, client: frClient, proxy: frProxy, app: frApp },
    reference: { passthroughWorker: passthrough, workboxMinimalWorker: workbox },
    vaultApp,
  };
}
