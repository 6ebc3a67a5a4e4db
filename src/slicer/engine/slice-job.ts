// One slice, start to finish, around a fresh engine instance: check the models against the build
// volume, write the definition chain and the models into the engine's file system, run the engine,
// and turn what comes out into G-code bytes with a summary, or into an error a person can act on.
// No I/O of its own: the caller supplies the engine and the definitions, so it runs in the worker and
// in Node alike.
import type { EngineHooks, EngineInstance, EngineMetadata } from '../../../wasm/engine-loader.js';
import type { SliceError, SliceOutcome, SliceProgress, SliceRequest } from '../slice-api.js';
import { bedCentreOf, buildVolumeFromSettings, whyOutsideVolume } from './build-volume.js';
import { collectDefinitionChain, MissingDefinitionError, type DefinitionLoader } from './definition-chain.js';
import { buildEngineArguments } from './engine-arguments.js';
import { filamentGrams, findLayerCount, headerFromEngineLog, parseHeader, prependHeader, provenanceLines, replaceHeader, type SliceProvenance } from './gcode-header.js';
import { decodeBinaryStl, shiftedStlCopy } from './placed-mesh.js';

export interface SliceJobOptions {
  /** A fresh engine instance wired to the given hooks. */
  createEngine(hooks: EngineHooks): Promise<EngineInstance>;
  loadDefinition: DefinitionLoader;
  onProgress?(progress: SliceProgress): void;
  /** Every line the engine logs, for diagnostics. */
  onLog?(line: string): void;
  /** Which printer catalog the settings were resolved from, for the G-code header (the engine names itself). */
  catalog?: string;
}

const definitionsDirectory = '/definitions';
const outputFile = '/output.gcode';
const defaultDensity = 1.24;
const logTail = 40;

/** What the engine logs when it starts a stage, and how we name the stage for a person. */
const engineStages: readonly [string, string][] = [
  ['Slicing model', 'Slicing layers'],
  ['Starting layerparts', 'Slicing layers'],
  ['Starting inset+skin', 'Walls and skin'],
  ['Starting support', 'Support'],
  ['Processing platform adhesion', 'Support and adhesion'],
  ['Starting export', 'Writing G-code'],
];

/** Engine progress fills this part of the bar; preparing and finishing take the ends. */
const engineShare = { from: 0.03, to: 0.98 };

