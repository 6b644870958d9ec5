import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    modulePreload: false,
    sourcemap: false,
    rolldownOptions: {
      // The sample host (our helper), and a host we do not control (vendor.html, for the tests of
      // the 'app-window' compatibility mode).
      input: { index: 'index.html', vendor: 'vendor.html' },
    },
  },
});
