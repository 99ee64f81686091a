// The dashboard and the GraphQL IDE, built into dashboard/dist and served by the gateway at `/`
// and `/graphql` (gateway/pages/). Everything they load is in that folder: the offices that use
// them sit on intranets without a CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [vue()],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // what the benchmark's page weight reads (bench/dashboardPage.ts)
    manifest: true,
    // no inlined data: URLs for fonts or images: the page's content security policy refuses them
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { dashboard: here('index.html'), ide: here('ide.html') },
    },
  },
  server: {
    // `npx vite dashboard` for development against a running hub
    proxy: { '/graphql': 'http://localhost:4000' },
  },
});
