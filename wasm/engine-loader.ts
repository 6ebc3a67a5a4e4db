// Loads our CuraEngine build (wasm/build-engine.mjs → public/engine/): compiles the `.wasm` once with
// WebAssembly.compileStreaming (so the browser can cache the compiled code and the service worker the
// bytes), imports the generated glue module, and makes fresh engine instances from the compiled module.
// The same code runs in the slicer worker and in Node.
import { engineCallbackArguments, parseEngineScript, type EngineMetadata } from './engine-script.js';

export type { EngineMetadata };

/** What public/engine/engine.json says about the build (the fields the app uses; read defensively). */
export interface EngineDescription {
  /** "CuraEngine 5.13.0" or "CuraEngine master 2020-12 from cura-wasm 1.5.2". */
  engine: string;
  /** Which command-line dialect and callbacks the engine has. */
  kind: 'curaengine-5' | 'cura-wasm-2020';
  /** The Cura setting_version of the definitions it reads. */
  settingVersion?: number;
  builtFromSource: boolean;
}

/** Reads engine.json's content; unknown or missing fields fall back to the cura-wasm build (the older dialect). */
export function describeEngine(json: unknown): EngineDescription {
  const record = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const engine = typeof record.engine === 'string' ? record.engine : 'CuraEngine';
  const kind = record.kind === 'curaengine-5' || /^CuraEngine 5\./.test(engine) ? 'curaengine-5' : 'cura-wasm-2020';
  const settingVersion = typeof record.settingVersion === 'number' ? record.settingVersion : undefined;
  return { engine, kind, builtFromSource: record.builtFromSource === true, ...(settingVersion === undefined ? {} : { settingVersion }) };
}

