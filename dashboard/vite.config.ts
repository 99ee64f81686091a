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
    // our own fonts and images as files, not data: URLs (GraphiQL's stylesheet brings its own)
    assetsInlineLimit: 0,
    // the IDE's Monaco editor is one 2.7 MB file, loaded only at /graphql
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      input: { dashboard: here('index.html'), ide: here('ide.html') },
      // React libraries' "use client" directives mean nothing in a browser bundle
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npx vite dashboard` for development against a running hub
    proxy: { '/graphql': 'http://localhost:4000' },
  },
});
