// A second copy of the production build served from its own little HTTP server, so a test can change
// the files (a new sw.js = a new version of Sliceport) without touching the build other tests use.

import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

export function builtSiteDir(): string {
  return resolve(process.env.SLICEPORT_DIST ?? 'dist');
}

export class StaticSite {
  readonly root: string;
  private server: Server | undefined;
  url = '';

  constructor(source = builtSiteDir()) {
    this.root = mkdtempSync(join(tmpdir(), 'sliceport-site-'));
    cpSync(source, this.root, { recursive: true });
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      let file = normalize(join(this.root, path));
      if (!file.startsWith(this.root)) {
        response.writeHead(403).end();
        return;
      }
      try {
        if (statSync(file).isDirectory()) file = join(file, 'index.html');
        const body = readFileSync(file);
        response.writeHead(200, {
          'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-cache',
        });
        response.end(body);
      } catch {
        response.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  /** A new release as the browser sees it: a service worker script with different bytes. */
  publishNewServiceWorker(): void {
    const file = join(this.root, 'sw.js');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// release ${Date.now()}\n`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
    rmSync(this.root, { recursive: true, force: true });
  }
}
