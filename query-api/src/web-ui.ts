/**
 * Serves the built web UI, compressed (gzip/deflate/br as the browser accepts):
 * hashed assets with long caching, and index.html for
 * every other GET that is not an API path (client-side routing). `/api/*` never
 * falls back; it answers JSON 404s.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Router } from 'express';
import { NotFoundError } from './errors.ts';

const FILE_EXTENSION = /\.[a-z0-9]+$/i;

export function webUi(webDistDir: string): Router {
  const root = path.resolve(webDistDir);
  const index = path.join(root, 'index.html');
  const router = express.Router();
  // Only here: the UI's JS and HTML shrink ~3× with gzip; the API's live feed (SSE) must not be buffered by it.
  router.use(compression());
  router.use(
    express.static(root, {
      index: false,
      setHeaders: (res, file) => {
        // Vite puts content-hashed files under assets/; everything else may change between builds.
        const hashed = file.startsWith(path.join(root, 'assets') + path.sep);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.get(/^(?!\/api(?:\/|$)).*/, (req, res, next) => {
    if (!existsSync(index)) {
      next(new NotFoundError(`web UI not built (no ${index}): run npm run build -w @tooltrace/web`));
      return;
    }
    // A missing asset (anything with a file extension) is a 404, not index.html served as script.
    if (!req.accepts('html') || FILE_EXTENSION.test(req.path)) {
      next(new NotFoundError(`no such file: ${req.path}`));
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
