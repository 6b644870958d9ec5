import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    // One small module, no preload polyfill: the proxy's CSP allows only its own scripts.
    modulePreload: false,
    sourcemap: false,
  },
});
