// The printer worker's logic, kept out of the worker file so it runs in Node tests: it owns the engine,
// drives its timers, moves bytes between it and a transport, streams the job's G-code from storage in
// chunks, keeps the job's history record, and hands the page batched events. The page only sends intents.

import { PrinterEngine, type EngineOptions } from './engine/printer-engine.js';
import { JobPreflight, describePreflight } from './engine/job-preflight.js';
import { EventBatcher } from './event-batcher.js';
import { JobHistory } from './job-history.js';
import type { GcodeRecord, JobRecord, PrinterProfileRecord } from '../storage/records.js';
import type { Outcome, PrinterError, PrinterEvent, PrinterLinkApi, PrinterResumeApi, PrinterSnapshot, ResumeOffer, ResumePreview, ResumeRequest, TransportChoice } from './link-api.js';
import { checkTemperature } from './engine/temperature-limits.js';
import { CheckpointRecorder, layerFences } from './resume/checkpoint-recorder.js';
import { LayerIndexBuilder, type LayerIndex } from './resume/layer-index.js';
import { LatestWinsWriter } from './resume/latest-wins.js';
import { chunksFromOffset, describeResumeOffer, planResumeFor, type ResumeStart } from './resume/resume-job.js';

import type { OpenTransport, PrinterTransport } from './transport/transport.js';
export type { OpenTransport, PrinterTransport, TransportHandlers } from './transport/transport.js';

/** What the link needs from storage. */
export interface JobFiles {
  getGcode(id: string): Promise<GcodeRecord | undefined>;
  /** The file's chunks in order, from chunk `fromChunk` on. */
  chunks(id: string, fromChunk?: number): AsyncIterable<Uint8Array>;
  putJob(record: JobRecord): Promise<void>;
  /** A job's history record (to resume an interrupted job). */
  getJob?(id: string): Promise<JobRecord | undefined>;
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

export class PrinterLink implements PrinterLinkApi, PrinterResumeApi {
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
  private recorder: CheckpointRecorder | null = null;
  private checkpointDue = false;
  private lastJobState: string | undefined;
  /** The layer index of the last file printed or offered for resume (reading a big file takes a while). */
  private indexCache: { gcodeId: string; updatedAt: number; index: LayerIndex } | null = null;
  private readonly recordWriter = new LatestWinsWriter<JobRecord>(
    (record) => record.id,
    async (record) => {
      const files = await this.deps.files();
      await files.putJob(record);
    },
    (e) => this.reportStorageError(e),
  );

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

  async resumeOffer(jobId: string): Promise<{ ok: true; offer: ResumeOffer } | { ok: false; error: PrinterError }> {
    const found = await this.interruptedJob(jobId);
    if (!found.ok) return found;
    const offer = describeResumeOffer(found.record, found.index);
    return offer.ok ? offer : { ok: false, error: { code: 'not-resumable', message: offer.message, fatal: false } };
  }

  async previewResume(request: ResumeRequest): Promise<ResumePreview> {
    const found = await this.interruptedJob(request.jobId);
    if (!found.ok) return found;
    const plan = planResumeFor(found.record, found.index, request);
    if (!plan.ok) return { ok: false, error: { code: 'resume-refused', message: plan.message, fatal: false } };
    return { ok: true, steps: plan.steps, warnings: plan.warnings, startLine: plan.startLine, layer: plan.layer };
  }

  async resumeJob(request: ResumeRequest): Promise<Outcome> {
    if (this.starting) return fail('job-starting', 'A print is already being started.');
    this.starting = true;
    try {
      const engine = this.engine;
      if (!engine || engine.connectionState !== 'idle') return fail('not-ready', engine ? 'The printer is busy or not ready.' : 'Connect to the printer first: resuming needs it connected.');
      const found = await this.interruptedJob(request.jobId);
      if (!found.ok) return found;
      const plan = planResumeFor(found.record, found.index, request);
      if (!plan.ok) return fail('resume-refused', plan.message);
      const profile = this.profile!;
      const limits = { maxHotendTemp: profile.maxHotendTemp, maxBedTemp: profile.maxBedTemp, ...(profile.maxChamberTemp !== undefined ? { maxChamberTemp: profile.maxChamberTemp } : {}) };
      for (const line of plan.lines) {
        const v = checkTemperature(line, limits);
        if (v) return fail('resume-refused', `The resume cannot heat as the file did: ${v.message}`);
      }
      const layer = found.index.layers[plan.layer]!;
      return await this.startJobOnce(found.record.gcodeId, {
        from: found.record,
        layer,
        preamble: plan.lines,
      });
    } finally {
      this.starting = false;
    }
  }

