// Types of wasm/upstream-sources.mjs for the TypeScript side (tests, tools).
export interface PinnedSource {
  file: string;
  version: string;
  repository?: string;
  commit: string;
  url: string;
  license?: string;
  bytes?: number;
  sha256: string;
  treeHash: string;
  only?: string[];
}
export interface ObtainedArchive {
  path: string;
  origin: 'vendor' | 'cache' | 'download';
  source: PinnedSource;
}
export interface ObtainOptions {
  vendorDir?: string | null;
  cacheDir?: string;
  sources?: Record<string, PinnedSource>;
  fetch?: typeof fetch;
  log?: (line: string) => void;
  allowDownload?: boolean;
}
export const repositoryRoot: string;
export function pinnedSources(): Record<string, PinnedSource>;
export function vendorDirectory(): string | null;
export function cacheDirectory(): string;
export function sourceCacheDirectory(cacheDir?: string): string;
export function sha256File(path: string): string;
export function obtainArchive(name: string, options?: ObtainOptions): Promise<ObtainedArchive>;
export function treeHash(archive: string | Uint8Array, options?: { only?: string[] }): string;
export function treeHashOfDirectory(directory: string): string;
export function unpackArchive(archivePath: string, destination: string, options?: { only?: string[] }): number;
export function readArchiveFile(archivePath: string, path: string): string;
