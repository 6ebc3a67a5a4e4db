// The printer worker's logic, kept out of the worker file so it runs in Node tests: it owns the engine,
// drives its timers, moves bytes between it and a transport, streams the job's G-code from storage in
// chunks, keeps the job's history record, and hands the page batched events. The page only sends intents.

import { PrinterEngine, type EngineOptions } from './engine/printer-engine.js';
import { JobPreflight, describePreflight } from './engine/job-preflight.js';
import { EventBatcher } from './event-batcher.js';
import { JobHistory } from './job-history.js';
import type { GcodeRecord, JobRecord, PrinterProfileRecord } from '../storage/records.js';
import type { Outcome, PrinterEvent, PrinterLinkApi, PrinterSnapshot, TransportChoice } from './link-api.js';

import type { OpenTransport, PrinterTransport } from './transport/transport.js';
export type { OpenTransport, PrinterTransport, TransportHandlers } from './transport/transport.js';

/** What the link needs from storage. */
export interface JobFiles {
  getGcode(id: string): Promise<GcodeRecord | undefined>;
  chunks(id: string): AsyncIterable<Uint8Array>;
  putJob(record: JobRecord): Promise<void>;
}

export interface LinkClock {
  /** Milliseconds; wall-clock based so log times mean something on the page. */
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface LinkDependencies {
  openTransport: OpenTransport;
  files: () => Promise<JobFiles>;
  clock: LinkClock;
  newId?: () => string;
  engineOptions?: Partial<EngineOptions>;
}

const AUTO_BAUD_RATES = [115200, 250000, 57600] as const;

const DISCONNECTED: PrinterSnapshot = { state: 'disconnected', temperatures: [], prompt: null, flowMode: 'safe' };

export class PrinterLink implements PrinterLinkApi {
  private engine: PrinterEngine | null = null;
  private transport: PrinterTransport | null = null;
  private profile: PrinterProfileRecord | null = null;
  private readonly batcher = new EventBatcher();
  private readonly listeners: Array<(events: PrinterEvent[]) => void> = [];
  private timer: unknown = null;
  private timerAt = Infinity;
  private history: JobHistory | null = null;
  private jobReader: AsyncIterator<Uint8Array> | null = null;
  private reading = false;
  private session = 0;
  private handshakeWaiters: Array<() => void> = [];
  private lastAckedLine = 0;
  private starting = false;

  constructor(private readonly deps: LinkDependencies) {}

  async connect(choice: TransportChoice, profile: PrinterProfileRecord): Promise<Outcome> {
    if (choice.kind === 'serial' && choice.baudRate === 'auto') {
      // Try the usual rates in turn; a wrong rate shows as a printer that never answers sensibly.
      let last: Outcome = { ok: false, error: { code: 'handshake-failed', message: 'The printer did not answer.', fatal: false } };
      for (const baudRate of AUTO_BAUD_RATES) {
        last = await this.connectOnce({ ...choice, baudRate }, profile, { handshakeAttempts: 2 });
        if (last.ok || last.error.code !== 'handshake-failed') return last;
        await this.disconnect();
      }
      return last.ok ? last : { ok: false, error: { ...last.error, message: `${last.error.message} (tried ${AUTO_BAUD_RATES.join(', ')} baud)` } };
    }
    return this.connectOnce(choice, profile, {});
  }

