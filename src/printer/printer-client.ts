// The page's side of the printer worker: it sends intents over Comlink and keeps an observable mirror
// of the printer's state, updated only by the worker's events. It lives as long as the page, not as
// long as a view, so navigating away from the Printer view never touches a running print.

import * as Comlink from 'comlink';
import { CommandHistory } from '../printer-panel/command-history.js';
import { isJobActive } from '../printer-panel/job-summary.js';
import { TemperatureHistory } from '../printer-panel/temperature-history.js';
import { TerminalLog } from '../printer-panel/terminal-log.js';
import type { PrinterProfileRecord } from '../storage/records.js';
import { isWorkerCrashed, type WorkerBridge, type WorkerCrashed } from '../worker-bridge/worker-bridge.js';
import { DangerousCommandReader, describeDangerousLines, type DangerousCommand, type DangerousLine } from './dangerous-commands.js';
import type {
  HostPrompt,
  JobProgress,
  LogLine,
  Outcome,
  PrinterError,
  PrinterEvent,
  PrinterLinkApi,
  PrinterResumeApi,
  PrinterSnapshot,
  ResumeOffer,
  ResumePreview,
  ResumeRequest,
  SerialChoice,
  TransportChoice,
} from './link-api.js';
import type { PortStopResult } from './port-emergency-stop.js';

/** Diagnostics the worker may offer beyond the contract (only for the simulated printer). */
export interface PrinterDiagnosticsApi {
  simulatorLog?(): Promise<string[] | null>;
}

export type PrinterWorkerApi = PrinterLinkApi & PrinterDiagnosticsApi & Partial<PrinterResumeApi>;

export interface PrinterNotice {
  at: number;
  kind: 'notification' | 'error' | 'flow';
  text: string;
  error?: PrinterError;
}

export function emptySnapshot(): PrinterSnapshot {
  return { state: 'disconnected', temperatures: [], prompt: null, flowMode: 'safe' };
}

/** The page's copy of the printer's state, built from events alone. */
export class PrinterMirror {
  snapshot: PrinterSnapshot = emptySnapshot();
  readonly log: TerminalLog;
  readonly temperatures: TemperatureHistory;
  readonly notices: PrinterNotice[] = [];
  lastError: PrinterError | undefined;
  private readonly listeners = new Set<(events: readonly PrinterEvent[]) => void>();

  constructor(options: { logCapacity?: number; noticeCapacity?: number } = {}) {
    this.log = new TerminalLog(options.logCapacity ?? 5000);
    this.temperatures = new TemperatureHistory();
    this.noticeCapacity = options.noticeCapacity ?? 50;
  }

  private readonly noticeCapacity: number;

  /** Replaces the snapshot wholesale (after connecting to a worker that already holds a printer). */
  reset(snapshot: PrinterSnapshot): void {
    this.snapshot = { ...snapshot };
    if (snapshot.temperatures.length > 0) this.temperatures.add(Date.now(), snapshot.temperatures);
    this.emit([]);
  }

  apply(events: readonly PrinterEvent[]): void {
    const next: PrinterSnapshot = { ...this.snapshot };
    const logLines: LogLine[] = [];
    for (const event of events) {
      switch (event.type) {
        case 'state':
          next.state = event.state;
          next.reason = event.reason;
          if (event.state === 'disconnected' || event.state === 'connecting') next.prompt = null;
          // A new connection may be another printer: what the last one said about itself no longer holds.
          if (event.state === 'connecting') next.firmware = undefined;
          break;
        case 'firmware':
          next.firmware = event.firmware;
          break;
        case 'temperatures':
          next.temperatures = mergeReadings(next.temperatures, event.readings);
          // Stamped on arrival with the page's clock: the worker may count time from its own start.
          this.temperatures.add(Date.now(), event.readings);
          break;
        case 'position':
          next.position = event.position;
          break;
        case 'log':
          for (const line of event.lines) logLines.push(line.at > wallClockEpoch ? line : { ...line, at: Date.now() });
          break;
        case 'job':
          next.job = event.job;
          break;
        case 'prompt':
          next.prompt = event.prompt;
          break;
        case 'notification':
          this.notice({ at: Date.now(), kind: 'notification', text: event.text });
          break;
        case 'flow':
          next.flowMode = event.mode;
          this.notice({ at: Date.now(), kind: 'flow', text: event.reason });
          break;
        case 'error':
          this.lastError = event.error;
          this.notice({ at: Date.now(), kind: 'error', text: event.error.message, error: event.error });
          break;
      }
    }
    if (logLines.length > 0) this.log.push(logLines);
    this.snapshot = next;
    this.emit(events);
  }

