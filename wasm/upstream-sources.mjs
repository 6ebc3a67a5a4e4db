/**
 * Pinned upstream source archives (the engine's sources, the Cura printer catalog, the materials), and
 * how a build gets them verified. The pins live in `wasm/upstream-sources.json`.
 *
 * Where an archive comes from, in order:
 *   1. the vendor folder: `$SLICEPORT_VENDOR_DIR`, else `../shared/vendor/` beside the repository. The
 *      archive must have exactly the pinned sha256.
 *   2. a verified download kept in the cache (`$SLICEPORT_CACHE_DIR`, else `~/.cache/sliceport`, folder
 *      `sources/`), re-checked on every use.
 *   3. the upstream archive URL of the same commit (GitHub's own archive of the tag or commit). Its bytes
 *      differ from the vendor archive (other compression and timestamps), so it is checked by TREE HASH:
 *      for every regular file, with the archive's top folder stripped, the line
 *      `path "\0" sha256-hex(content) "\n"`; lines sorted by path (as UTF-8 bytes); the sha256 of them all.
 *      For a subset archive (`only` in the pins) just the files under those path prefixes count.
 *
 * API:
 *   - `obtainArchive(name, options?)` → `{ path, origin: 'vendor' | 'cache' | 'download', source }`: the local
 *     path of a verified archive, or an Error whose message says in plain words what is wrong.
 *   - `unpackArchive(archivePath, destination, { only? })` → number of files written: unpacks a .tar.gz with
 *     the top folder stripped (and, with `only`, just the files under those prefixes).
 *   - `treeHash(archivePath, { only? })`, `treeHashOfDirectory(path)`, `pinnedSources()`, `sourceCacheDirectory()`,
 *     `vendorDirectory()`.
 * Options of obtainArchive: `vendorDir` (null: no vendor folder), `cacheDir`, `sources` (pins to use instead of
 * the committed ones), `fetch`, `log`, `allowDownload` (default true).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, lstatSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
export const repositoryRoot = resolve(here, '..');

/** The committed pins: `{ name: { file, version, repository, commit, url, license, bytes, sha256, treeHash, only? } }`. */
export function pinnedSources() {
  return JSON.parse(readFileSync(join(here, 'upstream-sources.json'), 'utf8')).sources;
}

/** `$SLICEPORT_VENDOR_DIR`, else `../shared/vendor` beside the repository; null when that folder is absent. */
export function vendorDirectory() {
  const candidate = process.env.SLICEPORT_VENDOR_DIR || join(repositoryRoot, '..', 'shared', 'vendor');
  return existsSync(candidate) ? resolve(candidate) : null;
}

/** Where builds keep downloads and build results: outside the repository. */
export function cacheDirectory() {
  return resolve(process.env.SLICEPORT_CACHE_DIR || join(homedir(), '.cache', 'sliceport'));
}

export function sourceCacheDirectory(cacheDir = cacheDirectory()) {
  return join(cacheDir, 'sources');
}

export function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Returns a verified local archive for the pinned source `name`.
 * @param {string} name
 * @param {{ vendorDir?: string | null, cacheDir?: string, sources?: Record<string, any>, fetch?: typeof fetch,
 *   log?: (line: string) => void, allowDownload?: boolean }} [options]
 * @returns {Promise<{ path: string, origin: 'vendor' | 'cache' | 'download', source: any }>}
 */
