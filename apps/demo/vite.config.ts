import { tokenvault } from '@tokenvault/build/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  // TOKENVAULT_CONFIG names another configuration file (the nginx test run builds the demo for its ports).
  plugins: [tokenvault({ config: process.env.TOKENVAULT_CONFIG ?? 'tokenvault.config.ts' })],
  build: {
    outDir: 'dist',
    modulePreload: false,
    sourcemap: false,
    rolldownOptions: {
      // The drop-in app, the sealed app, and the empty page where prompt=none re-checks land.
      input: { main: 'index.html', sealed: 'sealed.html', silent: 'silent-callback.html' },
    },
  },
});