  /** Adds a line the page itself wants in the terminal (a refused command, for instance). */
  note(direction: LogLine['direction'], text: string): void {
    this.log.push([{ at: Date.now(), direction, text }]);
    this.emit([]);
  }

  dismissNotice(notice: PrinterNotice): void {
    const i = this.notices.indexOf(notice);
    if (i >= 0) this.notices.splice(i, 1);
    this.emit([]);
  }

  subscribe(listener: (events: readonly PrinterEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notice(notice: PrinterNotice): void {
    this.notices.push(notice);
    if (this.notices.length > this.noticeCapacity) this.notices.shift();
  }

  private emit(events: readonly PrinterEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        console.error('Printer view listener failed', error);
      }
    }
  }
}

/** Times before 2001 are a monotonic clock's, not wall-clock milliseconds. */
const wallClockEpoch = 1e12;

function mergeReadings(previous: PrinterSnapshot['temperatures'], readings: PrinterSnapshot['temperatures']): PrinterSnapshot['temperatures'] {
  const byHeater = new Map(previous.map((r) => [r.heater, r]));
  for (const reading of readings) byHeater.set(reading.heater, reading);
  const order = (h: string) => (h.startsWith('T') ? Number(h.slice(1) || 0) : h === 'B' ? 100 : 101);
  return [...byHeater.values()].sort((a, b) => order(a.heater) - order(b.heater));
}

export interface Claimer {
  /** Takes the printer for this tab, or says who holds it. */
  claim(choice: TransportChoice, describe: () => string): Promise<{ ok: true; release: () => void } | { ok: false; ownerDescription: string }>;
}

export const failure = (code: string, message: string, detail?: string): Outcome => ({ ok: false, error: { code, message, detail, fatal: false } });

/** How the client reaches its worker: through the worker bridge on the page, or directly in tests. */
export interface PrinterWorkerConnection {
  call<T>(use: (api: PrinterWorkerApi) => Promise<T>): Promise<T>;
  /** Wraps a callback so the worker can call it. */
  callback<F extends (...args: never[]) => unknown>(fn: F): F;
  onCrash?(listener: (crash: WorkerCrashed) => void): () => void;
}

/** The printer worker behind the shared worker bridge. */
export function bridgedPrinterWorker(bridge: WorkerBridge<PrinterWorkerApi>): PrinterWorkerConnection {
  return {
    // A Comlink proxy offers the same methods, each returning a promise.
    call: (use) => bridge.call((remote) => use(remote as unknown as PrinterWorkerApi)),
    callback: (fn) => Comlink.proxy(fn),
    onCrash: (listener) => bridge.onCrash(listener),
  };
}

function directConnection(api: PrinterWorkerApi): PrinterWorkerConnection {
  return { call: (use) => use(api), callback: (fn) => fn };
}

/** What the page learns when the printer worker dies. */
export interface PrinterCrash {
  at: number;
  message: string;
  detail: string;
  /** The job that was running, as last reported, marked interrupted. */
  job?: JobProgress;
}

/** Page-side help the client needs once its worker is gone. */
export interface PrinterClientHelpers {
  /** Opens the USB port from the page and sends the emergency stop there. */
  stopThroughPort?(choice: SerialChoice): Promise<PortStopResult>;
  /** Closes the job's history record as interrupted (the worker that kept it is gone). */
  recordInterruptedJob?(job: JobProgress, reason: string): Promise<void>;
  /** The dangerous commands in a stored G-code file, so the user is asked before it prints. */
  findDangerousLines?(gcodeId: string): Promise<DangerousLine[]>;
}

export const dangerousCommandsCode = 'dangerous-commands';

export type EmergencyStopOutcome = { ok: true; said?: string } | { ok: false; error: PrinterError };

