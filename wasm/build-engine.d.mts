// Types of wasm/build-engine.mjs for the TypeScript side (tests, benchmarks).
export interface BuiltEngineManifest {
  engine: string;
  kind: 'curaengine-5' | 'cura-wasm-2020';
  builtFromSource: boolean;
  settingVersion: number;
  wasmBytes: number;
  wasmGzipBytes: number;
  wasmBrotliBytes: number;
  glueBytes: number;
  glueGzipBytes: number;
  glueBrotliBytes: number;
  [key: string]: unknown;
}
export const engineFiles: { wasm: string; glue: string; manifest: string };
export const recipeFiles: string[];
export function buildFallbackEngine(outDir: string, log?: (line: string) => void): BuiltEngineManifest;
export function buildSourceEngine(outDir: string, log?: (line: string) => void): Promise<BuiltEngineManifest>;
export function buildEngine(
  outDir: string,
  options?: { mode?: 'auto' | 'source' | 'cura-wasm'; log?: (line: string) => void },
): Promise<BuiltEngineManifest>;
