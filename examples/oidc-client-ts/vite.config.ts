import { tokenvault } from '@tokenvault/build/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [tokenvault()],
  // The app, and the page where the library's prompt=none answers land.
  build: { rolldownOptions: { input: { main: 'index.html', silent: 'silent.html' } } },
});
