// The dashboard and the GraphQL IDE (dashboard/dist, built by scripts/build-dashboard.mjs),
// served by the gateway beside /graphql: `/` and every dashboard route answer index.html (the
// router reads the path), `/assets/*` the built files, and a browser's GET /graphql without a
// query the IDE. Nothing outside dist is ever read: a path is looked up among the files found
// there at start, never joined onto the file system.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import type { StaticPage } from '../../lib/graphql/httpServer.ts';

export const DASHBOARD_DIST = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/**
 * Only this origin's scripts, styles, fonts and connections: a page served by the hub loads
 * nothing from elsewhere, and nothing injected into it runs. Inline styles are allowed for
 * Element Plus's and ECharts' computed sizes; workers (the IDE's editor) only from this origin;
 * fonts also as data: URLs, which is how GraphiQL's stylesheet carries its fonts and icons (inside
 * the file served, nothing fetched).
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

type StaticAnswer = StaticPage;

interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Built with a content hash in its name: cached for a year. */
  immutable: boolean;
}

/** Every file under dist, by its URL path; read once, at start. */
function readDist(dist: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      const relativePath = relative(dist, path);
      if (relativePath.startsWith('.')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else {
        files.set(`/${relativePath.split(sep).join('/')}`, {
          body: readFileSync(path),
          contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
          immutable: relativePath.startsWith(`assets${sep}`),
        });
      }
    }
  };
  walk(dist);
  return files;
}

const answer = (file: StaticFile): StaticAnswer => ({
  status: 200,
  headers: {
    'content-type': file.contentType,
    'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY_HEADERS,
  },
  body: file.body,
});

const notBuilt = (): StaticAnswer => ({
  status: 503,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
  body: Buffer.from('DASHBOARD_NOT_BUILT: the dashboard is not built; run `npm run dashboard:build` (npm install and npm start build it)\n'),
});

/** A browser asking for a page (not a GraphQL client): it accepts HTML. */
const wantsHtml = (request: IncomingMessage): boolean => /\btext\/html\b/.test(request.headers.accept ?? '');

export interface Pages {
  /** The answer to a GET or HEAD for a page or asset, or null when the path is not one (the API's). */
  answer(request: IncomingMessage, url: URL): StaticAnswer | null;
}

export function dashboardPages(dist: string = DASHBOARD_DIST): Pages {
  const files = existsSync(join(dist, 'index.html')) ? readDist(dist) : null;
  return {
    answer(request, url) {
      const method = request.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') return null;
      const path = url.pathname;
      if (path === '/graphql') {
        // the IDE for a browser; a GraphQL GET (with ?query=) is the API's
        if (!wantsHtml(request) || url.searchParams.has('query') || url.searchParams.has('extensions')) return null;
        const ide = files?.get('/ide.html');
        return ide ? answer(ide) : notBuilt();
      }
      if (path === '/health' || path === '/live' || path === '/metrics') return null;
      if (!files) return notBuilt();
      const file = files.get(path);
      if (file) return answer(file);
      // a missing asset or hidden file is a 404; any other path is a dashboard route (/region/430000…)
      if (path.startsWith('/assets/') || path.includes('/.') || extname(path) !== '') return null;
      return answer(files.get('/index.html')!);
    },
  };
}
