// What the About section says about the slicing engine and the printer catalog, from the files served
// with the app (engine/engine.json, definitions/catalog.json): the exact engine, how it was built, and
// where its corresponding source is (AGPL-3.0: the pinned upstream archives plus our recipe and patches,
// which are served beside the engine). Read defensively: a missing or older file gives fewer facts.
import { describeCatalog } from './catalog-provenance.js';

export interface SourceLink {
  label: string;
  url: string;
}

export interface AboutFacts {
  /** "CuraEngine 5.13.0" */
  engine: string;
  /** "built from source with Emscripten 3.1.6" or how the fallback was obtained. */
  build: string;
  catalog?: string;
  /** Upstream archives of the engine's sources, with version and commit. */
  sources: SourceLink[];
  /** Our build recipe and patches, served with the app (relative to the app's base). */
  recipe: SourceLink[];
  /** Our changes to the upstream sources, each with its reason. */
  patches: { file: string; why: string }[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const isHttpUrl = (value: string) => /^https:\/\/[^\s"'<>]+$/.test(value);

export function aboutFactsFrom(engineJson: unknown, catalogJson: unknown, engineBase = 'engine/'): AboutFacts | null {
  if (!isRecord(engineJson)) return null;
  const engine = text(engineJson.engine);
  if (!engine) return null;
  const fromSource = engineJson.builtFromSource === true;
  const build = fromSource
    ? `built from source${text(engineJson.toolchain) ? ` with ${text(engineJson.toolchain)}` : ''}, single-threaded WebAssembly`
    : 'the prebuilt WebAssembly of the cura-wasm package (fallback: this installation could not build CuraEngine 5.13)';
  const sources: SourceLink[] = [];
  for (const entry of Array.isArray(engineJson.correspondingSource) ? engineJson.correspondingSource : []) {
    if (!isRecord(entry)) continue;
    const url = text(entry.url);
    const name = text(entry.name);
    if (!url || !name || !isHttpUrl(url)) continue;
    const version = text(entry.version);
    const commit = text(entry.commit);
    sources.push({ label: `${name}${version ? ` ${version}` : ''}${commit ? ` (${commit.slice(0, 10)})` : ''}`, url });
  }
  const recipe: SourceLink[] = [];
  for (const entry of Array.isArray(engineJson.recipe) ? engineJson.recipe : []) {
    if (!isRecord(entry)) continue;
    const path = text(entry.path);
    const served = text(entry.served);
    if (!path || !served || !/^recipe\/[\w.-]+$/.test(served)) continue;
    recipe.push({ label: path, url: `${engineBase}${served}` });
  }
  const patches: { file: string; why: string }[] = [];
  for (const entry of Array.isArray(engineJson.patches) ? engineJson.patches : []) {
    if (!isRecord(entry)) continue;
    const file = text(entry.file);
    const why = text(entry.why);
    if (file && why) patches.push({ file: `${text(entry.source) ?? ''}/${file}`.replace(/^\//, ''), why });
  }
  const catalog = describeCatalog(catalogJson);
  return { engine, build, ...(catalog ? { catalog } : {}), sources, recipe, patches };
}

/** Fetches both files from the app's own origin and reads them. */
export async function loadAboutFacts(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<AboutFacts | null> {
  const json = async (path: string): Promise<unknown> => {
    try {
      const response = await fetchImpl(new URL(path, baseUrl));
      return response.ok ? ((await response.json()) as unknown) : null;
    } catch {
      return null;
    }
  };
  const [engineJson, catalogJson] = await Promise.all([json('engine/engine.json'), json('definitions/catalog.json')]);
  return aboutFactsFrom(engineJson, catalogJson, new URL('engine/', baseUrl).href);
}
