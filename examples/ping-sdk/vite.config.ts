import { tokenvault } from '@tokenvault/build/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [tokenvault()],
  // The app, and the page where the SDK's prompt=none renewal lands in its hidden iframe.
  build: { rolldownOptions: { input: { main: 'index.html', silent: 'silent.html' } } },
});
