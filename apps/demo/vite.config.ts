import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    modulePreload: false,
    sourcemap: false,
    rollupOptions: {
      // The app, and the empty page where prompt=none re-checks land.
      input: { main: 'index.html', silent: 'silent-callback.html' },
    },
  },
});