export const workerCrashedCode = 'printer-worker-crashed';

/**
 * Talks to one printer worker, through the worker bridge (or, in tests, any object with the same
 * methods returning promises).
 */
export class PrinterClient {
  readonly mirror = new PrinterMirror();
  readonly commandHistory = new CommandHistory();
  /** What the terminal has sent this connection, to recognise a factory reset being saved. */
  private readonly terminalCommands = new DangerousCommandReader();
  private subscribed: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private connectedChoice: TransportChoice | undefined;
  private readonly worker: PrinterWorkerConnection;
  profile: PrinterProfileRecord | undefined;
  /** Set when the worker died; cleared by the next connection or a disconnect. */
  crash: PrinterCrash | undefined;

  constructor(
    worker: PrinterWorkerConnection | PrinterWorkerApi,
    private readonly claimer?: Claimer,
    private readonly helpers: PrinterClientHelpers = {},
  ) {
    this.worker = isConnection(worker) ? worker : directConnection(worker);
    this.worker.onCrash?.((crash) => this.crashed(crash));
    this.mirror.subscribe(() => {
      if (this.release && this.mirror.snapshot.state === 'disconnected') this.releaseOwnership();
    });
  }

  get choice(): TransportChoice | undefined {
    return this.connectedChoice;
  }

  /** Starts listening to the worker's events and takes its current state. */
  start(): Promise<void> {
    if (this.subscribed) return this.subscribed;
    const subscribing = this.subscribe();
    this.subscribed = subscribing;
    // A worker that dies before answering must not leave the next attempt waiting on this one.
    subscribing.catch(() => {
      if (this.subscribed === subscribing) this.subscribed = undefined;
    });
    return subscribing;
  }

  private async subscribe(): Promise<void> {
    const listener = (events: PrinterEvent[]) => this.mirror.apply(events);
    await this.worker.call((api) => api.subscribe(this.worker.callback(listener)));
    const snapshot = await this.worker.call((api) => api.snapshot());
    this.mirror.reset(snapshot);
  }

  async connect(choice: TransportChoice, profile: PrinterProfileRecord): Promise<Outcome> {
    this.crash = undefined;
    try {
      await this.start();
    } catch (error) {
      return failure('worker-start-failed', 'The printer connection could not be started.', describeError(error));
    }
    if (this.claimer) {
      const claim = await this.claimer.claim(choice, () => this.describeOwner());
      if (!claim.ok) {
        return failure('printer-owned-elsewhere', `This printer is in use in another tab. ${claim.ownerDescription}`, claim.ownerDescription);
      }
      this.release = claim.release;
    }
    this.connectedChoice = choice;
    this.profile = profile;
    this.terminalCommands.reset();
    this.mirror.lastError = undefined;
    let outcome: Outcome;
    try {
      outcome = await this.worker.call((api) => api.connect(choice, profile));
    } catch (error) {
      outcome = isWorkerCrashed(error) ? crashedFailure(error) : failure('connect-failed', 'Connecting failed.', describeError(error));
    }
    if (!outcome.ok) this.releaseOwnership();
    return outcome;
  }

  async disconnect(): Promise<void> {
    if (this.crash) {
      // Nothing left to disconnect: the worker and its port went together.
      this.crash = undefined;
      this.mirror.reset(emptySnapshot());
      this.releaseOwnership();
      return;
    }
    try {
      await this.worker.call((api) => api.disconnect());
    } catch (error) {
      if (!isWorkerCrashed(error)) throw error;
    } finally {
      this.releaseOwnership();
    }
  }

  /** Whether a terminal command should be confirmed first, and why; null for an ordinary one. */
  terminalDanger(command: string): DangerousCommand | null {
    return this.terminalCommands.peek(command.trim());
  }

  /** A command from the terminal: remembered for ↑/↓ and sent. */
  async sendFromTerminal(command: string): Promise<Outcome> {
    const text = command.trim();
    if (text === '') return { ok: true };
    this.commandHistory.record(text);
    const outcome = await this.send(text);
    if (outcome.ok) this.terminalCommands.read(text);
    return outcome;
  }

