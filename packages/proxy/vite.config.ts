import { defineConfig, type Rolldown } from 'vite';

/**
 * The chunks the frame imports at start for a part of the configuration, with the chunks they
 * import, the entry's excepted: the host's door (`door/listenForHost.ts`), which the hello waits
 * for when host origins are configured; the request path (`request`: a request's check, its
 * routing and its response's wiring), which the frame imports right after the first hello.
 */
const START_CHUNKS: Readonly<Record<string, readonly string[]>> = {
  host: ['/src/door/listenForHost.ts'],
  request: ['/src/door/parseRequest.ts', '/src/routing/routeFetch.ts', '/src/network/wireResponse.ts'],
};

function chunkFiles(bundle: Rolldown.OutputBundle, moduleId: string): string[] {
  const chunks = Object.values(bundle).filter((file): file is Rolldown.OutputChunk => file.type === 'chunk');
  const start = chunks.find((chunk) => chunk.facadeModuleId?.endsWith(moduleId));
  if (!start) throw new Error(`The proxy build has no chunk for ${moduleId}`);
  const files = new Set<string>();
  const visit = (chunk: Rolldown.OutputChunk): void => {
    if (chunk.isEntry || files.has(chunk.fileName)) return;
    files.add(chunk.fileName);
    for (const name of chunk.imports) {
      const next = chunks.find((c) => c.fileName === name);
      if (next) visit(next);
    }
  };
  visit(start);
  return [...files];
}

export default defineConfig({
  // The proxy ships built for production: development messages and checks compile out.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  plugins: [
    {
      // The page asks for the chunks the frame imports at start beside its first chunk, instead of
      // one round trip (or two: a chunk's own imports) after that chunk has run and read the
      // configuration. Each link names the part of the configuration that loads it
      // (data-tokenvault-start); @tokenvault/build's renderProxyPage keeps only the links the
      // configuration uses.
      name: 'tokenvault:start-chunks',
      transformIndexHtml: {
        order: 'post',
        handler(_html, context) {
          const bundle = context.bundle;
          if (!bundle) return [];
          // Each chunk once, with every part that loads it.
          const parts = new Map<string, string[]>();
          for (const [part, moduleIds] of Object.entries(START_CHUNKS)) {
            for (const file of moduleIds.flatMap((moduleId) => chunkFiles(bundle, moduleId))) {
              const of = parts.get(file) ?? [];
              if (!of.includes(part)) parts.set(file, [...of, part]);
            }
          }
          return [...parts].map(([file, of]) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}`, 'data-tokenvault-start': of.join(' ') },
            injectTo: 'head' as const,
          }));
        },
      },
    },
    {
      // Vite wraps every import() in its preload helper (about 1.7 KB minified in the first
      // chunk), even with modulePreload false and no CSS: with nothing to preload it only calls the
      // import (vitejs/vite#13952, #18551). This helper does just that; a failed import rejects as
      // it would without Vite, and the frame retries it on the next use.
      name: 'tokenvault:no-preload-helper',
      enforce: 'pre',
      resolveId: (id) => (id.includes('vite/preload-helper') ? '\0tokenvault:preload-helper' : null),
      load: (id) => (id === '\0tokenvault:preload-helper' ? 'export const __vitePreload = (load) => load();' : null),
    },
  ],
  build: {
    outDir: 'dist',
    // No preload polyfill: the proxy's CSP allows only its own scripts.
    modulePreload: false,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // The frame's first chunk (the entry, assets/index-*.js) keeps every module it imports
        // statically: without this, modules it shares with a lazy chunk went into small common
        // chunks that the entry had to fetch, one round trip later, before it could run. What the
        // frame loads with import() (sign-in pages, session watch, DPoP, OP calls, ...) stays apart.
        codeSplitting: { groups: [{ name: 'index', tags: ['$initial'] }] },
      },
    },
  },
});
