import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The built UI comes with the `@tooltrace/web` package (its `dist/`): in this repository that is
 * the workspace's `web/dist`, in an install the package next to this one.
 */
export function webUiDir(): string {
  const manifest = createRequire(import.meta.url).resolve('@tooltrace/web/package.json');
  return path.join(path.dirname(manifest), 'dist');
}
