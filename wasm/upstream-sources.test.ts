// Getting the pinned sources: from the vendor folder by archive sha256, or downloaded and checked by tree hash.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  obtainArchive,
  pinnedSources,
  treeHash,
  treeHashOfDirectory,
  unpackArchive,
  vendorDirectory,
} from './upstream-sources.mjs';

const work = mkdtempSync(join(tmpdir(), 'sliceport-sources-'));

/** The tree hash as the pins define it, computed here independently from the files we packed. */
function expectedTreeHash(files: Record<string, string>, only?: string[]): string {
  const lines = Object.entries(files)
    .filter(([path]) => !only || only.some((prefix) => path.startsWith(prefix)))
    .map(([path, content]) => `${path}\0${createHash('sha256').update(content).digest('hex')}\n`)
    .sort();
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** A .tar.gz made by the system's tar from `files` under a top folder `top`. */
function makeArchive(name: string, top: string, files: Record<string, string>): Buffer {
  const folder = join(work, `${name}-tree`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(folder, top, path, '..'), { recursive: true });
    writeFileSync(join(folder, top, path), content);
  }
  const archive = join(work, `${name}.tar.gz`);
  const tar = spawnSync('tar', ['-czf', archive, '-C', folder, top]);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
  return readFileSync(archive);
}

const files = {
  'README.md': 'a small upstream project\n',
  'src/main.cpp': 'int main() { return 0; }\n',
  'include/project/deep/header.hpp': '#pragma once\n',
};
const goodArchive = makeArchive('good', 'project-1.0', files);
const tamperedArchive = makeArchive('tampered', 'project-1.0', { ...files, 'src/main.cpp': 'int main() { return 1; }\n' });

let server: Server;
let baseUrl = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const body = request.url === '/good.tar.gz' ? goodArchive : request.url === '/tampered.tar.gz' ? tamperedArchive : null;
    if (!body) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  baseUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

function pins(url: string) {
  return {
    project: {
      file: 'project-1.0.tar.gz',
      version: '1.0',
      commit: '0123456789abcdef0123456789abcdef01234567',
      url,
      sha256: createHash('sha256').update(goodArchive).digest('hex'),
      treeHash: expectedTreeHash(files),
    },
  };
}

describe('pinned upstream sources', () => {
  it('computes the tree hash of an archive independently of its top folder and compression', () => {
    expect(treeHash(goodArchive)).toBe(expectedTreeHash(files));
    const renamedTop = makeArchive('renamed', 'other-top', files);
    expect(treeHash(renamedTop)).toBe(expectedTreeHash(files));
    expect(treeHash(tamperedArchive)).not.toBe(expectedTreeHash(files));
    expect(treeHash(goodArchive, { only: ['src/'] })).toBe(expectedTreeHash(files, ['src/']));
  });

  it('downloads an archive, accepts it by tree hash, and uses the cached copy next time', async () => {
    const cacheDir = join(work, 'cache-good');
    const before = requests.length;
    const first = await obtainArchive('project', { sources: pins(`${baseUrl}/good.tar.gz`), vendorDir: null, cacheDir });
    expect(first.origin).toBe('download');
    expect(treeHash(first.path)).toBe(expectedTreeHash(files));
    expect(requests.length).toBe(before + 1);

    const second = await obtainArchive('project', { sources: pins(`${baseUrl}/good.tar.gz`), vendorDir: null, cacheDir });
    expect(second.origin).toBe('cache');
    expect(second.path).toBe(first.path);
    expect(requests.length).toBe(before + 1);
  });

  it('refuses a downloaded archive whose files differ from the pinned ones, and keeps nothing of it', async () => {
    const cacheDir = join(work, 'cache-tampered');
    await expect(
      obtainArchive('project', { sources: pins(`${baseUrl}/tampered.tar.gz`), vendorDir: null, cacheDir }),
    ).rejects.toThrow(/does not contain the pinned sources of project \(tree hash [0-9a-f]{64}, expected [0-9a-f]{64}\); it was not used/);
    expect(existsSync(join(cacheDir, 'sources'))).toBe(false);
  });

  it('says plainly when a download fails', async () => {
    await expect(
      obtainArchive('project', { sources: pins(`${baseUrl}/missing.tar.gz`), vendorDir: null, cacheDir: join(work, 'cache-404') }),
    ).rejects.toThrow(/could not download http:\/\/127\.0\.0\.1:\d+\/missing\.tar\.gz: HTTP 404/);
  });

  it('takes an archive from the vendor folder only with the pinned sha256', async () => {
    const vendorDir = join(work, 'vendor');
    mkdirSync(vendorDir, { recursive: true });
    writeFileSync(join(vendorDir, 'project-1.0.tar.gz'), goodArchive);
    const fromVendor = await obtainArchive('project', { sources: pins('http://127.0.0.1:9/unused'), vendorDir, cacheDir: work });
    expect(fromVendor).toMatchObject({ origin: 'vendor', path: join(vendorDir, 'project-1.0.tar.gz') });

    writeFileSync(join(vendorDir, 'project-1.0.tar.gz'), tamperedArchive);
    await expect(obtainArchive('project', { sources: pins('http://127.0.0.1:9/unused'), vendorDir, cacheDir: work })).rejects.toThrow(
      /is not the pinned archive: its sha256 is [0-9a-f]{64}, expected/,
    );
  });

  it('unpacks with the top folder stripped, optionally only some folders', () => {
    const archive = join(work, 'good.tar.gz');
    const all = join(work, 'unpacked-all');
    expect(unpackArchive(archive, all)).toBe(3);
    expect(readFileSync(join(all, 'include/project/deep/header.hpp'), 'utf8')).toBe('#pragma once\n');
    expect(treeHashOfDirectory(all)).toBe(expectedTreeHash(files));

    const some = join(work, 'unpacked-some');
    expect(unpackArchive(archive, some, { only: ['src/'] })).toBe(1);
    expect(existsSync(join(some, 'README.md'))).toBe(false);
  });

  it('pins every archive of the vendor folder with its sha256 and tree hash', async (context) => {
    if (!vendorDirectory()) {
      context.skip('the vendor folder (../shared/vendor or SLICEPORT_VENDOR_DIR) is absent');
      return;
    }
    const sources = pinnedSources();
    for (const name of ['curaengine', 'clipper', 'fmt']) {
      const archive = await obtainArchive(name, { allowDownload: false });
      expect(archive.origin).toBe('vendor');
      expect(treeHash(archive.path)).toBe(sources[name].treeHash);
    }
  });
});
