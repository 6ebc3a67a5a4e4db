// The contract between the page and the slicer worker. Plain data; meshes and G-code move as
// transferred ArrayBuffers.

/** Values already resolved and formatted for the engine's command line (`-s key=value`). */
export interface EngineSettings {
  global: Record<string, string>;
  /** One map per extruder, in extruder order (`-e0`, `-e1`, …). */
  extruders: Record<string, string>[];
}

export interface SliceMesh {
  name: string;
  /**
   * Binary STL with the plate placement already applied (plate coordinates, mm): the G-code frame, Z up,
   * Z = 0 on the bed, X0 Y0 at the front-left corner (or the bed centre when `machine_center_is_zero`).
   */
  stl: ArrayBuffer;
  extruder: number;
}

export interface SliceRequest {
  /** Cura machine definition id (lower case, as the packaged definitions are named). */
  machineDefinitionId: string;
  settings: EngineSettings;
  meshes: SliceMesh[];
  /** Filament density per extruder in g/cm³, for the mass estimate; 1.24 (PLA) when absent. */
  materialDensities?: number[];
}

/** Reported while slicing, at least twice a second while the engine works. */
export interface SliceProgress {
  /** 0..1 over the whole job. */
  fraction: number;
  /** What is happening, for a person: "Preparing", "Slicing", "Writing G-code". */
  stage: string;
}

export interface SliceMetadata {
  printSeconds: number;
  filamentMm: number;
  filamentGrams: number;
  layerCount: number;
  bounds: { min: [number, number, number]; max: [number, number, number] } | null;
}

export interface SliceResult {
  gcode: ArrayBuffer;
  metadata: SliceMetadata;
}

export type SliceErrorCode =
  | 'outside-volume'
  | 'nothing-to-print'
  | 'out-of-memory'
  | 'engine-failure'
  | 'cancelled'
  | 'invalid-settings';

export interface SliceError {
  code: SliceErrorCode;
  /** For a person. */
  message: string;
  detail?: string;
}

export type SliceOutcome = { ok: true; result: SliceResult } | { ok: false; error: SliceError };