  async send(command: string): Promise<Outcome> {
    const outcome = await this.intent((api) => api.send(command));
    if (!outcome.ok) this.mirror.note('error', `${command}: ${outcome.error.message}`);
    return outcome;
  }

  async sendAll(commands: readonly string[]): Promise<Outcome> {
    for (const command of commands) {
      const outcome = await this.send(command);
      if (!outcome.ok) return outcome;
    }
    return { ok: true };
  }

  /**
   * Starts printing a stored file. A file with commands that can harm the printer or its settings is
   * refused with `dangerousCommandsCode` and the lines listed, until the user confirms.
   */
  async startJob(gcodeId: string, options: { dangerousConfirmed?: boolean } = {}): Promise<Outcome> {
    if (!this.crash && !options.dangerousConfirmed && this.helpers.findDangerousLines) {
      let found: DangerousLine[] = [];
      try {
        found = await this.helpers.findDangerousLines(gcodeId);
      } catch {
        // The worker reads the file again before printing and reports a file it cannot read.
      }
      if (found.length > 0) {
        return {
          ok: false,
          error: {
            code: dangerousCommandsCode,
            message: `This file contains commands that can harm the printer or its settings:\n${describeDangerousLines(found)}`,
            fatal: false,
          },
        };
      }
    }
    return this.intent((api) => api.startJob(gcodeId));
  }
  pause(): Promise<Outcome> {
    return this.intent((api) => api.pause());
  }
  resume(): Promise<Outcome> {
    return this.intent((api) => api.resume());
  }
  cancel(): Promise<Outcome> {
    return this.intent((api) => api.cancel());
  }
  answerPrompt(index: number): Promise<Outcome> {
    return this.intent((api) => api.answerPrompt(index));
  }

  /** What an interrupted job can be resumed from (layers, the checkpoint's suggestion). */
  async resumeOffer(jobId: string): Promise<{ ok: true; offer: ResumeOffer } | { ok: false; error: PrinterError }> {
    let offer: ResumeOffer | undefined;
    const r = await this.intent(async (api) => {
      if (!api.resumeOffer) return failure('resume-unavailable', 'This printer link cannot resume prints.');
      const answer = await api.resumeOffer(jobId);
      if (!answer.ok) return answer;
      offer = answer.offer;
      return { ok: true };
    });
    if (!r.ok) return r;
    return offer ? { ok: true, offer } : { ok: false, error: { code: 'resume-unavailable', message: 'No resume offer came back.', fatal: false } };
  }

  /** The steps a resume would take with these choices; nothing is sent. */
  async previewResume(request: ResumeRequest): Promise<ResumePreview> {
    let preview: ResumePreview | undefined;
    const r = await this.intent(async (api) => {
      if (!api.previewResume) return failure('resume-unavailable', 'This printer link cannot resume prints.');
      preview = await api.previewResume(request);
      return { ok: true };
    });
    if (!r.ok) return r;
    return preview ?? { ok: false, error: { code: 'resume-unavailable', message: 'No resume plan came back.', fatal: false } };
  }

  resumeJob(request: ResumeRequest): Promise<Outcome> {
    return this.intent((api) => (api.resumeJob ? api.resumeJob(request) : Promise.resolve(failure('resume-unavailable', 'This printer link cannot resume prints.'))));
  }

  /**
   * Goes straight to the worker: nothing on this side waits for earlier calls to finish. With the worker
   * gone, it does what the page can do alone and says what that was.
   */
  async emergencyStop(): Promise<EmergencyStopOutcome> {
    if (this.crash) return this.stopWithoutWorker();
    return this.intent((api) => api.emergencyStop());
  }

  /** What the simulated printer executed, when the worker offers it and the transport is the simulator. */
  async simulatorLog(): Promise<string[] | null> {
    if (this.crash) return null;
    try {
      return await this.worker.call(async (api) => (typeof api.simulatorLog === 'function' ? ((await api.simulatorLog()) ?? null) : null));
    } catch {
      return null;
    }
  }

