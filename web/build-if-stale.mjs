// Builds the UI only when a file it is built from is newer than web/dist/index.html,
// so `npm start` and `npm pack` do not rerun vite on every call.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const web = import.meta.dirname;
const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json', '../conventions/src'].map((p) =>
  path.join(web, p),
);
const built = path.join(web, 'dist/index.html');

function newest(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...inputs.filter(existsSync).map(newest))) {
  console.log('web/dist is up to date');
} else {
  try {
    execFileSync('npm', ['run', 'build'], { cwd: web, stdio: 'inherit' });
  } catch {
    process.exit(1); // npm has said what failed
  }
}
