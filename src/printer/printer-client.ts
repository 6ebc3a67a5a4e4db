// The page's side of the printer worker: it sends intents over Comlink and keeps an observable mirror
// of the printer's state, updated only by the worker's events. It lives as long as the page, not as
// long as a view, so navigating away from the Printer view never touches a running print.

import * as Comlink from 'comlink';
import { CommandHistory } from '../printer-panel/command-history.js';
import { TemperatureHistory } from '../printer-panel/temperature-history.js';
import { TerminalLog } from '../printer-panel/terminal-log.js';
import type { PrinterProfileRecord } from '../storage/records.js';
import type {
  HostPrompt,
  LogLine,
  Outcome,
  PrinterError,
  PrinterEvent,
  PrinterLinkApi,
  PrinterSnapshot,
  TransportChoice,
} from './link-api.js';

/** Diagnostics the worker may offer beyond the contract (only for the simulated printer). */
export interface PrinterDiagnosticsApi {
  simulatorLog?(): Promise<string[] | null>;
}

export type PrinterWorkerApi = PrinterLinkApi & PrinterDiagnosticsApi;

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

/**
 * Talks to one printer worker. `api` is the Comlink proxy (or, in tests, any object with the same
 * methods returning promises).
 */
export class PrinterClient {
  readonly mirror = new PrinterMirror();
  readonly commandHistory = new CommandHistory();
  private subscribed: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private connectedChoice: TransportChoice | undefined;
  profile: PrinterProfileRecord | undefined;

  constructor(
    readonly api: Comlink.Remote<PrinterWorkerApi> | PrinterWorkerApi,
    private readonly claimer?: Claimer,
  ) {
    this.mirror.subscribe(() => {
      if (this.release && this.mirror.snapshot.state === 'disconnected') this.releaseOwnership();
    });
  }

  get choice(): TransportChoice | undefined {
    return this.connectedChoice;
  }

  /** Starts listening to the worker's events and takes its current state. */
  start(): Promise<void> {
    this.subscribed ??= (async () => {
      const listener = (events: PrinterEvent[]) => this.mirror.apply(events);
      await this.api.subscribe(isRemote(this.api) ? Comlink.proxy(listener) : listener);
      this.mirror.reset(await this.api.snapshot());
    })();
    return this.subscribed;
  }

  async connect(choice: TransportChoice, profile: PrinterProfileRecord): Promise<Outcome> {
    await this.start();
    if (this.claimer) {
      const claim = await this.claimer.claim(choice, () => this.describeOwner());
      if (!claim.ok) {
        return failure('printer-owned-elsewhere', `This printer is in use in another tab. ${claim.ownerDescription}`, claim.ownerDescription);
      }
      this.release = claim.release;
    }
    this.connectedChoice = choice;
    this.profile = profile;
    this.mirror.lastError = undefined;
    let outcome: Outcome;
    try {
      outcome = await this.api.connect(choice, profile);
    } catch (error) {
      outcome = failure('connect-failed', 'Connecting failed.', String(error));
    }
    if (!outcome.ok) this.releaseOwnership();
    return outcome;
  }

  async disconnect(): Promise<void> {
    try {
      await this.api.disconnect();
    } finally {
      this.releaseOwnership();
    }
  }

  /** A command from the terminal: remembered for ↑/↓ and sent. */
  async sendFromTerminal(command: string): Promise<Outcome> {
    const text = command.trim();
    if (text === '') return { ok: true };
    this.commandHistory.record(text);
    return this.send(text);
  }

  async send(command: string): Promise<Outcome> {
    const outcome = await guard(() => this.api.send(command));
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

  startJob(gcodeId: string): Promise<Outcome> {
    return guard(() => this.api.startJob(gcodeId));
  }
  pause(): Promise<Outcome> {
    return guard(() => this.api.pause());
  }
  resume(): Promise<Outcome> {
    return guard(() => this.api.resume());
  }
  cancel(): Promise<Outcome> {
    return guard(() => this.api.cancel());
  }
  answerPrompt(index: number): Promise<Outcome> {
    return guard(() => this.api.answerPrompt(index));
  }

  /** Goes straight to the worker: nothing on this side waits for earlier calls to finish. */
  emergencyStop(): Promise<Outcome> {
    return guard(() => this.api.emergencyStop());
  }

  /** What the simulated printer executed, when the worker offers it and the transport is the simulator. */
  async simulatorLog(): Promise<string[] | null> {
    const api = this.api as PrinterDiagnosticsApi;
    if (typeof api.simulatorLog !== 'function' && !isRemote(this.api)) return null;
    try {
      return (await api.simulatorLog?.()) ?? null;
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
}

function isRemote(api: unknown): boolean {
  // A Comlink proxy is a function-backed Proxy: typeof gives 'function'.
  return typeof api === 'function';
}

async function guard(call: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await call();
  } catch (error) {
    return failure('worker-call-failed', 'The printer link did not answer that request.', error instanceof Error ? error.message : String(error));
  }
}