export async function runSliceJob(request: SliceRequest, options: SliceJobOptions): Promise<SliceOutcome> {
  const report = (fraction: number, stage: string) => options.onProgress?.({ fraction, stage });
  report(0, 'Preparing');

  if (request.meshes.length === 0) return failure('nothing-to-print', 'There is nothing on the plate to slice.');
  if (request.settings.extruders.length === 0) {
    return failure('invalid-settings', 'The printer settings name no extruder.', 'EngineSettings.extruders is empty');
  }

  // 1. The models: readable, and inside the build volume.
  const volume = buildVolumeFromSettings(request.settings.global);
  if (typeof volume === 'string') return failure('invalid-settings', `Cannot slice: ${volume}.`);
  // Plate coordinates are the G-code frame; the engine wants meshes around the bed centre. One pass per
  // mesh gives the engine's copy and the bounds for the check.
  const [centreX, centreY] = bedCentreOf(volume);
  const engineMeshes: Uint8Array[] = [];
  for (const mesh of request.meshes) {
    const prepared = shiftedStlCopy(mesh.stl, -centreX, -centreY);
    if (typeof prepared === 'string') return failure('engine-failure', `"${mesh.name}" could not be sent to the slicer: ${prepared}.`);
    const { bytes, bounds } = prepared;
    if (!bounds) return failure('nothing-to-print', `"${mesh.name}" has no triangles.`);
    engineMeshes.push(bytes);
    const why = whyOutsideVolume(() => decodeBinaryStl(mesh.stl) as Float32Array, bounds, volume);
    if (why) {
      return failure(
        'outside-volume',
        `"${mesh.name}" is outside the build volume (${why}). Move or scale it onto the plate, then slice again.`,
        `bounds ${JSON.stringify(bounds)}; volume ${JSON.stringify(volume)}`,
      );
    }
    if (mesh.extruder < 0 || mesh.extruder >= request.settings.extruders.length) {
      return failure('invalid-settings', `"${mesh.name}" is set to extruder ${mesh.extruder + 1}, which this printer does not have.`);
    }
  }

  // 2. The definitions the engine will look for.
  let definitions;
  try {
    definitions = await collectDefinitionChain(request.machineDefinitionId, options.loadDefinition);
  } catch (error) {
    const message = error instanceof MissingDefinitionError ? error.message : `The printer definition could not be read: ${(error as Error).message}`;
    return failure('invalid-settings', message, String(error));
  }

  // 3. A fresh engine.
  const log: string[] = [];
  let metadata: EngineMetadata | null = null;
  let sentHeader: string | null = null;
  let lastEngineFraction = 0;
  // The engine's stage announcements are the only signs of life in phases without progress calls.
  let stage = 'Slicing';
  const onEngineLog = (raw: string) => {
    const line = plainLogLine(raw);
    log.push(line);
    options.onLog?.(line);
    const next = engineStages.find(([prefix]) => line.startsWith(prefix))?.[1];
    if (next) {
      stage = next;
      report(engineShare.from + (engineShare.to - engineShare.from) * lastEngineFraction, stage);
    }
  };
  let engine: EngineInstance;
  try {
    engine = await options.createEngine({
      onProgress: (fraction) => {
        lastEngineFraction = Math.max(lastEngineFraction, Math.min(1, fraction));
        report(engineShare.from + (engineShare.to - engineShare.from) * lastEngineFraction, stage);
      },
      onMetadata: (value) => {
        metadata = value;
      },
      onGcodeHeader: (text) => {
        sentHeader = text;
      },
      onErrorOutput: (line) => onEngineLog(line),
      onOutput: (line) => onEngineLog(line),
      // Where the engine gives no fraction, still say where it is, so the page sees it working.
      onStillWorking: () => report(engineShare.from + (engineShare.to - engineShare.from) * lastEngineFraction, stage),
    });
  } catch (error) {
    return failure('engine-failure', 'The slicing engine could not start. Close other tabs to free memory, then try again.', String(error));
  }

  engine.fs.mkdir(definitionsDirectory);
  for (const file of definitions) engine.fs.writeFile(`${definitionsDirectory}/${file.fileId}.def.json`, file.text);
  const meshFiles = request.meshes.map((mesh, index) => {
    const path = `/model-${index}.stl`;
    engine.fs.writeFile(path, engineMeshes[index]);
    return { path, extruder: mesh.extruder };
  });
  const args = buildEngineArguments({
    hostArguments: engine.hostArguments,
    // The 2020 engine logs its final header only when verbose; 5.13 sends it through a callback.
    verbose: engine.hostArguments.length === 0,
    machineFile: `${definitionsDirectory}/${request.machineDefinitionId}.def.json`,
    settings: request.settings,
    meshes: meshFiles,
    outputFile,
  });

  report(engineShare.from, 'Slicing');
  const outcome = engine.run(args);
  const tail = () => log.slice(-logTail).join('\n');

  if (outcome.exitCode !== 0 || outcome.crash) {
    if (outcome.heapExhausted) {
      return failure(
        'out-of-memory',
        'Slicing ran out of memory. Try fewer or smaller objects, a larger layer height, or less infill.',
        `${outcome.crash ?? ''}\n${tail()}`,
      );
    }
    return failure(
      'engine-failure',
      `The slicing engine failed (exit code ${outcome.exitCode}).${explainFromLog(log)}`,
      `${outcome.crash ? `${outcome.crash}\n` : ''}${tail()}`,
    );
  }

  // 4. The result.
  report(engineShare.to, 'Finishing');
  if (!engine.fs.analyzePath(outputFile).exists) return failure('engine-failure', 'The slicing engine wrote no G-code.', tail());
  let gcode = engine.fs.readFile(outputFile);
  const layerCount = findLayerCount(gcode);
  if (!layerCount || log.some((line) => line.includes('there are no non-empty layers'))) {
    return failure(
      'nothing-to-print',
      'Nothing to print: the slicer found no layers. Is the object too small or thin for these settings, or below the plate?',
      tail(),
    );
  }
  const provenance: SliceProvenance = { engine: engine.description.engine, ...(options.catalog ? { catalog: options.catalog } : {}) };
  const received = sentHeader as string | null;
  const header = received !== null ? received.split('\n').filter((line) => line.startsWith(';')) : headerFromEngineLog(log);
  if (received !== null && header) gcode = prependHeader(gcode, [...header, ...provenanceLines(provenance)]);
  else if (header) gcode = replaceHeader(gcode, [...header, ...provenanceLines(provenance)]);
  else gcode = prependHeader(gcode, provenanceLines(provenance));
  const facts = parseHeader(header ?? []);
  const meta = metadata as EngineMetadata | null;
  const diameters = request.settings.extruders.map((values) => Number(values.material_diameter) || 1.75);
  const densities = request.settings.extruders.map((_values, index) => request.materialDensities?.[index] ?? defaultDensity);
  let filamentLengths = facts.filamentMm;
  if (filamentLengths.length === 0 && meta) {
    // The engine's metadata gives volumes (mm³) for the first two extruders.
    filamentLengths = [meta.material1, meta.material2].map((volume, index) => volume / (Math.PI * ((diameters[index] ?? 1.75) / 2) ** 2));
  }
  const filamentMm = filamentLengths.reduce((sum, value) => sum + value, 0);
  const buffer = gcode.buffer.byteLength === gcode.byteLength ? gcode.buffer : gcode.slice().buffer;
  report(1, 'Done');
  return {
    ok: true,
    result: {
      gcode: buffer as ArrayBuffer,
      metadata: {
        printSeconds: facts.printSeconds ?? meta?.printSeconds ?? 0,
        filamentMm,
        filamentGrams: filamentGrams(filamentLengths, diameters, densities),
        layerCount,
        bounds: facts.bounds,
      },
    },
  };
}

/**
 * One engine log line without terminal colours, and with CuraEngine 5's spdlog prefix
 * (`[2026-05-26 10:00:00.123] [error] …`) rewritten to the older form (`[ERROR] …`, or just the message).
 */
export function plainLogLine(line: string): string {
  const plain = line.replace(/\u001b\[[0-9;]*m/g, '');
  const prefixed = /^\[\d{4}-\d\d-\d\d [\d:.]+\] \[(\w+)\] ?(.*)$/.exec(plain);
  if (!prefixed) return plain;
  const [, level, message] = prefixed;
  return level === 'error' || level === 'critical' ? `[ERROR] ${message}` : level === 'warning' ? `[WARNING] ${message}` : message;
}

/** A hint from the engine's own last error line, when it wrote one. */
function explainFromLog(log: readonly string[]): string {
  const line = [...log].reverse().find((entry) => entry.startsWith('[ERROR]'));
  return line ? ` It said: ${line.replace('[ERROR]', '').trim()}` : '';
}

function failure(code: SliceError['code'], message: string, detail?: string): SliceOutcome {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}
