import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    modulePreload: false,
    sourcemap: false,
  },
});
