import { defineConfig } from 'vite';

export default defineConfig({
  // The proxy ships built for production: development messages and checks compile out.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    // One small module, no preload polyfill: the proxy's CSP allows only its own scripts.
    modulePreload: false,
    sourcemap: false,
  },
});
