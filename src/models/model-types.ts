// What an import produces: plain data that crosses the worker boundary by transfer.

export type ModelFormat = 'stl' | 'obj' | '3mf';

/** One printable body: a triangle soup, 9 floats per triangle, in millimetres, Z up. */
export interface MeshPart {
  name: string;
  positions: Float32Array;
}

export interface MeshBounds {
  min: [number, number, number];
  max: [number, number, number];
}

export type MeshWarningCode =
  | 'open-edges'
  | 'non-manifold-edges'
  | 'misoriented-faces'
  | 'inside-out'
  | 'zero-normals'
  | 'probably-inches'
  | 'probably-metres'
  | 'extension-mismatch'
  | 'missing-end'
  | 'skipped-content';

/** A problem worth telling the user about that does not stop the model being used. */
export interface MeshWarning {
  code: MeshWarningCode;
  message: string;
  /** For unit warnings: the scale factor we offer. */
  suggestedScale?: number;
  count?: number;
}

export interface MeshReport {
  triangleCount: number;
  vertexCount: number;
  boundaryEdges: number;
  nonManifoldEdges: number;
  misorientedEdges: number;
  degenerateTriangles: number;
  signedVolume: number;
  watertight: boolean;
}

export interface ParsedModel {
  name: string;
  format: ModelFormat;
  /** More than one part only for 3MF files with several build items. */
  parts: MeshPart[];
  triangleCount: number;
  bounds: MeshBounds;
  /** Bounding box size in mm. */
  dimensions: [number, number, number];
  report: MeshReport;
  warnings: MeshWarning[];
}

export type ModelErrorCode =
  | 'empty'
  | 'truncated'
  | 'no-triangles'
  | 'invalid-number'
  | 'unknown-format'
  | 'too-big'
  | 'bad-zip'
  | 'zip-bomb'
  | 'bad-3mf'
  | 'bad-obj'
  | 'internal';

/** An import that failed, worded for the user, with detail for the log. */
export interface ModelError {
  code: ModelErrorCode;
  message: string;
  detail?: string;
}

export type ImportOutcome = { ok: true; model: ParsedModel } | { ok: false; error: ModelError };

/** Thrown inside the parsers and turned into an `ImportOutcome` at the boundary. */
export class ModelImportError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ModelImportError';
  }
}

export interface ImportLimits {
  /** Largest input file in bytes. */
  maxFileBytes: number;
  /** Most triangles in one model. */
  maxTriangles: number;
  /** Most bytes a 3MF may inflate to, across all parts read. */
  maxInflatedBytes: number;
}

// A 10-million-triangle soup is 360 MB of floats: about the most a browser tab holds comfortably beside the
// renderer. A 3MF whose XML inflates past 400 MB would also overflow the engine's longest string.
export const defaultImportLimits: ImportLimits = {
  maxFileBytes: 500 * 1024 * 1024,
  maxTriangles: 10_000_000,
  maxInflatedBytes: 400 * 1024 * 1024,
};
