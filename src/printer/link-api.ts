// The contract between the page and the printer worker: intents go in, events come out.
// Shared by `workers/printer.worker.ts` (which implements `PrinterLinkApi`) and the page's Printer view.
// Plain data only: everything here crosses a structured clone.

import type { PrinterProfileRecord } from '../storage/records.js';

export type ConnectionState =
  | 'disconnected'
  | 'connecting'
  | 'idle'
  | 'heating'
  | 'printing'
  | 'paused'
  | 'error';

/** Heaters as Marlin names them in temperature reports: T0, T1…, B (bed), C (chamber). */
export type HeaterId = `T${number}` | 'B' | 'C';

export interface TemperatureReading {
  heater: HeaterId;
  current: number;
  target: number;
}

export interface Position {
  x: number;
  y: number;
  z: number;
  e: number;
}

export interface FirmwareInfo {
  name: string;
  /** Everything M115 reported, e.g. MACHINE_TYPE, EXTRUDER_COUNT. */
  fields: Record<string, string>;
  /** `Cap:` lines; a missing capability is absent. */
  capabilities: Record<string, boolean>;
}

export type LogDirection = 'sent' | 'received' | 'info' | 'error';

export interface LogLine {
  at: number;
  direction: LogDirection;
  text: string;
}

export type JobState = 'printing' | 'pausing' | 'paused' | 'resuming' | 'cancelling' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

export interface JobProgress {
  jobId: string;
  gcodeId: string;
  fileName: string;
  state: JobState;
  bytesSent: number;
  totalBytes: number;
  linesSent: number;
  /**
   * 1-based line of the G-code file (every line counted, comments and blank ones too) of the last job
   * line the printer acknowledged; absent until the first one. Matches the analysis's segment lines.
   */
  fileLine?: number;
  /** Counted lines of the file, when known. */
  totalLines?: number;
  startedAt: number;
  elapsedMs: number;
  /** The slicer's own estimate in seconds, when the file carries one (`;TIME:`). */
  slicerEstimateSeconds?: number;
  layer?: number;
  layerCount?: number;
  filamentUsedMm: number;
  reason?: string;
}

/** A host prompt from `//action:prompt_*`, answered with `M876 S<index>`. */
export interface HostPrompt {
  text: string;
  buttons: string[];
}

/** Errors are values a person can read, with detail for the log. */
export interface PrinterError {
  code: string;
  message: string;
  detail?: string;
  fatal: boolean;
}

export type PrinterEvent =
  | { type: 'state'; state: ConnectionState; reason?: string }
  | { type: 'firmware'; firmware: FirmwareInfo }
  | { type: 'temperatures'; at: number; readings: TemperatureReading[] }
  | { type: 'position'; position: Position }
  | { type: 'log'; lines: LogLine[] }
  | { type: 'job'; job: JobProgress }
  | { type: 'prompt'; prompt: HostPrompt | null }
  | { type: 'notification'; text: string }
  | { type: 'flow'; mode: 'safe' | 'fast'; reason: string }
  | { type: 'error'; error: PrinterError };

export interface SimulatorChoice {
  kind: 'simulator';
  baudRate?: number;
  /** Options of the simulated firmware (see `src/printer/simulator/`). */
  options?: Record<string, unknown>;
}

export interface SerialChoice {
  kind: 'serial';
  baudRate: number | 'auto';
  /** Identifies which granted port to open (the worker finds it again with `navigator.serial.getPorts()`). */
  usbVendorId?: number;
  usbProductId?: number;
  /** Index among granted ports with the same ids. */
  portIndex?: number;
}

export type TransportChoice = SimulatorChoice | SerialChoice;

export type Outcome = { ok: true } | { ok: false; error: PrinterError };

export interface PrinterSnapshot {
  state: ConnectionState;
  reason?: string;
  firmware?: FirmwareInfo;
  temperatures: TemperatureReading[];
  position?: Position;
  job?: JobProgress;
  prompt: HostPrompt | null;
  flowMode: 'safe' | 'fast';
}

/** What the printer worker exposes over Comlink. */
export interface PrinterLinkApi {
  connect(transport: TransportChoice, profile: PrinterProfileRecord): Promise<Outcome>;
  disconnect(): Promise<void>;
  /** A command from the terminal or the controls; checked against the profile's limits. */
  send(command: string): Promise<Outcome>;
  /** Streams a G-code stored in IndexedDB, read in chunks by the worker. */
  startJob(gcodeId: string): Promise<Outcome>;
  pause(): Promise<Outcome>;
  resume(): Promise<Outcome>;
  cancel(): Promise<Outcome>;
  /** M112 ahead of everything, then heaters off. */
  emergencyStop(): Promise<Outcome>;
  answerPrompt(buttonIndex: number): Promise<Outcome>;
  /** Events arrive in batches (temperatures ~1 Hz, progress ~4 Hz, log lines batched). */
  subscribe(listener: (events: PrinterEvent[]) => void): Promise<void>;
  snapshot(): Promise<PrinterSnapshot>;
}

// ───────────────────────────── Resuming an interrupted job ─────────────────────────────

/** What the user chooses in the resume dialog. */
export interface ResumeRequest {
  jobId: string;
  /** 0-based layer to continue from. */
  layer: number;
  /** The nozzle's height now (mm), declared with G92 unless Z is homed. */
  nozzleZ: number;
  /** Home Z too (only with the nozzle clear of the print and Z homing away from it). */
  homeZ: boolean;
  primeMm?: number;
}

export interface ResumeLayerChoice {
  /** 0-based. */
  layer: number;
  line: number;
  z?: number;
}

/** What an interrupted job offers to resume from. */
export interface ResumeOffer {
  jobId: string;
  gcodeId: string;
  fileName: string;
  /** Layer the print stood in when it stopped (0-based; -1 in the start code). */
  interruptedLayer: number;
  /** Last layer the printer confirmed finished (-1: none). */
  finishedLayer: number;
  /** The first layer not confirmed finished: the default (0-based). */
  suggestedLayer: number;
  layerCount: number;
  layers: ResumeLayerChoice[];
  /** Lowest height the nozzle may be at (mm): the default nozzle height. */
  nozzleZ: number;
  /** Highest height the nozzle may be at (mm). */
  nozzleZHigh: number;
  /** Line the printer had acknowledged last. */
  ackedLine: number;
  checkpointAt: number;
  reason?: string;
}

export interface ResumeStepText {
  says: string;
  lines: string[];
}

export type ResumePreview =
  | { ok: true; steps: ResumeStepText[]; warnings: string[]; startLine: number; layer: number }
  | { ok: false; error: PrinterError };

/** Resuming, offered by the printer worker next to `PrinterLinkApi`. */
export interface PrinterResumeApi {
  resumeOffer(jobId: string): Promise<{ ok: true; offer: ResumeOffer } | { ok: false; error: PrinterError }>;
  /** The steps a resume would take with these choices, for the dialog; nothing is sent. */
  previewResume(request: ResumeRequest): Promise<ResumePreview>;
  /** Starts a new job that continues the interrupted one from the chosen layer. */
  resumeJob(request: ResumeRequest): Promise<Outcome>;
}
