import { defineConfig } from 'vite';

export default defineConfig({
  // The proxy ships built for production: development messages and checks compile out.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  plugins: [
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
