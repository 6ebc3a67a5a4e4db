// Production build of a benchmark harness page (bench/<harness>/): the app's own workers, engine and
// definitions from public/, built the way the app is.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function harnessViteConfig(harness: string): UserConfig {
  return {
    root: resolve(root, 'bench', harness),
    publicDir: resolve(root, 'public'),
    worker: { format: 'es' },
    build: { target: 'es2022', emptyOutDir: true },
    logLevel: 'warn',
  };
}