  /** What a second tab is told about this one. */
  describeOwner(): string {
    const { job, state } = this.mirror.snapshot;
    const title = typeof document !== 'undefined' ? document.title : 'Sliceport';
    const since = new Date().toLocaleTimeString();
    if (job && (job.state === 'printing' || job.state === 'paused' || job.state === 'pausing' || job.state === 'resuming')) {
      const pct = job.totalBytes > 0 ? Math.floor((100 * job.bytesSent) / job.totalBytes) : 0;
      return `The tab "${title}" is ${job.state === 'paused' ? 'paused on' : 'printing'} ${job.fileName} (${pct}%). Use that tab, or close it to take over.`;
    }
    return `The tab "${title}" is connected to it (${state}, asked at ${since}). Disconnect there, or close that tab, to use it here.`;
  }

  private releaseOwnership(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  latestPrompt(): HostPrompt | null {
    return this.mirror.snapshot.prompt;
  }

  /** An intent for the worker; with the worker gone it fails at once, in words, instead of hanging. */
  private async intent(call: (api: PrinterWorkerApi) => Promise<Outcome>): Promise<Outcome> {
    if (this.crash) return { ok: false, error: { code: workerCrashedCode, message: `${this.crash.message} Reconnect to the printer first.`, detail: this.crash.detail, fatal: true } };
    try {
      return await this.worker.call(call);
    } catch (error) {
      if (isWorkerCrashed(error)) return crashedFailure(error);
      return failure('worker-call-failed', 'The printer link did not answer that request.', describeError(error));
    }
  }

  /** The worker died: say so at once, close the job, and free the controls that can no longer work. */
  private crashed(crash: WorkerCrashed): void {
    this.subscribed = undefined;
    const { job, state } = this.mirror.snapshot;
    const running = job && isJobActive(job) ? job : undefined;
    const message = crashMessage(crash);
    const reason = running ? `${message} The print was interrupted.` : message;
    const events: PrinterEvent[] = [];
    if (running) events.push({ type: 'job', job: { ...running, state: 'interrupted', reason } });
    // Before any connection there was nothing to lose: the next call simply starts a new worker.
    if (state === 'disconnected' && !running) return;
    this.crash = { at: Date.now(), message: reason, detail: crash.detail, ...(running ? { job: running } : {}) };
    events.push({ type: 'state', state: 'error', reason }, { type: 'error', error: { code: workerCrashedCode, message: reason, detail: crash.detail, fatal: true } });
    // The connection the firmware introduced itself on is gone; without it the Printer view offers a new one.
    this.mirror.snapshot = { ...this.mirror.snapshot, firmware: undefined };
    this.mirror.apply(events);
    this.releaseOwnership();
    if (running && this.helpers.recordInterruptedJob) {
      this.helpers.recordInterruptedJob(running, reason).catch((error: unknown) =>
        this.mirror.note('error', `The print history could not be updated: ${describeError(error)}`),
      );
    }
  }

  private async stopWithoutWorker(): Promise<EmergencyStopOutcome> {
    const choice = this.connectedChoice;
    if (!choice || choice.kind === 'simulator') {
      return { ok: true, said: 'The simulated printer stopped together with its connection: it is not heating or moving.' };
    }
    if (!this.helpers.stopThroughPort) {
      return { ok: false, error: { code: 'port-unreachable', message: 'The printer’s port cannot be reached from this page. Switch the printer off at its power switch.', fatal: true } };
    }
    const result = await this.helpers.stopThroughPort(choice);
    this.mirror.note(result.ok ? 'info' : 'error', result.ok ? result.said : result.message);
    return result.ok ? result : { ok: false, error: { code: 'port-stop-failed', message: result.message, detail: result.detail, fatal: true } };
  }
}

function isConnection(worker: PrinterWorkerConnection | PrinterWorkerApi): worker is PrinterWorkerConnection {
  return typeof (worker as Partial<PrinterWorkerConnection>).call === 'function' && typeof (worker as Partial<PrinterWorkerConnection>).callback === 'function';
}

function crashMessage(crash: WorkerCrashed): string {
  return `The printer connection stopped unexpectedly (${crash.detail}).`;
}

function crashedFailure(crash: WorkerCrashed): Outcome {
  return { ok: false, error: { code: workerCrashedCode, message: crashMessage(crash), detail: crash.detail, fatal: true } };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
