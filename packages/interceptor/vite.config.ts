import { defineConfig } from 'vite';

// The drop-in worker: one classic script (Firefox and WebKit register classic workers everywhere),
// minified, with workbox's dev-only logging compiled out.
export default defineConfig({
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: { entry: 'src/sw.ts', formats: ['iife'], name: 'tokenvaultSw', fileName: () => 'tokenvault-sw.js' },
    minify: true,
    sourcemap: false,
  },
});
