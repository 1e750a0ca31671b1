import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.join(root, 'client'),
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist', 'client'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
  },
  server: { proxy: { '/api': 'http://localhost:8787' } },
  test: {
    root,
    include: ['api/**/*.test.ts', 'scripts/**/*.test.ts', 'client/**/*.test.{ts,tsx}'],
    globalSetup: ['scripts/test-global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
