// The one entry point for turning file bytes into a checked model. Runs in the model worker and in tests.
import { inspectMesh, meshWarnings, soupBounds } from './mesh-checks.js';
import { describeForeignFile, extensionFormat, sniffFormat } from './model-format.js';
import {
  defaultImportLimits,
  ModelImportError,
  type ImportLimits,
  type ImportOutcome,
  type MeshPart,
  type MeshWarning,
  type ModelError,
  type ModelFormat,
  type ParsedModel,
} from './model-types.js';
import { readObj } from './obj-reader.js';
import { readStl } from './stl-reader.js';
import { readThreeMf } from './three-mf-reader.js';

export function importModel(bytes: Uint8Array, fileName: string, limits: ImportLimits = defaultImportLimits): ImportOutcome {
  try {
    return { ok: true, model: parseModel(bytes, fileName, limits) };
  } catch (error) {
    if (error instanceof ModelImportError) {
      return { ok: false, error: { code: error.code, message: error.message, detail: error.detail } };
    }
    if (error instanceof RangeError && /allocat|length|memory/i.test(error.message)) {
      return { ok: false, error: { code: 'too-big', message: 'This model is too big to open in the browser.', detail: error.message } };
    }
    return {
      ok: false,
      error: {
        code: 'internal',
        message: 'This file could not be read. It may be damaged or in a form Sliceport does not understand.',
        detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      },
    };
  }
}

/** Checked before a file is even read, so a huge one cannot exhaust memory while loading. */
export function fileTooBig(size: number, limits: ImportLimits = defaultImportLimits): ModelError | null {
  if (size <= limits.maxFileBytes) return null;
  return {
    code: 'too-big',
    message: `This file is ${Math.round(size / 1024 / 1024)} MB, more than Sliceport can open (${Math.round(limits.maxFileBytes / 1024 / 1024)} MB).`,
  };
}

export function baseName(fileName: string): string {
  const file = fileName.split(/[\\/]/).pop() ?? fileName;
  return file.replace(/\.(stl|obj|3mf)$/i, '') || 'Model';
}

function parseModel(bytes: Uint8Array, fileName: string, limits: ImportLimits): ParsedModel {
  if (bytes.byteLength === 0) throw new ModelImportError('empty', 'This file is empty: it has no content at all.');
  const tooBig = fileTooBig(bytes.byteLength, limits);
  if (tooBig) throw new ModelImportError(tooBig.code, tooBig.message);
  // Foreign files are named before any model reader runs: a PNG named .stl must not be read as an STL
  // that is "cut short".
  const foreign = describeForeignFile(bytes);
  if (foreign) throw new ModelImportError('unknown-format', foreign.message, `looks like ${foreign.kind}`);
  const sniffed = sniffFormat(bytes, fileName);
  const named = extensionFormat(fileName);
  if (sniffed === 'unknown') {
    throw new ModelImportError(
      'unknown-format',
      named
        ? `This file is named .${named} but its content is not a readable ${named.toUpperCase()} model. It may be damaged.`
        : 'This file is not a 3D model Sliceport can read. Sliceport opens STL, OBJ and 3MF files.',
    );
  }
  const warnings: MeshWarning[] = [];
  if (named && named !== sniffed) {
    warnings.push({
      code: 'extension-mismatch',
      message: `The file is named .${named} but is really ${sniffed.toUpperCase()}; it was opened as ${sniffed.toUpperCase()}.`,
    });
  }
  const name = baseName(fileName);
  const parts = readParts(sniffed, bytes, limits, name, warnings);
  const triangleCount = parts.reduce((sum, part) => sum + part.positions.length / 9, 0);
  if (triangleCount === 0) {
    throw new ModelImportError('no-triangles', 'This file contains no triangles, so there is nothing to print.');
  }
  const bounds = soupBounds(parts.map((part) => part.positions));
  const dimensions: [number, number, number] = [
    bounds.max[0] - bounds.min[0],
    bounds.max[1] - bounds.min[1],
    bounds.max[2] - bounds.min[2],
  ];
  const report = inspectMesh(parts.map((part) => part.positions));
  warnings.push(...meshWarnings(report, dimensions));
  return { name, format: sniffed, parts, triangleCount, bounds, dimensions, report, warnings };
}

function readParts(format: ModelFormat, bytes: Uint8Array, limits: ImportLimits, name: string, warnings: MeshWarning[]): MeshPart[] {
  switch (format) {
    case 'stl': {
      const content = readStl(bytes, limits);
      warnings.push(...content.warnings);
      return [{ name, positions: content.positions }];
    }
    case 'obj': {
      const content = readObj(bytes, limits);
      warnings.push(...content.warnings);
      return [{ name, positions: content.positions }];
    }
    case '3mf': {
      const content = readThreeMf(bytes, limits);
      warnings.push(...content.warnings);
      return content.parts;
    }
  }
}
