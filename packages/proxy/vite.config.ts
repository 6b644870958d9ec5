import { defineConfig } from 'vite';

export default defineConfig({
  // The proxy ships built for production: development messages and checks compile out.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
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
