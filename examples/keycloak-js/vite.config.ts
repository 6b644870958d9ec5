import { tokenvault } from '@tokenvault/build/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [tokenvault()],
});
