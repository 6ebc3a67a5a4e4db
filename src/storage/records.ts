// The records Sliceport keeps in IndexedDB. One type per store; the schema and its upgrades live in
// `schema.ts`. Big payloads (model bytes, G-code) are kept as bytes, never as strings.

import type { JobCheckpoint, ResumedFrom } from './job-checkpoint.js';
export type { FilePoint, JobCheckpoint, PrintStateSnapshot, ResumedFrom } from './job-checkpoint.js';

/** A model file as the user gave it (STL, OBJ, 3MF), with what we learned when importing it. */
export interface ModelRecord {
  id: string;
  name: string;
  /** Lower-case extension without the dot: 'stl' | 'obj' | '3mf'. */
  format: string;
  bytes: ArrayBuffer;
  size: number;
  addedAt: number;
  updatedAt: number;
  /** Fingerprint of the bytes (`content-hash.ts`), to find the same file added twice. Missing on older records. */
  contentHash?: string;
  /** PNG thumbnail rendered off-screen, when one has been made. */
  thumbnail?: Blob;
  triangleCount?: number;
  /** Bounding box size in millimetres. */
  dimensions?: [number, number, number];
}

/** G-code metadata. The bytes live in `gcodeChunks`, so a 200 MB file is never one string. */
export interface GcodeRecord {
  id: string;
  name: string;
  size: number;
  chunkCount: number;
  /** Bytes per chunk (the last chunk may be shorter). */
  chunkSize: number;
  addedAt: number;
  updatedAt: number;
  thumbnail?: Blob;
  /** Fingerprint of the bytes (`content-hash.ts`), to find the same file added twice. Missing on older records. */
  contentHash?: string;
  /** Where it came from: a file the user opened, or our own slicer. */
  source: 'file' | 'slicer';
  /** What the slicer or the analysis learned about it, when known. */
  estimatedSeconds?: number;
  filamentMm?: number;
  filamentGrams?: number;
  layerCount?: number;
  lineCount?: number;
}

export interface GcodeChunkRecord {
  gcodeId: string;
  index: number;
  bytes: ArrayBuffer;
}

/** A printer the user owns: how to talk to it and what it can do safely. */
export interface PrinterProfileRecord {
  id: string;
  name: string;
  /** Cura machine definition id this printer is based on, when chosen from the catalog. */
  machineDefinitionId?: string;
  baudRate: number | 'auto';
  /** Build volume in millimetres. */
  volume: { width: number; depth: number; height: number; shape: 'rectangular' | 'elliptic'; originAtCenter: boolean };
  extruderCount: number;
  heatedBed: boolean;
  heatedChamber: boolean;
  maxHotendTemp: number;
  maxBedTemp: number;
  maxChamberTemp?: number;
  /** G-code scripts run by the host; empty strings mean "use the safe default". */
  scripts: { pause: string; resume: string; cancel: string; afterConnect: string };
  /** Firmware receive buffer in bytes, for fast flow control. */
  receiveBufferBytes: number;
  flowControl: 'auto' | 'safe' | 'fast';
  updatedAt: number;
}

/** The user's slicing changes for one printer: kept per printer and restored next time. */
export interface SlicingProfileRecord {
  id: string;
  printerId: string;
  name: string;
  machineDefinitionId: string;
  /** User changes, as Cura keeps them: global and per extruder. */
  changes: { global: Record<string, unknown>; extruders: Record<string, Record<string, unknown>> };
  updatedAt: number;
}

export type JobOutcome = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

/** One print job: written when it starts, updated as it goes, so a crash leaves an "interrupted" record. */
export interface JobRecord {
  id: string;
  gcodeId: string;
  fileName: string;
  printerId: string;
  printerName: string;
  startedAt: number;
  updatedAt: number;
  endedAt?: number;
  outcome: JobOutcome;
  reason?: string;
  /** Progress when last updated, 0..1 by bytes. */
  progress: number;
  lastLine: number;
  filamentUsedMm: number;
  /** Where the print stood, for resuming it after an interruption (taken at least once per layer). */
  checkpoint?: JobCheckpoint;
  /** Set on a job that resumed an interrupted one. */
  resumedFrom?: ResumedFrom;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

/** A model without its bytes: what the library lists. */
export type ModelSummary = Omit<ModelRecord, 'bytes'>;