export async function obtainArchive(name, options = {}) {
  const sources = options.sources ?? pinnedSources();
  const source = sources[name];
  if (!source) throw new Error(`"${name}" is not one of the pinned sources (${Object.keys(sources).join(', ')})`);
  const log = options.log ?? (() => undefined);
  const vendorDir = options.vendorDir === undefined ? vendorDirectory() : options.vendorDir;

  if (vendorDir) {
    const path = join(vendorDir, source.file);
    if (existsSync(path)) {
      const actual = sha256File(path);
      if (actual !== source.sha256) {
        throw new Error(
          `${path} is not the pinned archive: its sha256 is ${actual}, expected ${source.sha256}. ` +
            'Replace it with the unmodified archive, or remove it so the build downloads the pinned commit.',
        );
      }
      return { path, origin: 'vendor', source };
    }
  }

  const cacheDir = join(sourceCacheDirectory(options.cacheDir ?? cacheDirectory()));
  const cached = join(cacheDir, `${name}-${source.commit}.tar.gz`);
  if (existsSync(cached)) {
    if (treeHash(cached, { only: source.only }) === source.treeHash) return { path: cached, origin: 'cache', source };
    log(`${cached} does not match the pinned tree hash any more; downloading it again`);
    rmSync(cached, { force: true });
  }

  if (options.allowDownload === false) {
    throw new Error(`${source.file} is not in the vendor folder and downloads are off`);
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  log(`downloading ${source.url}`);
  let bytes;
  try {
    const response = await fetchImpl(source.url, { redirect: 'follow' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new Error(`could not download ${source.url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let actual;
  try {
    actual = treeHash(bytes, { only: source.only });
  } catch (error) {
    throw new Error(`${source.url} is not a readable .tar.gz archive (${error instanceof Error ? error.message : String(error)})`);
  }
  if (actual !== source.treeHash) {
    throw new Error(
      `the archive downloaded from ${source.url} does not contain the pinned sources of ${name} ` +
        `(tree hash ${actual}, expected ${source.treeHash}); it was not used`,
    );
  }
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${cached}.tmp-${process.pid}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, cached);
  return { path: cached, origin: 'download', source };
}

/** One tar member: its path (top folder stripped), type flag and content. */
function* tarEntries(gzipped) {
  const tar = gunzipSync(gzipped);
  let offset = 0;
  let longName = null;
  let paxPath = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start, length) => {
      const raw = header.subarray(start, start + length);
      const end = raw.indexOf(0);
      return raw.subarray(0, end === -1 ? length : end).toString('utf8');
    };
    const size = parseTarNumber(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 48);
    const prefix = field(345, 155);
    const name = field(0, 100);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (body.length !== size) throw new Error('the archive is truncated');
    offset += 512 + Math.ceil(size / 512) * 512;

    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'x') {
      paxPath = parsePax(body).path ?? null;
      continue;
    }
    if (type === 'g') continue;
    const fullName = paxPath ?? longName ?? (prefix ? `${prefix}/${name}` : name);
    paxPath = null;
    longName = null;
    yield { path: stripTopFolder(fullName), type, body };
  }
}

function parseTarNumber(raw) {
  if (raw[0] & 0x80) {
    let value = 0;
    for (let i = 1; i < raw.length; i++) value = value * 256 + raw[i];
    return value;
  }
  const text = raw.toString('ascii').replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function parsePax(body) {
  const records = {};
  let rest = body;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    if (space <= 0) break;
    const length = parseInt(rest.subarray(0, space).toString('ascii'), 10);
    if (!(length > 0)) break;
    const record = rest.subarray(space + 1, length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    rest = rest.subarray(length);
  }
  return records;
}

function stripTopFolder(name) {
  let path = name.replace(/\\/g, '/');
  while (path.startsWith('./')) path = path.slice(2);
  path = path.replace(/^\/+/, '');
  const slash = path.indexOf('/');
  return slash === -1 ? '' : path.slice(slash + 1);
}

const isRegularFile = (type) => type === '0' || type === '7';
const selected = (path, only) => !only || only.some((prefix) => path.startsWith(prefix));

function digestLines(lines) {
  lines.sort((a, b) => Buffer.compare(a.key, b.key));
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line.text);
  return hash.digest('hex');
}

/**
 * Tree hash of a .tar.gz (path or bytes).
 * @param {string | Uint8Array} archive
 * @param {{ only?: string[] }} [options]
 */
export function treeHash(archive, options = {}) {
  const bytes = typeof archive === 'string' ? readFileSync(archive) : archive;
  const lines = [];
  for (const entry of tarEntries(bytes)) {
    if (!isRegularFile(entry.type) || !entry.path || !selected(entry.path, options.only)) continue;
    const digest = createHash('sha256').update(entry.body).digest('hex');
    lines.push({ key: Buffer.from(entry.path, 'utf8'), text: Buffer.from(`${entry.path}\0${digest}\n`, 'utf8') });
  }
  return digestLines(lines);
}

/** Tree hash of an unpacked folder (the folder plays the part of the archive's top folder). */
export function treeHashOfDirectory(directory) {
  const lines = [];
  const walk = (relative) => {
    for (const name of readdirSync(join(directory, relative))) {
      const childRelative = relative ? `${relative}/${name}` : name;
      const stat = lstatSync(join(directory, childRelative));
      if (stat.isDirectory()) walk(childRelative);
      else if (stat.isFile()) {
        const digest = sha256File(join(directory, childRelative));
        lines.push({ key: Buffer.from(childRelative, 'utf8'), text: Buffer.from(`${childRelative}\0${digest}\n`, 'utf8') });
      }
    }
  };
  walk('');
  return digestLines(lines);
}

/**
 * Unpacks the regular files of a .tar.gz into `destination`, top folder stripped. Symbolic links and other
 * special members are skipped; a member that would land outside `destination` is an error.
 * @param {string} archivePath
 * @param {string} destination
 * @param {{ only?: string[] }} [options]
 * @returns {number} files written
 */
export function unpackArchive(archivePath, destination, options = {}) {
  const root = resolve(destination);
  mkdirSync(root, { recursive: true });
  let files = 0;
  for (const entry of tarEntries(readFileSync(archivePath))) {
    if (!isRegularFile(entry.type) || !entry.path || !selected(entry.path, options.only)) continue;
    const target = resolve(root, entry.path);
    if (!target.startsWith(root + sep)) throw new Error(`${archivePath} holds a path outside its folder: ${entry.path}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.body);
    files++;
  }
  return files;
}

/** One file of a .tar.gz (path with the top folder stripped) as text; an error when absent. */
export function readArchiveFile(archivePath, path) {
  for (const entry of tarEntries(readFileSync(archivePath))) {
    if (isRegularFile(entry.type) && entry.path === path) return entry.body.toString('utf8');
  }
  throw new Error(`${archivePath} has no ${path}`);
}
