import path from 'node:path';
import react from '@vitejs/plugin-react';
import * as vite from 'vite';
import { sourceResolution } from '../source-conditions.ts';

// `npm run dev -w @tooltrace/web` proxies the API to a running `tooltrace start` (TOOLTRACE_API_URL).
const apiUrl = process.env.TOOLTRACE_API_URL ?? 'http://127.0.0.1:8080';

export default vite.defineConfig({
  root: import.meta.dirname,
  // The UI bundles @tooltrace/conventions from its sources: no build of it needed first.
  ...sourceResolution(vite),
  plugins: [react()],
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: apiUrl, changeOrigin: true } },
  },
});