  private async connectOnce(choice: TransportChoice, profile: PrinterProfileRecord, extra: Partial<EngineOptions>): Promise<Outcome> {
    if (this.engine && this.engine.connectionState !== 'disconnected') await this.disconnect();
    const session = ++this.session;
    this.profile = profile;
    const engine = new PrinterEngine({
      limits: { maxHotendTemp: profile.maxHotendTemp, maxBedTemp: profile.maxBedTemp, ...(profile.maxChamberTemp !== undefined ? { maxChamberTemp: profile.maxChamberTemp } : {}) },
      scripts: profile.scripts,
      flowControl: profile.flowControl,
      receiveBufferBytes: profile.receiveBufferBytes,
      ...this.deps.engineOptions,
      ...extra,
    });
    this.engine = engine;
    try {
      this.transport = await this.deps.openTransport(choice, {
        onData: (bytes) => {
          if (this.session !== session) return;
          engine.receive(bytes, this.deps.clock.now());
          this.service();
        },
        onLost: (reason) => {
          if (this.session !== session) return;
          this.lost(reason);
        },
        onNotice: (text) => {
          if (this.session !== session) return;
          this.batcher.push([{ type: 'log', lines: [{ at: this.deps.clock.now(), direction: 'info', text }] }]);
          this.service();
        },
      });
    } catch (e) {
      this.engine = null;
      const message = e instanceof Error ? e.message : String(e);
      // Keep the browser's own words (e.g. "Failed to open serial port.") for telling causes apart.
      const cause = e instanceof Error && e.cause ? (e.cause as { name?: string; message?: string }) : undefined;
      const detail = [message, cause?.name, cause?.message].filter(Boolean).join(' — ');
      return { ok: false, error: { code: 'open-failed', message, fatal: false, detail } };
    }
    engine.connect(this.deps.clock.now());
    this.service();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        const s = engine.connectionState;
        if (s !== 'connecting' || this.session !== session) resolve();
        else this.handshakeWaiters.push(check);
      };
      check();
    });
    if (this.session !== session) return { ok: false, error: { code: 'superseded', message: 'Another connection was started.', fatal: false } };
    const snap = engine.snapshot();
    if (snap.state === 'error' || snap.state === 'disconnected') {
      return { ok: false, error: { code: 'handshake-failed', message: snap.reason ?? 'The printer did not answer.', fatal: false } };
    }
    return { ok: true };
  }

  async disconnect(): Promise<void> {
    this.session++;
    const engine = this.engine;
    if (engine) {
      engine.disconnect(this.deps.clock.now());
      this.service();
    }
    await this.closeJobReader();
    const t = this.transport;
    this.transport = null;
    if (t) await t.close().catch(() => undefined);
    this.wakeHandshakeWaiters();
  }

  async send(command: string): Promise<Outcome> {
    return this.intent((e, now) => e.send(command, now));
  }

  async startJob(gcodeId: string): Promise<Outcome> {
    if (this.starting) return fail('job-starting', 'A print is already being started.');
    this.starting = true;
    try {
      return await this.startJobOnce(gcodeId);
    } finally {
      this.starting = false;
    }
  }

  private async startJobOnce(gcodeId: string): Promise<Outcome> {
    const engine = this.engine;
    if (!engine || engine.connectionState !== 'idle') {
      return fail('not-ready', engine ? 'The printer is busy or not ready for a print.' : 'Connect to a printer first.');
    }
    const files = await this.deps.files();
    const gcode = await files.getGcode(gcodeId);
    if (!gcode) return fail('gcode-missing', 'That G-code file is no longer in the library.');
    const profile = this.profile!;
    // Check the whole file before the first line goes out: a print must not stop at line 80,000.
    const preflight = new JobPreflight({ maxHotendTemp: profile.maxHotendTemp, maxBedTemp: profile.maxBedTemp, ...(profile.maxChamberTemp !== undefined ? { maxChamberTemp: profile.maxChamberTemp } : {}) });
    try {
      for await (const chunk of files.chunks(gcodeId)) preflight.feed(chunk);
    } catch (e) {
      return fail('gcode-unreadable', `The G-code file could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    const check = preflight.finish();
    if (!check.ok) {
      return fail('job-refused', `This file cannot be printed as it is:\n${describePreflight(check)}`);
    }
    if (this.engine !== engine || engine.connectionState !== 'idle') return fail('not-ready', 'The printer is no longer ready.');
    const now = this.deps.clock.now();
    const jobId = this.deps.newId?.() ?? `job-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const history = new JobHistory({ id: jobId, gcodeId, fileName: gcode.name, printerId: profile.id, printerName: profile.name, startedAt: now });
    this.jobReader = files.chunks(gcodeId)[Symbol.asyncIterator]();
    this.reading = false;
    const info = {
      jobId,
      gcodeId,
      fileName: gcode.name,
      totalBytes: check.totalBytes,
      totalLines: check.totalLines,
      ...(check.layerCount !== undefined ? { layerCount: check.layerCount } : gcode.layerCount !== undefined ? { layerCount: gcode.layerCount } : {}),
      ...(check.estimateSeconds !== undefined ? { slicerEstimateSeconds: check.estimateSeconds } : gcode.estimatedSeconds !== undefined ? { slicerEstimateSeconds: gcode.estimatedSeconds } : {}),
    };
    const r = engine.startJob(info, this.deps.clock.now());
    if (!r.ok) {
      await this.closeJobReader();
      return r;
    }
    // Written before the first line can be acknowledged, so a crash still leaves a record.
    this.history = history;
    void this.persist(history.initial);
    this.service();
    return r;
  }

  async pause(): Promise<Outcome> {
    return this.intent((e, now) => e.pause(now));
  }

  async resume(): Promise<Outcome> {
    return this.intent((e, now) => e.resume(now));
  }

  async cancel(): Promise<Outcome> {
    return this.intent((e, now) => e.cancel(now));
  }

  async emergencyStop(): Promise<Outcome> {
    return this.intent((e, now) => e.emergencyStop(now));
  }

  async answerPrompt(buttonIndex: number): Promise<Outcome> {
    return this.intent((e, now) => e.answerPrompt(buttonIndex, now));
  }

  async subscribe(listener: (events: PrinterEvent[]) => void): Promise<void> {
    this.listeners.push(listener);
  }

  async snapshot(): Promise<PrinterSnapshot> {
    return this.engine ? this.engine.snapshot() : { ...DISCONNECTED };
  }

  async simulatorLog(): Promise<string[] | null> {
    return this.transport?.simulatorLog?.() ?? null;
  }

  // ───────────────────────────── driving ─────────────────────────────

  private intent(act: (engine: PrinterEngine, now: number) => Outcome): Outcome {
    const engine = this.engine;
    if (!engine) return fail('not-connected', 'Connect to a printer first.');
    const r = act(engine, this.deps.clock.now());
    this.service();
    return r;
  }

  private lost(reason: string): void {
    const engine = this.engine;
    if (engine) engine.transportLost(this.deps.clock.now(), reason);
    this.service();
    void this.closeJobReader();
    const t = this.transport;
    this.transport = null;
    if (t) void t.close().catch(() => undefined);
  }

  /** One step: let due timers fire, pass bytes to the transport, route events, reschedule. */
  private service(): void {
    const engine = this.engine;
    const now = this.deps.clock.now();
    if (engine) {
      engine.tick(now);
      const writes = engine.takeWrites();
      if (this.transport) for (const w of writes) this.transport.write(w);
      const events = engine.takeEvents();
      this.observe(events, engine, now);
      this.batcher.push(events);
      this.feedJob(engine);
    }
    const batch = this.batcher.take(now);
    if (batch) for (const l of this.listeners) l(batch);
    this.wakeHandshakeWaiters();
    this.schedule();
  }

  private observe(events: PrinterEvent[], engine: PrinterEngine, now: number): void {
    for (const e of events) {
      if (e.type !== 'job' || !this.history) continue;
      this.lastAckedLine = engine.lastAckedJobLine;
      const record = this.history.update(e.job, now, this.lastAckedLine);
      if (record) void this.persist(record);
      if (record && record.outcome !== 'running') {
        this.history = null;
        void this.closeJobReader();
      }
    }
  }

  private async persist(record: JobRecord): Promise<void> {
    try {
      const files = await this.deps.files();
      await files.putJob(record);
    } catch (e) {
      this.reportStorageError(e);
    }
  }

  private reportStorageError(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.batcher.push([{ type: 'error', error: { code: 'history-write', message: `The print history could not be saved: ${message}`, fatal: false } }]);
  }

  private feedJob(engine: PrinterEngine): void {
    if (this.reading || !this.jobReader || !engine.wantsJobData()) return;
    const reader = this.jobReader;
    this.reading = true;
    engine.markJobDataRequested();
    reader.next().then(
      (r) => {
        this.reading = false;
        if (this.engine !== engine || this.jobReader !== reader) return;
        if (r.done) {
          this.jobReader = null;
          engine.feedJob(new Uint8Array(0), true, this.deps.clock.now());
        } else engine.feedJob(r.value, false, this.deps.clock.now());
        this.service();
      },
      (e: unknown) => {
        this.reading = false;
        if (this.engine !== engine) return;
        engine.jobDataFailed(e instanceof Error ? e.message : String(e), this.deps.clock.now());
        this.service();
      },
    );
  }

  private async closeJobReader(): Promise<void> {
    const r = this.jobReader;
    this.jobReader = null;
    if (r?.return) await r.return(undefined).catch(() => undefined);
  }

  private schedule(): void {
    const wake = Math.min(this.engine?.nextWakeAt() ?? Infinity, this.batcher.nextDueAt() ?? Infinity);
    if (wake === this.timerAt) return;
    if (this.timer !== null) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = wake;
    if (wake === Infinity) return;
    const delay = Math.max(0, wake - this.deps.clock.now());
    this.timer = this.deps.clock.setTimer(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.service();
    }, delay);
  }

  private wakeHandshakeWaiters(): void {
    const w = this.handshakeWaiters;
    this.handshakeWaiters = [];
    for (const f of w) f();
  }
}

function fail(code: string, message: string): Outcome {
  return { ok: false, error: { code, message, fatal: false } };
}
