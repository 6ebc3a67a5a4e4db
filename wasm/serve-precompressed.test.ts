// The engine's precompressed copies go out with the right Content-Encoding, only to browsers that accept it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding, precompressedMiddleware } from './serve-precompressed.js';

const root = mkdtempSync(join(tmpdir(), 'sliceport-precompressed-'));
const wasm = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(4000, 7)]);
let server: Server;
let port = 0;

beforeAll(async () => {
  mkdirSync(join(root, 'engine'), { recursive: true });
  writeFileSync(join(root, 'engine', 'cura-engine.wasm'), wasm);
  writeFileSync(join(root, 'engine', 'cura-engine.wasm.br'), brotliCompressSync(wasm));
  writeFileSync(join(root, 'engine', 'cura-engine.wasm.gz'), gzipSync(wasm));
  const handle = precompressedMiddleware(() => root, () => '/');
  server = createServer((req, res) =>
    handle(req, res, () => {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/wasm');
      res.end(wasm);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  port = address.port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

function get(path: string, acceptEncoding?: string): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving the precompressed engine', () => {
  it('chooses brotli, then gzip, honouring q=0', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd', { br: true, gzip: true })).toBe('br');
    expect(chooseEncoding('gzip, br;q=0', { br: true, gzip: true })).toBe('gzip');
    expect(chooseEncoding('br', { br: false, gzip: true })).toBeNull();
    expect(chooseEncoding(undefined, { br: true, gzip: true })).toBeNull();
    expect(chooseEncoding('*', { br: true, gzip: true })).toBe('br');
  });

  it('sends the .br copy as application/wasm with Content-Encoding: br', async () => {
    const response = await get('/engine/cura-engine.wasm', 'gzip, deflate, br');
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toBe('application/wasm');
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(response.body).equals(wasm)).toBe(true);
  });

  it('sends gzip to a browser without brotli, and the plain file to one without either', async () => {
    const gzip = await get('/engine/cura-engine.wasm', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(wasm)).toBe(true);
    const plain = await get('/engine/cura-engine.wasm');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(wasm)).toBe(true);
  });

  it('leaves other paths alone and never serves outside the engine folder', async () => {
    const other = await get('/assets/cura-engine.wasm', 'br');
    expect(other.headers['content-encoding']).toBeUndefined();
    const escape = await get('/engine/..%2F..%2Fetc%2Fpasswd.js', 'br');
    expect(escape.headers['content-encoding']).toBeUndefined();
  });
});
