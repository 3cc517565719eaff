import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // Source maps stay off the public build; nothing server-side is bundled into it anyway.
    sourcemap: false,
  },
});
