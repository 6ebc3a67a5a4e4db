// Serves the engine's precompressed copies (cura-engine.wasm.br / .gz, written by wasm/build-engine.mjs) with
// the matching Content-Encoding when the browser accepts it, in `vite` (dev) and `vite preview` (what
// `npm start` serves). A 3 MB wasm goes over the wire as about 0.8 MB; the browser decodes it while
// compileStreaming compiles, so the page sees the same application/wasm response.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';

const contentTypes: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
};

/** The encoding to send, from the request's Accept-Encoding and what exists on disk; brotli first. */
export function chooseEncoding(acceptEncoding: string | undefined, available: { br: boolean; gzip: boolean }): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((value) => value !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const accepts = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (available.br && accepts('br')) return 'br';
  if (available.gzip && accepts('gzip')) return 'gzip';
  return null;
}

/** Serves `<root>/engine/*.{wasm,js}` from its .br/.gz copy when the request accepts that encoding. */
export function precompressedMiddleware(rootOf: () => string, base: () => string): Connect.NextHandleFunction {
  return (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const url = (request.url ?? '').split('?')[0] ?? '';
    const prefix = `${base().replace(/\/$/, '')}/engine/`;
    if (!url.startsWith(prefix)) return next();
    const extension = /\.[a-z]+$/.exec(url)?.[0] ?? '';
    const contentType = contentTypes[extension];
    if (!contentType) return next();
    const root = resolve(rootOf());
    const file = normalize(join(root, 'engine', decodeURIComponent(url.slice(prefix.length))));
    if (!file.startsWith(root + sep) || !existsSync(file)) return next();
    const encoding = chooseEncoding(request.headers['accept-encoding'], { br: existsSync(`${file}.br`), gzip: existsSync(`${file}.gz`) });
    response.setHeader('Vary', 'Accept-Encoding');
    if (!encoding) return next();
    const compressed = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
    // A stale copy (older than the file it compresses) is never served.
    if (statSync(compressed).mtimeMs < statSync(file).mtimeMs) return next();
    const body = readFileSync(compressed);
    response.statusCode = 200;
    response.setHeader('Content-Type', contentType);
    response.setHeader('Content-Encoding', encoding);
    response.setHeader('Content-Length', String(body.length));
    response.setHeader('Cache-Control', 'no-cache');
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}

/** The plugin: wire it in vite.config.ts. */
export function servePrecompressedEngine(): Plugin {
  return {
    name: 'sliceport-serve-precompressed-engine',
    configureServer(server) {
      server.middlewares.use(precompressedMiddleware(() => server.config.publicDir, () => server.config.base));
    },
    configurePreviewServer(server) {
      server.middlewares.use(precompressedMiddleware(() => resolve(server.config.root, server.config.build.outDir), () => server.config.base));
    },
  };
}