export interface EngineFileSystem {
  mkdir(path: string): void;
  writeFile(path: string, data: string | Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
  analyzePath(path: string): { exists: boolean };
}

export interface EngineHooks {
  onProgress?(fraction: number): void;
  onMetadata?(metadata: EngineMetadata): void;
  onOutput?(line: string): void;
  onErrorOutput?(line: string): void;
  /**
   * The engine is still working: called at most every `stillWorkingMs` while it runs without reporting
   * progress (it reports none while it reads its settings or slices the mesh into layers).
   */
  onStillWorking?(): void;
  stillWorkingMs?: number;
  /** CuraEngine 5.13: the final G-code header (it leaves it out of the file under Emscripten). */
  onGcodeHeader?(text: string): void;
  /** CuraEngine 5.13: time per feature and material per extruder at the end of a slice. */
  onSliceInfo?(info: Record<string, unknown>): void;
  /** CuraEngine 5.13: its version and commit, when it starts writing G-code. */
  onEngineInfo?(info: Record<string, unknown>): void;
  /** Scripts the engine asked to run that we do not recognise (never evaluated). */
  onUnknownScript?(script: string): void;
  /** A heap ceiling below the engine's own 2 GiB (used to exercise the out-of-memory path). */
  maxHeapBytes?: number;
}

export interface EngineRunOutcome {
  /** The engine's exit code: 0 when it finished normally. */
  exitCode: number;
  /** The engine asked for more memory than it could get at some point. */
  heapExhausted: boolean;
  /** What the engine threw when it crashed rather than exiting (a trap, an abort, an uncaught C++ exception). */
  crash?: string;
}

export interface EngineInstance {
  readonly fs: EngineFileSystem;
  readonly description: EngineDescription;
  /** Arguments this engine needs after `slice` to report to us (its callback names); none for the 2020 build. */
  readonly hostArguments: readonly string[];
  /** Runs `CuraEngine <args>`; blocking. One run per instance: after it the instance is spent. */
  run(args: string[]): EngineRunOutcome;
}

/** The compiled engine: instantiate as many fresh engines from it as needed. */
export interface CompiledEngine {
  module: WebAssembly.Module;
  glue: GlueFactory;
  description: EngineDescription;
}

interface GlueModule {
  callMain(args: string[]): void;
  FS: EngineFileSystem;
}

type GlueFactory = (config: Record<string, unknown>) => Promise<GlueModule>;

export type WasmSource = Response | PromiseLike<Response> | ArrayBuffer | Uint8Array;

/** Compiles the engine's wasm; streaming when given a response served as application/wasm. */
export async function compileEngineWasm(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return WebAssembly.compile(source as BufferSource);
  const response = await source;
  if (!response.ok) throw new Error(`the engine could not be loaded (HTTP ${response.status} for ${response.url})`);
  const streaming = typeof WebAssembly.compileStreaming === 'function';
  if (streaming && response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Imports the generated glue module (public/engine/cura-engine.glue.js) from its URL. */
export async function importEngineGlue(glueUrl: string | URL): Promise<GlueFactory> {
  const glueModule = (await import(/* @vite-ignore */ String(glueUrl))) as { default?: unknown };
  if (typeof glueModule.default !== 'function') throw new Error(`${String(glueUrl)} is not the engine glue module`);
  return glueModule.default as GlueFactory;
}

/** Compiles the wasm and imports the glue together; `description` is engine.json's content (see describeEngine). */
export async function loadEngine(wasm: WasmSource, glueUrl: string | URL, description: unknown = null): Promise<CompiledEngine> {
  const [module, glue] = await Promise.all([compileEngineWasm(wasm), importEngineGlue(glueUrl)]);
  return { module, glue, description: describeEngine(description) };
}

/** A fresh engine: its own memory and file system, nothing left over from an earlier run. */
export async function createEngineInstance(compiled: CompiledEngine, hooks: EngineHooks = {}): Promise<EngineInstance> {
  let exitCode = 0;
  let heapExhausted = false;
  let spent = false;
  // Signs of life: the glue calls onBusy on every big memory copy (hundreds of thousands per slice), so
  // the clock is read only every 64th call.
  const stillWorkingMs = hooks.stillWorkingMs ?? 200;
  let lastSign = performance.now();
  let busyCalls = 0;
  const signOfLife = () => {
    const now = performance.now();
    if (now - lastSign >= stillWorkingMs) {
      lastSign = now;
      hooks.onStillWorking?.();
    }
  };
  const onBusy = () => {
    if (hooks.onStillWorking && (busyCalls = (busyCalls + 1) & 63) === 0) signOfLife();
  };

  const config: Record<string, unknown> = {
    noInitialRun: true,
    print: (line: string) => {
      hooks.onOutput?.(line);
      if (hooks.onStillWorking) signOfLife();
    },
    printErr: (line: string) => {
      hooks.onErrorOutput?.(line);
      if (hooks.onStillWorking) signOfLife();
    },
    // The engine calls exit() on fatal errors; record the code and unwind as Emscripten expects.
    quit: (status: number, toThrow: unknown) => {
      exitCode = status;
      throw toThrow;
    },
    runScript: (script: string) => {
      const call = parseEngineScript(script);
      lastSign = performance.now();
      if (call?.kind === 'progress') hooks.onProgress?.(call.fraction);
      else if (call?.kind === 'metadata') {
        const { kind: _kind, ...metadata } = call;
        hooks.onMetadata?.(metadata);
      } else if (call?.kind === 'gcode-header') hooks.onGcodeHeader?.(call.text);
      else if (call?.kind === 'slice-info') hooks.onSliceInfo?.(call.info);
      else if (call?.kind === 'engine-info') hooks.onEngineInfo?.(call.info);
      else hooks.onUnknownScript?.(script);
    },
    onBusy,
    onHeapExhausted: () => {
      heapExhausted = true;
    },
    maxHeapBytes: hooks.maxHeapBytes,
    instantiateWasm: (
      imports: WebAssembly.Imports,
      receiveInstance: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => {
      WebAssembly.instantiate(compiled.module, imports).then(
        (instance) => receiveInstance(instance, compiled.module),
        (error: unknown) => rejectStart(error),
      );
      return {};
    },
  };

  let rejectStart: (error: unknown) => void = () => undefined;
  const started = new Promise<never>((_resolve, reject) => {
    rejectStart = reject;
  });
  const glueModule = await Promise.race([compiled.glue(config), started]);

  return {
    fs: glueModule.FS,
    description: compiled.description,
    hostArguments: compiled.description.kind === 'curaengine-5' ? engineCallbackArguments : [],
    run(args: string[]): EngineRunOutcome {
      if (spent) throw new Error('this engine instance has already run; make a fresh one');
      spent = true;
      lastSign = performance.now();
      try {
        glueModule.callMain(args);
      } catch (error) {
        return { exitCode: exitCode || 1, heapExhausted, crash: describeCrash(error) };
      }
      return { exitCode, heapExhausted };
    },
  };
}

function describeCrash(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'number') return `uncaught C++ exception (pointer ${error})`;
  return String(error);
}