  /** An interrupted job with a checkpoint, and the layer index of its file. */
  private async interruptedJob(jobId: string): Promise<{ ok: true; record: JobRecord; index: LayerIndex } | { ok: false; error: PrinterError }> {
    const files = await this.deps.files();
    const record = files.getJob ? await files.getJob(jobId) : undefined;
    if (!record) return fail('job-missing', 'That print is no longer in the history.');
    if (record.outcome !== 'interrupted' || !record.checkpoint) return fail('not-resumable', 'Only an interrupted print with a saved checkpoint can be resumed.');
    const gcode = await files.getGcode(record.gcodeId);
    if (!gcode) return fail('gcode-missing', 'The G-code file of that print is no longer in the library.');
    try {
      return { ok: true, record, index: await this.layerIndexOf(gcode, files) };
    } catch (e) {
      return fail('gcode-unreadable', `The G-code file could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async layerIndexOf(gcode: GcodeRecord, files: JobFiles): Promise<LayerIndex> {
    const c = this.indexCache;
    if (c && c.gcodeId === gcode.id && c.updatedAt === gcode.updatedAt) return c.index;
    const builder = new LayerIndexBuilder();
    for await (const chunk of files.chunks(gcode.id)) builder.feed(chunk);
    const index = builder.finish();
    this.indexCache = { gcodeId: gcode.id, updatedAt: gcode.updatedAt, index };
    return index;
  }

  private async startJobOnce(gcodeId: string, resume?: ResumeStart): Promise<Outcome> {
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
    // The same pass finds where each layer starts, for the sender's layer fences and the checkpoints.
    const layers = new LayerIndexBuilder();
    let index: LayerIndex;
    try {
      for await (const chunk of files.chunks(gcodeId)) {
        preflight.feed(chunk);
        layers.feed(chunk);
      }
      index = layers.finish();
      this.indexCache = { gcodeId, updatedAt: gcode.updatedAt, index };
    } catch (e) {
      return fail('gcode-unreadable', `The G-code file could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    const check = preflight.finish();
    if (!check.ok) {
      return fail('job-refused', `This file cannot be printed as it is:\n${describePreflight(check)}`);
    }
    if (check.commandCount === 0) {
      return fail('job-refused', 'This file has no G-code commands in it (it is empty, or only comments), so there is nothing to print.');
    }
    if (this.engine !== engine || engine.connectionState !== 'idle') return fail('not-ready', 'The printer is no longer ready.');
    const now = this.deps.clock.now();
    const jobId = this.deps.newId?.() ?? `job-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const history = new JobHistory({
      id: jobId,
      gcodeId,
      fileName: gcode.name,
      printerId: profile.id,
      printerName: profile.name,
      startedAt: now,
      ...(resume ? { resumedFrom: { jobId: resume.from.id, layer: resume.layer.layer, startedAt: resume.from.startedAt } } : {}),
    });
    this.jobReader = (resume ? chunksFromOffset(files, gcode, resume.layer.offset) : files.chunks(gcodeId))[Symbol.asyncIterator]();
    this.reading = false;
    const fences = layerFences(index);
    const info = {
      ...(fences.length > 0 || resume
        ? { stream: { fences, ...(resume ? { startOffset: resume.layer.offset, linesBefore: resume.layer.line - 1 } : {}) } }
        : {}),
      ...(resume ? { preamble: resume.preamble } : {}),
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
    this.recorder = new CheckpointRecorder(
      gcodeId,
      index,
      resume ? { offset: resume.layer.offset, line: resume.layer.line - 1, state: resume.layer.state, finishedLayer: resume.layer.layer - 1 } : undefined,
    );
    this.checkpointDue = false;
    this.lastJobState = 'printing';
    const recorder = this.recorder;
    engine.onJobLineAcked = (line) => {
      if (this.recorder === recorder && recorder.onAcked(line)) this.checkpointDue = true;
    };
    if (resume) history.setCheckpoint(recorder.checkpoint(now));
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
      // A checkpoint at every layer the printer confirmed finished, at every pause, and with every
      // other write of the record (every 10 s and at the end).
      const paused = e.job.state === 'paused' && this.lastJobState !== 'paused';
      this.lastJobState = e.job.state;
      const force = this.checkpointDue || paused;
      if (this.recorder) this.history.setCheckpoint(this.recorder.checkpoint(now, e.job.state === 'paused'));
      this.checkpointDue = false;
      const record = this.history.update(e.job, now, this.lastAckedLine, force);
      if (record) void this.persist(record);
      if (record && record.outcome !== 'running') {
        this.history = null;
        this.recorder = null;
        engine.onJobLineAcked = null;
        void this.closeJobReader();
      }
    }
  }

  /** Never awaited by the print: one write at a time, the newest version of a record wins. */
  private async persist(record: JobRecord): Promise<void> {
    this.recordWriter.submit(record);
  }

  /** Resolves when every history write submitted so far has been made (for tests). */
  historyWritten(): Promise<void> {
    return this.recordWriter.idle();
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

function fail(code: string, message: string): { ok: false; error: PrinterError } {
  return { ok: false, error: { code, message, fatal: false } };
}
