// The host side of the Marlin serial protocol as a pure state machine ("sans-I/O"): fed received bytes
// and the passage of time, it hands back bytes to write, when it next wants to be woken, and events.
// Nothing in here touches a clock, a timer, a stream or the DOM, so the same code runs against a virtual
// clock in tests and behind Web Serial in the printer worker.

import type {
  ConnectionState,
  FirmwareInfo,
  HostPrompt,
  JobProgress,
  JobState,
  LogDirection,
  LogLine,
  Outcome,
  Position,
  PrinterError,
  PrinterEvent,
  PrinterSnapshot,
  TemperatureReading,
} from '../link-api.js';
import type { SerialEndpoint } from '../wire/serial-endpoint.js';
import { CAP, autoreportCommands, hasCap } from './capabilities.js';
import { DEFAULT_TIMEOUTS, commandTiming, silenceAllowance, type TimeoutAllowances } from './command-timing.js';
import { TroubleMeter, chooseFlowMode, characterWindow, type FlowMode, type FlowPreference } from './flow-policy.js';
import { DEFAULT_CANCEL_SCRIPT, DEFAULT_PAUSE_SCRIPT, resumeSequence, scriptLines, undoRelativeMoves, type ProfileScripts } from './host-scripts.js';
import { JobStreamer, type JobCommand, type JobStreamOptions } from './job-streamer.js';
import { MAX_LINE_CHARS, commandWord, encodeLine, frameLine, isAscii, stripComment } from './line-framing.js';
import { ModalState } from './modal-state.js';
import { CommandedPosition } from './commanded-position.js';
import { parseReply, type Reply } from './reply-parser.js';
import { plainFatal } from './firmware-errors.js';
import { ResendRequests } from './resend-requests.js';
import { isOutOfSequence, isSkipNotice } from './resend-wording.js';
import { DEFAULT_STALL_BOUNDS, ProgressWatchdog } from './progress-watchdog.js';
import { HostPromptBuilder } from './host-prompt.js';
import { StrayOks, sameCommand, unknownCommandText } from './stray-oks.js';
import { ResendHistory, SendWindow, type InFlightLine, type LineOrigin, type RememberedLine } from './send-window.js';
import { checkTemperature, type TemperatureLimits } from './temperature-limits.js';

export interface EngineOptions {
  limits: TemperatureLimits;
  scripts?: Partial<ProfileScripts>;
  flowControl?: FlowPreference;
  /** Firmware receive buffer in bytes (character counting); default 128, the smallest Marlin has. */
  receiveBufferBytes?: number;
  timeouts?: Partial<TimeoutAllowances>;
  /** How long to wait for the boot banner before saying hello with `M110 N0`. */
  bootWaitMs?: number;
  /** Hello / handshake step retries before giving up. */
  handshakeAttempts?: number;
  /** M105 polling interval when the firmware cannot autoreport temperatures. */
  pollIntervalMs?: number;
  /** A resend request served but its line still not acknowledged after this long (of silence): probe. */
  resendWatchdogMs?: number;
  /** How long to wait for the `ok` that follows a `Resend:` before resending without it. */
  resendOkWaitMs?: number;
  /** Honoured requests for the same line before the job is stopped. */
  maxResendsPerLine?: number;
  /** Probes without any answer before the link is declared dead. */
  maxProbes?: number;
  /** Fall back to safe mode after this many troubles (resends, probes) within `troubleWindowLines`. */
  troubleLimit?: number;
  troubleWindowLines?: number;
  /** Minimum time between job progress events. */
  progressIntervalMs?: number;
  /** Log every line sent and received (the terminal); tests and benchmarks may turn it off. */
  logTraffic?: boolean;
  /** Lines kept for resends. */
  historyDepth?: number;
  /**
   * Only for a link whose times are exact, like the virtual wire of the tests and benchmarks: bytes
   * handed over by `takeWrites` at time t reach the firmware no sooner than at this many baud from t, and
   * `receive` is called at the time the bytes really arrived. An `ok` that comes before its line can
   * have reached the firmware is then surely a repeated one. Leave it unset for a real port: there, write
   * times are approximate, replies are handled in batches and native-USB boards ignore the baud rate, so
   * no `ok` is ever judged by its timing.
   */
  exactLinkBaud?: number;
  /** Extra `ok`s (within `troubleWindowLines`) before fast mode without ADVANCED_OK gives up. */
  extraOkLimit?: number;
  /** A print whose acknowledged line has not moved for this long (outside heating, `busy:`, pauses) is probed. */
  stallMs?: number;
  /** After that probe, progress must resume within this long or the print is stopped. */
  stallRecoveryMs?: number;
  /** How long the handshake waits for the M115 report when the firmware sent its `ok` first. */
  reportWaitMs?: number;
}

export interface JobStart {
  jobId: string;
  gcodeId: string;
  fileName: string;
  totalBytes: number;
  totalLines?: number;
  layerCount?: number;
  slicerEstimateSeconds?: number;
  /** Where in the file to start and which layer starts to fence (a resumed job starts at a layer). */
  stream?: JobStreamOptions;
  /** Host lines sent after the numbering reset and before the file (a resume's heat-home-restore steps). */
  preamble?: string[];
}

type Phase = 'offline' | 'waiting-banner' | 'syncing' | 'identifying' | 'ready' | 'halted';

interface QueuedLine {
  command: string;
  origin: LineOrigin;
  marker?: string;
  barrier?: boolean;
}

interface ActiveJob {
  info: JobStart;
  streamer: JobStreamer;
  state: JobState;
  startedAt: number;
  synced: boolean;
  bytesSent: number;
  linesSent: number;
  layer?: number;
  /** Job lines are held back (pausing, paused, resuming, cancelling). */
  held: boolean;
  pausedPosition?: Position;
  pauseReason?: string;
  lastProgressAt: number;
  /** The last job line sent and acknowledged, for the history record. */
  lastAckedLine: number;
  cancelOutcome?: 'cancelled' | 'failed';
  cancelReason?: string;
  /** What a resume must take back when no position was recorded: the pause script's relative moves. */
  pauseUndo?: string[] | null;
}

const OOB_WITH_EMERGENCY_PARSER = new Set(['M108', 'M410', 'M524', 'M876']);
/** Once the M115 report has started, its lines come in one burst: this much quiet means it is complete. */
const REPORT_GAP_MS = 250;

export class PrinterEngine implements SerialEndpoint {
  private readonly opts: Required<Omit<EngineOptions, 'scripts' | 'timeouts' | 'exactLinkBaud'>> & { scripts: Partial<ProfileScripts>; timeouts: TimeoutAllowances };
  private phase: Phase = 'offline';
  private state: ConnectionState = 'disconnected';
  private stateReason: string | undefined;
  private writes: Uint8Array[] = [];
  private events: PrinterEvent[] = [];
  private logBuffer: LogLine[] = [];
  private rxCarry = '';
  private now = 0;

  private firmware: FirmwareInfo | undefined;
  private firmwareFields: Record<string, string> = {};
  private firmwareName = '';
  private capabilities: Record<string, boolean> = {};

  private flowMode: FlowMode = 'safe';
  private readonly window: SendWindow;
  private readonly history: ResendHistory;
  private readonly outbox: QueuedLine[] = [];
  private nextN = 1;
  private lastSentN = 0;

  // Resends
  private resendCursor: number | null = null;
  private resendHold = false;
  private readonly strayOks: StrayOks;
  private resendWaitUntil: number | null = null;
  private probeOutstanding = false;
  private probesSent = 0;
  private readonly trouble: TroubleMeter;
  /** Time per byte on a link with exact timing, or null (a real port: timing proves nothing). */
  private readonly exactByteMs: number | null;
  /** Counts `takeWrites` calls: a line written in an earlier epoch has been handed to the transport. */
  private writeEpoch = 0;
  private advancedOkSeen = false;
  private readonly extraOks: TroubleMeter;
  private wireFreeAt = 0;
  private readonly resends: ResendRequests;
  /** Resend requests in a row for lines no longer in the history (garbled numbers, most likely). */
  private unplacedRequests = 0;
  private linesSentTotal = 0;
  private fellBack = false;

  // Timing
  private lastReceivedAt = 0;
  private keepaliveSeen = false;
  /** Last temperature report with `W:`, which Marlin prints every second while a heating wait runs. */
  private waitReportAt: number | null = null;
  private handshakeDeadline: number | null = null;
  private handshakeTries = 0;
  private bytesDuringHandshake = 0;
  private nextPollAt: number | null = null;
  private pollOutstanding = false;
  private probeDeadline: number | null = null;

  private previousReply: Reply | null = null;
  private previousReplyForResend: Reply | null = null;
  private temperatures: TemperatureReading[] = [];
  private position: Position | undefined;
  private prompt: HostPrompt | null = null;
  private readonly promptBuilder = new HostPromptBuilder();
  private job: ActiveJob | null = null;
  private modal = new ModalState();
  /** Told of every job line the printer acknowledged, in order (the shell keeps resume checkpoints with it). */
  onJobLineAcked: ((line: JobCommand) => void) | null = null;
  /** Where the job's own moves put the head, to catch a garbled position report. */
  private commanded = new CommandedPosition();
  /** When the last position report arrived (M114 answers, autoreports, `ok X:… Y:… Z:…`). */
  private positionAt: number | null = null;
  private readonly progressWatchdog: ProgressWatchdog;
  /** A probe's answer that could not be checked against an error line: a second, equal one confirms it. */
  private unconfirmedProbeAnswer: number | null = null;
  /** M155 was sent: the firmware reports temperatures by itself, so polling stops. */
  private autoreportRequested = false;
  /** The M115 `ok` came before its report: wait (until this time at most) for the report to finish. */
  private reportWaitUntil: number | null = null;
  private reportSeen = false;
  /** Why the outstanding probe was sent. */
  private probeReason: 'silence' | 'unclear-request' | 'stall' = 'silence';
  /** Lines in flight when it was sent. */
  private probeSentWith = 0;

  constructor(options: EngineOptions) {
    this.opts = {
      limits: options.limits,
      scripts: options.scripts ?? {},
      flowControl: options.flowControl ?? 'auto',
      receiveBufferBytes: options.receiveBufferBytes ?? 128,
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      bootWaitMs: options.bootWaitMs ?? 2_500,
      handshakeAttempts: options.handshakeAttempts ?? 8,
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      resendWatchdogMs: options.resendWatchdogMs ?? 2_000,
      resendOkWaitMs: options.resendOkWaitMs ?? 100,
      maxResendsPerLine: options.maxResendsPerLine ?? 12,
      maxProbes: options.maxProbes ?? 5,
      troubleLimit: options.troubleLimit ?? 25,
      troubleWindowLines: options.troubleWindowLines ?? 500,
      progressIntervalMs: options.progressIntervalMs ?? 250,
      logTraffic: options.logTraffic ?? true,
      historyDepth: options.historyDepth ?? 1024,
      extraOkLimit: options.extraOkLimit ?? 3,
      stallMs: options.stallMs ?? DEFAULT_STALL_BOUNDS.stallMs,
      stallRecoveryMs: options.stallRecoveryMs ?? DEFAULT_STALL_BOUNDS.recoveryMs,
      reportWaitMs: options.reportWaitMs ?? 2_000,
    };
    this.progressWatchdog = new ProgressWatchdog({ stallMs: this.opts.stallMs, recoveryMs: this.opts.stallRecoveryMs });
    this.window = new SendWindow(characterWindow(this.opts.receiveBufferBytes));
    // 10 bits per byte (start, 8 data, stop).
    this.exactByteMs = options.exactLinkBaud !== undefined && options.exactLinkBaud > 0 ? 10_000 / options.exactLinkBaud : null;
    this.strayOks = new StrayOks(this.opts.resendOkWaitMs);
    this.trouble = new TroubleMeter(this.opts.troubleLimit, this.opts.troubleWindowLines);
    this.resends = new ResendRequests(this.opts.maxResendsPerLine);
    this.extraOks = new TroubleMeter(this.opts.extraOkLimit, this.opts.troubleWindowLines);
    this.history = new ResendHistory(Math.max(this.opts.historyDepth, 256));
  }

  // ───────────────────────────── SerialEndpoint ─────────────────────────────

  receive(bytes: Uint8Array, now: number): void {
    this.now = now;
    if (this.phase === 'waiting-banner') this.bytesDuringHandshake += bytes.length;
    let text = this.rxCarry;
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
    const parts = text.split('\n');
    this.rxCarry = parts.pop() ?? '';
    if (this.rxCarry.length > 4096) this.rxCarry = this.rxCarry.slice(-4096);
    for (const line of parts) this.handleLine(line, now);
    this.pump(now);
  }

  tick(now: number): void {
    this.now = now;
    if (this.phase === 'offline' || this.phase === 'halted') return;
    if (this.handshakeDeadline !== null && now >= this.handshakeDeadline) this.handshakeTimeout(now);
    if (this.reportWaitUntil !== null && now >= this.reportWaitUntil && this.phase === 'identifying') this.handshakeDone(now);
    if (this.phase === 'ready') {
      if (this.nextPollAt !== null && now >= this.nextPollAt && !this.pollOutstanding) {
        this.pollOutstanding = true;
        this.nextPollAt = null;
        this.outbox.push({ command: 'M105', origin: 'poll' });
      }
      const deadline = this.silenceDeadline();
      if (deadline !== null && now >= deadline) this.silenceTimeout(now);
      this.watchProgress(now);
    }
    this.maybeEmitProgress(now, false);
    this.pump(now);
  }

  takeWrites(): Uint8Array[] {
    const w = this.writes;
    this.writes = [];
    if (w.length) this.writeEpoch++;
    return w;
  }

  nextWakeAt(): number | null {
    const candidates: number[] = [];
    if (this.phase === 'offline' || this.phase === 'halted') return null;
    if (this.handshakeDeadline !== null) candidates.push(this.handshakeDeadline);
    if (this.reportWaitUntil !== null) candidates.push(this.reportWaitUntil);
    if (this.phase === 'ready') {
      const stall = this.progressWatchdog.deadline(this.stallBound());
      if (stall !== null) candidates.push(stall);
      if (this.resendWaitUntil !== null) candidates.push(this.resendWaitUntil);
      if (this.nextPollAt !== null && !this.pollOutstanding) candidates.push(this.nextPollAt);
      const d = this.silenceDeadline();
      if (d !== null) candidates.push(d);
    }
    if (this.job && !this.isTerminal(this.job.state)) candidates.push(this.job.lastProgressAt + this.opts.progressIntervalMs);
    return candidates.length ? Math.min(...candidates) : null;
  }

  /** Events since the last call; log lines are merged into one event. */
  takeEvents(): PrinterEvent[] {
    if (this.logBuffer.length) {
      this.events.push({ type: 'log', lines: this.logBuffer });
      this.logBuffer = [];
    }
    const e = this.events;
    this.events = [];
    return e;
  }

  // ───────────────────────────── Intents ─────────────────────────────

  /** The port is open: wait for the boot banner (or say hello if none comes). */
  connect(now: number): void {
    this.now = now;
    this.resetLink();
    this.phase = 'waiting-banner';
    this.handshakeTries = 0;
    this.bytesDuringHandshake = 0;
    this.handshakeDeadline = now + this.opts.bootWaitMs;
    this.lastReceivedAt = now;
    this.setState('connecting');
  }

  /** The user closed the connection. */
  disconnect(now: number, reason = 'Disconnected.'): void {
    this.now = now;
    if (this.job && !this.isTerminal(this.job.state)) this.endJob('interrupted', 'The connection was closed during the print.');
    this.resetLink();
    this.phase = 'offline';
    this.setState('disconnected', reason);
  }

  /** The transport went away (cable pulled, device lost). */
  transportLost(now: number, reason: string): void {
    this.now = now;
    if (this.job && !this.isTerminal(this.job.state)) this.endJob('interrupted', reason);
    this.error('link-lost', reason, true);
    this.resetLink();
    this.phase = 'offline';
    this.setState('disconnected', reason);
  }

  /** A command from the terminal or the controls. */
  send(command: string, now: number): Outcome {
    this.now = now;
    const cmd = stripComment(command);
    if (!cmd) return fail('empty-command', 'There is no command to send.');
    if (this.phase === 'halted' && commandWord(cmd) === 'M999') {
      // Marlin's way out of "stopped due to errors": it then expects numbering afresh.
      this.write(encodeLine('M999'));
      this.log('sent', 'M999');
      this.startSync(now);
      this.pump(now);
      return { ok: true };
    }
    if (this.phase !== 'ready') return fail('not-connected', 'The printer is not connected yet.');
    if (!isAscii(cmd)) return fail('not-ascii', `"${cmd}" contains characters the printer cannot receive (only plain ASCII).`);
    const word = commandWord(cmd);
    if (word === 'M112') return this.emergencyStop(now);
    const v = checkTemperature(cmd, this.opts.limits);
    if (v) {
      this.log('error', v.message);
      return fail('temperature-limit', v.message);
    }
    if (frameLine(this.nextN + 1000, cmd).length > MAX_LINE_CHARS) {
      return fail('line-too-long', `"${cmd.slice(0, 40)}…" is too long for the printer's ${MAX_LINE_CHARS}-character line buffer.`);
    }
    if (word === 'M110') return fail('reserved-command', 'M110 (line numbering) is managed by Sliceport and cannot be sent by hand.');
    if (OOB_WITH_EMERGENCY_PARSER.has(word) && this.hasCap(CAP.emergencyParser)) {
      this.sendOutOfBand(cmd);
    } else {
      this.outbox.push({ command: cmd, origin: 'user' });
    }
    this.pump(now);
    return { ok: true };
  }

  /** Starts streaming a job; the shell feeds its data with `feedJob` whenever `wantsJobData()` is true. */
  startJob(info: JobStart, now: number): Outcome {
    this.now = now;
    if (this.phase !== 'ready') return fail('not-connected', 'The printer is not connected.');
    if (this.job && !this.isTerminal(this.job.state)) return fail('job-running', 'A print is already running.');
    if (this.state === 'error') return fail('printer-error', `The printer reported an error: ${this.stateReason ?? ''}`.trim());
    this.modal = new ModalState();
    this.commanded = new CommandedPosition();
    this.job = {
      info,
      streamer: new JobStreamer(info.stream),
      state: 'printing',
      startedAt: now,
      synced: false,
      bytesSent: info.stream?.startOffset ?? 0,
      linesSent: 0,
      held: false,
      lastProgressAt: now,
      lastAckedLine: 0,
    };
    // Every job starts numbering afresh, so a resend request can never point into an earlier session.
    this.outbox.push({ command: 'M110 N0', origin: 'host', marker: 'job-sync', barrier: true });
    for (const command of info.preamble ?? []) {
      // Also what a pause during this job must restore (temperatures, E, modes, feed rate).
      this.modal.apply(command);
      this.outbox.push({ command, origin: 'host' });
    }
    this.progressWatchdog.start(now);
    this.setState('printing');
    this.emitJob();
    this.pump(now);
    return { ok: true };
  }

  wantsJobData(): boolean {
    return !!this.job && !this.isTerminal(this.job.state) && this.job.streamer.wantsData();
  }

  /** Call when starting to read the next chunk, so the engine does not ask again meanwhile. */
  markJobDataRequested(): void {
    this.job?.streamer.markRequested();
  }

  feedJob(chunk: Uint8Array, last: boolean, now: number): void {
    this.now = now;
    if (!this.job || this.isTerminal(this.job.state)) return;
    this.job.streamer.feed(chunk, last);
    if (this.job.streamer.layerCount !== undefined && this.job.info.layerCount === undefined) this.job.info.layerCount = this.job.streamer.layerCount;
    if (this.job.streamer.estimateSeconds !== undefined && this.job.info.slicerEstimateSeconds === undefined) {
      this.job.info.slicerEstimateSeconds = this.job.streamer.estimateSeconds;
    }
    this.pump(now);
  }

  /** The job's data could not be read: stop it. */
  jobDataFailed(message: string, now: number): void {
    this.now = now;
    if (!this.job || this.isTerminal(this.job.state)) return;
    this.error('job-data', `The print file could not be read: ${message}`, false);
    this.cancelJob(now, `The print file could not be read: ${message}`, 'failed');
  }

  pause(now: number, reason = 'Paused by the user.'): Outcome {
    this.now = now;
    const job = this.job;
    if (!job || job.state !== 'printing') return fail('not-printing', 'There is no running print to pause.');
    job.state = 'pausing';
    job.held = true;
    job.pauseReason = reason;
    delete job.pausedPosition;
    delete job.pauseUndo;
    // Wait for the moves to finish so the recorded position is where the head really is.
    this.outbox.push({ command: 'M400', origin: 'host' });
    this.outbox.push({ command: 'M114', origin: 'host', marker: 'pause-position' });
    this.emitJob();
    this.pump(now);
    return { ok: true };
  }

  resume(now: number): Outcome {
    this.now = now;
    const job = this.job;
    if (!job || job.state !== 'paused') return fail('not-paused', 'The print is not paused.');
    if (!job.pausedPosition && job.pauseUndo === null) {
      return fail(
        'no-pause-position',
        'The print cannot resume: the printer did not say where the head was when it paused, and the pause script moved the head to a place Sliceport cannot find its way back from without that. Cancel the print.',
      );
    }
    job.state = 'resuming';
    const lines = resumeSequence(job.pausedPosition, this.modal, this.opts.scripts.resume, job.pauseUndo ?? []);
    this.queueScript(lines, 'resume-done');
    this.emitJob();
    this.pump(now);
    return { ok: true };
  }

  cancel(now: number): Outcome {
    this.now = now;
    const job = this.job;
    if (!job || this.isTerminal(job.state) || job.state === 'cancelling') return fail('not-printing', 'There is no print to cancel.');
    this.cancelJob(now, 'Cancelled by the user.', 'cancelled');
    return { ok: true };
  }

  /** M112 ahead of everything, then heaters off. */
  emergencyStop(now: number): Outcome {
    this.now = now;
    if (this.phase === 'offline') return fail('not-connected', 'The printer is not connected.');
    // Ahead of anything not yet handed to the transport.
    this.writes.unshift(encodeLine('M112'));
    // Without EMERGENCY_PARSER the firmware may see M112 only when a queue slot frees: cut the heaters too.
    this.write(encodeLine('M104 S0'));
    this.write(encodeLine('M140 S0'));
    this.log('sent', 'M112');
    this.log('sent', 'M104 S0');
    this.log('sent', 'M140 S0');
    if (this.job && !this.isTerminal(this.job.state)) this.endJob('failed', 'Emergency stop.');
    this.outbox.length = 0;
    this.window.clear();
    this.resendCursor = null;
    this.resends.serving = null;
    this.phase = 'halted';
    this.handshakeDeadline = null;
    this.error('emergency-stop', 'Emergency stop: the printer was halted and its heaters switched off. Reset or power-cycle it, then connect again.', true);
    this.setState('error', 'Emergency stop.');
    return { ok: true };
  }

  answerPrompt(index: number, now: number): Outcome {
    this.now = now;
    if (!this.prompt) return fail('no-prompt', 'The printer is not asking anything.');
    if (!Number.isInteger(index) || index < 0 || index >= Math.max(1, this.prompt.buttons.length)) {
      return fail('bad-answer', 'That answer is not one of the choices offered.');
    }
    const cmd = `M876 S${index}`;
    if (this.hasCap(CAP.emergencyParser)) this.sendOutOfBand(cmd);
    else this.outbox.push({ command: cmd, origin: 'user' });
    this.setPrompt(null);
    this.pump(now);
    return { ok: true };
  }

  snapshot(): PrinterSnapshot {
    const s: PrinterSnapshot = {
      state: this.state,
      temperatures: this.temperatures,
      prompt: this.prompt,
      flowMode: this.flowMode,
    };
    if (this.stateReason !== undefined) s.reason = this.stateReason;
    if (this.firmware) s.firmware = this.firmware;
    if (this.position) s.position = this.position;
    if (this.job) s.job = this.jobProgress();
    return s;
  }

  get currentFlowMode(): FlowMode {
    return this.flowMode;
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  get jobState(): JobState | undefined {
    return this.job?.state;
  }

  /** The last job line (file line number) known to be acknowledged, for the history record. */
  get jobProgressNow(): JobProgress | undefined {
    return this.job ? this.jobProgress() : undefined;
  }

  // ───────────────────────────── Receiving ─────────────────────────────

  private handleLine(raw: string, now: number): void {
    const text = raw.replace(/\r/g, '').trim();
    if (!text) return;
    const reply = parseReply(text);
    // Periodic reports come from a timer in the firmware and prove nothing about the command stream;
    // temperatures count as a sign of life only while a heating wait is running (Marlin reports them then,
    // marked with `W:`; once such reports have been seen, only they count, since autoreports go on after
    // the wait ended and its `ok` may have been lost).
    // `wait` only says the firmware is idle: coming while lines are owed an answer, it is rather a sign of trouble.
    const report = reply.kind === 'temperatures' || reply.kind === 'position' || reply.kind === 'other' || reply.kind === 'echo' || reply.kind === 'wait';
    const heatingLine = reply.kind === 'temperatures' ? this.window.lines.find((l) => l.timing === 'heating') : undefined;
    if (heatingLine && reply.kind === 'temperatures' && reply.waiting) this.waitReportAt = now;
    const waitReport = !!heatingLine && reply.kind === 'temperatures' && (reply.waiting || !this.waitReportsSeen());
    if (!report || waitReport) {
      this.lastReceivedAt = now;
      this.probesSent = 0;
      // Alive but busy: the probe will be answered once the firmware reads it; probe again only after silence.
      if (this.probeOutstanding) this.probeDeadline = now + this.probeWaitMs();
    }
    const strayOk = this.strayOks.claims(reply.kind === 'ok', now);
    this.previousReplyForResend = this.previousReply;
    this.previousReply = reply;
    if (this.opts.logTraffic || (reply.kind !== 'ok' && reply.kind !== 'busy')) this.log('received', text);
    if (strayOk) {
      if (this.resendWaitUntil !== null) this.resendWaitUntil = null;
      return;
    }
    this.handleReply(reply, now);
  }

  private handleReply(reply: Reply, now: number): void {
    switch (reply.kind) {
      case 'start':
        this.onBanner(now);
        return;
      case 'ok':
        if (reply.temperatures) this.setTemperatures(reply.temperatures);
        if (reply.position) this.setPosition(reply.position, now);
        if (this.phase === 'waiting-banner') {
          this.startSync(now);
          return;
        }
        this.onOk(reply.advanced, now);
        return;
      case 'resend': {
        // Marlin follows every `Resend:` with an `ok` that acknowledges no line, in the same breath; some
        // firmwares don't. Only an `ok` right after the request, and soon, is taken as that one.
        this.strayOks.announce(now, 1);
        // Replies carry no checksum, so a flipped bit can turn "Resend: 11753" into "Resend: 10753".
        // Marlin always names the last good line just before; act only when the two agree.
        // Firmwares that send no error line (Smoothieware, RepRapFirmware) cannot be checked that way: an
        // answer to our probe is believed once a second probe brings the same number.
        const verified = this.previousReplyWas(reply.line - 1) || (this.probeOutstanding && this.unconfirmedProbeAnswer === reply.line);
        if (verified || this.plausibleResend(reply.line)) {
          this.unconfirmedProbeAnswer = null;
          this.onResend(reply.line, now);
        } else if (this.probeOutstanding) this.unconfirmedProbeAnswer = reply.line;
        else if (this.phase === 'ready') this.sendProbe(now, 'unclear-request');
        return;
      }
      case 'line-error':
        // `Resend:` and its `ok` follow; the request line may come garbled, the `ok` is still not ours.
        this.strayOks.announce(now, 2);
        return;
      case 'error':
        this.onFirmwareError(reply.text, reply.fatal);
        return;
      case 'unknown-command':
        this.onUnknownCommand(reply.text, now);
        return;
      case 'busy':
        this.keepaliveSeen = true;
        // Alive and working on a long command: not a stall.
        this.progressWatchdog.progress(now);
        return;
      case 'wait':
        // Idle firmware with lines we think are in flight: find out exactly where it stands.
        if (this.job && this.job.state === 'printing' && this.window.size > 0 && !this.probeOutstanding) this.sendProbe(now, 'silence');
        return;
      case 'temperatures':
        this.setTemperatures(reply.readings);
        return;
      case 'position':
        this.setPosition(reply.position, now);
        return;
      case 'firmware':
        // Only the handshake decides what the firmware is: a report asked for later changes nothing.
        if (this.phase !== 'identifying') return;
        this.firmwareName = reply.name;
        this.firmwareFields = { ...this.firmwareFields, ...reply.fields };
        this.reportSeen = true;
        if (this.reportWaitUntil !== null) this.reportWaitUntil = now + REPORT_GAP_MS;
        return;
      case 'capability':
        if (this.phase !== 'identifying') return;
        this.capabilities[reply.name] = reply.enabled;
        if (this.reportWaitUntil !== null) this.reportWaitUntil = now + REPORT_GAP_MS;
        return;
      case 'action':
        this.onAction(reply.name, reply.argument, now);
        return;
      case 'echo':
      case 'other':
        // Repetier: a line ignored while it waits for a resend; the `ok` after it acknowledges none of ours.
        if (reply.kind === 'other' && isSkipNotice(reply.text)) this.strayOks.announce(now, 1);
        return;
    }
  }

  private onBanner(now: number): void {
    if (this.phase === 'waiting-banner') {
      this.startSync(now);
      return;
    }
    if (this.phase === 'identifying' || this.phase === 'syncing' || this.phase === 'halted') {
      // A restart while connecting, or after a halt (the user pressed reset): connect afresh.
      this.startSync(now);
      return;
    }
    if (this.phase === 'ready') {
      // The board restarted: every queued line is void.
      const wasPrinting = !!this.job && !this.isTerminal(this.job.state);
      // Interrupted, not failed: the print can be resumed from its last finished layer.
      if (wasPrinting) this.endJob('interrupted', 'The printer restarted during the print (a reset or a power glitch), so the print was stopped.');
      this.error('printer-reset', 'The printer restarted unexpectedly. Sliceport reconnected to it.', wasPrinting);
      this.startSync(now);
    }
  }

  /**
   * `echo:Unknown command: "<text>"` comes just before the `ok` of the command it is about. When that
   * is not the line we wait for, the firmware ran garbage (a line tail left over from a buffer flush, a
   * line whose `N` was garbled), and the `ok` after it is the garbage's.
   */
  private onUnknownCommand(text: string, now: number): void {
    const echoed = unknownCommandText(text);
    const head = this.window.lines[0];
    if (echoed !== null && head && !sameCommand(head.command, echoed)) {
      this.strayOks.announce(now, 1);
      this.log('info', `The printer received a garbled line ("${echoed}") and ignored it.`);
      return;
    }
    this.error('unknown-command', `The printer did not understand a command (${echoed ?? text.replace(/^Unknown command:\s*/i, '')}).`, false);
  }

  private onOk(advanced: { line: number; plannerFree: number; commandFree: number } | undefined, now: number): void {
    if (advanced) this.advancedOkSeen = true;
    if (this.window.size === 0) {
      if (this.phase === 'ready' && !advanced) this.onExtraOk();
      return;
    }
    let acked: InFlightLine | undefined;
    if (advanced) {
      // The line number says exactly what is acknowledged. An `ok` for a line no longer in flight is a
      // duplicate (or garbled): acknowledging nothing is the safe side, a probe sorts out the rest.
      const idx = this.window.indexOfLine(advanced.line);
      for (let i = 0; i <= idx; i++) {
        acked = this.window.shift();
        if (acked) this.onAcked(acked, now);
      }
      this.window.slots.report(advanced.commandFree, this.window.size);
    } else {
      // An `ok` for a line that cannot have reached the firmware yet is an extra one (a repeated `ok`);
      // taking it would overfill the receive buffer.
      if (!this.couldHaveArrived(this.window.lines[0]!, now)) {
        this.onExtraOk();
        return;
      }
      acked = this.window.shift();
      if (acked) this.onAcked(acked, now);
    }
  }

  /**
   * A line not yet handed to the transport cannot have reached the firmware, whatever the clock says.
   * Beyond that, only a link with exact timing (the virtual wire) can tell that its last byte is still
   * on the way; over a real port an `ok` is never discarded on timing.
   */
  private couldHaveArrived(line: InFlightLine, now: number): boolean {
    if (line.epoch !== undefined && line.epoch >= this.writeEpoch) return false;
    return line.arrivesAt === undefined || line.arrivesAt <= now + 1e-6;
  }

  private onAcked(line: InFlightLine, now: number): void {
    this.unplacedRequests = 0;
    if (line.n !== null && this.resends.acknowledged(line.n)) this.resendHold = false;
    if (line.origin === 'poll') {
      this.pollOutstanding = false;
      this.schedulePoll(now);
    }
    if (line.job && this.job) {
      this.job.lastAckedLine = Math.max(this.job.lastAckedLine, line.job.fileLine);
      this.onJobLineAcked?.(line.job);
    }
    if (line.origin === 'job' || line.origin === 'host') this.progressWatchdog.progress(now);
    if (line.marker) this.onMarker(line.marker, now, line);
    this.updateActivityState();
    this.checkJobDone();
  }

  private onMarker(marker: string, now: number, line: InFlightLine): void {
    switch (marker) {
      case 'hs-m110':
        this.afterNumberingReset();
        this.phase = 'identifying';
        this.handshakeTries = 0;
        this.handshakeDeadline = now + 5_000;
        this.firmwareFields = {};
        this.firmwareName = '';
        this.capabilities = {};
        this.reportSeen = false;
        this.reportWaitUntil = null;
        this.outbox.unshift({ command: 'M115', origin: 'host', marker: 'hs-m115' });
        return;
      case 'hs-m115':
        if (this.phase !== 'identifying') return;
        if (this.reportSeen) this.handshakeDone(now);
        else {
          // Acknowledged before the report (some firmwares answer after their `ok`): deciding now would
          // take a Marlin for an unknown firmware. Wait for the report, a bounded time.
          this.handshakeDeadline = null;
          this.reportWaitUntil = now + this.opts.reportWaitMs;
        }
        return;
      case 'job-sync':
        this.afterNumberingReset();
        if (this.job) this.job.synced = true;
        return;
      case 'link-resync':
        this.afterNumberingReset();
        return;
      case 'pause-position': {
        const job = this.job;
        if (!job || job.state !== 'pausing') return;
        const pauseLines = scriptLines(this.opts.scripts.pause, DEFAULT_PAUSE_SCRIPT);
        // Only a report that came after the M114 tells where the head is now, and only one that agrees
        // with where the print's own moves put it.
        const fresh = !!this.position && this.positionAt !== null && this.positionAt >= line.sentAt;
        if (fresh && !this.commanded.contradicts(this.position!)) job.pausedPosition = { ...this.position! };
        else {
          job.pauseUndo = undoRelativeMoves(pauseLines, this.modal.absolutePositioning);
          const p = this.position;
          this.log(
            'info',
            fresh && p
              ? `The head position the printer reported (X${p.x} Y${p.y} Z${p.z}) does not match the print's last move: it was probably garbled on the way, so it is not used.`
              : 'The printer did not report the head position (M114) when pausing.',
          );
        }
        this.queueScript(pauseLines, 'pause-done');
        return;
      }
      case 'pause-done':
        if (this.job && this.job.state === 'pausing') {
          this.job.state = 'paused';
          this.setState('paused', this.job.pauseReason);
          this.emitJob();
        }
        return;
      case 'resume-done':
        if (this.job && this.job.state === 'resuming') {
          this.job.state = 'printing';
          this.job.held = false;
          this.setState('printing');
          this.emitJob();
        }
        return;
      case 'cancel-done':
        if (this.job && this.job.state === 'cancelling') this.endJob(this.job.cancelOutcome ?? 'cancelled', this.job.cancelReason);
        return;
    }
  }

  private previousReplyWas(lastLine: number): boolean {
    const p = this.previousReplyForResend;
    return !!p && p.kind === 'line-error' && p.lastLine === lastLine;
  }

  /** Without a matching error line, only a request for the oldest line in flight is believable. */
  private plausibleResend(line: number): boolean {
    const oldest = this.window.lines.find((l) => l.n !== null && l.bytes > 0);
    return !!oldest && oldest.n === line && !this.probeOutstanding;
  }

  private onResend(line: number, now: number): void {
    const fromProbe = this.probeOutstanding;
    // Lines before the one asked for were received; their `ok`s are surely all in when the probe went
    // out after silence. One sent at once (for a garbled request) may overtake the `ok`s of lines still
    // queued in the firmware, which reads the serial line between commands: with two or more lines in
    // flight when it went, taking the older ones as done would let each later `ok` acknowledge the wrong
    // line, and end a print before its last line ran. A single line has run before the probe is read.
    const dropOlder = fromProbe && (this.probeReason !== 'unclear-request' || this.probeSentWith <= 1);
    this.probeOutstanding = false;
    this.probeDeadline = null;
    if (this.phase === 'syncing' || this.phase === 'waiting-banner') return;
    // A numbering reset goes alone: any request while it is unacknowledged says it was not taken (or its
    // `ok` was lost, and taking it again is harmless). Never read it as "the lines before were received".
    if (this.window.lines.some((l) => l.barrier && l.n === 0)) line = 0;
    if (line > this.lastSentN) {
      // Nothing of ours to resend: either a stray request, or (after a probe) proof that every line
      // up to `line - 1` arrived and the missing piece was only an `ok`.
      if (dropOlder) {
        const { dropped } = this.window.resetFrom(line, true);
        for (const d of dropped) this.onAcked(d, now);
      }
      return;
    }
    const cause = this.previousReplyForResend;
    const outOfSequence = !!cause && cause.kind === 'line-error' && isOutOfSequence(cause.text);
    const verdict = this.resends.judge(line, this.lastSentN, fromProbe, outOfSequence);
    if (verdict.kind === 'duplicate') return;
    if (verdict.kind === 'too-many') {
      const msg = `The printer asked for line ${line} again and again (${verdict.times} times): the connection is too unreliable to go on.`;
      this.error('resend-loop', msg, true);
      this.haltOnError(msg, false);
      return;
    }
    if (!this.history.get(line)) {
      // Replies carry no checksum: "Last Line: 6778" and "Resend: 6779" may both have lost the same digit
      // of 66778. Far likelier than a real request for a line long gone: ask again, a few times.
      if (++this.unplacedRequests <= 3) {
        this.sendProbe(now, 'unclear-request');
        return;
      }
      const msg = `The printer asked for line ${line}, which is no longer in the resend history.`;
      this.error('resend-unavailable', msg, true);
      this.haltOnError(msg, false);
      return;
    }
    this.noteTrouble(`the printer asked for line ${line} again`);
    const { droppedAfter, dropped } = this.window.resetFrom(line, dropOlder);
    this.window.slots.reset();
    this.resendCursor = line;
    // Resend only once the request's own `ok` is in (or clearly not coming), so that the next `ok`
    // unambiguously belongs to the resent line.
    this.resendWaitUntil = now + this.opts.resendOkWaitMs;
    this.resends.serve(line, droppedAfter, now);
    this.resendHold = this.flowMode === 'fast';
    // Only now, with the resend pending: acknowledging the last lines of a file must not end the job
    // while the lines after them still have to go again.
    if (dropOlder) for (const d of dropped) if (d.n !== null && d.n < line) this.onAcked(d, now);
  }

  private onFirmwareError(text: string, fatal: boolean): void {
    if (!fatal) {
      this.error('firmware-error', `The printer reported an error: ${text}`, false);
      return;
    }
    if (this.phase === 'halted' || this.state === 'error') {
      // Marlin follows the cause (thermal runaway…) with "Printer halted"; the first says it better.
      this.log('error', text);
      return;
    }
    const message = plainFatal(text);
    this.error('firmware-halted', message, true, text);
    this.haltOnError(message);
  }

  /**
   * Stops the job. With `halt` the printer can no longer be talked to (killed firmware, dead link): stop
   * polling and wait for its boot banner (the user resets it) or for `M999`.
   */
  private haltOnError(message: string, halt = true): void {
    if (this.job && !this.isTerminal(this.job.state)) this.endJob('failed', message);
    this.outbox.length = 0;
    this.window.clear();
    this.resendCursor = null;
    this.resends.serving = null;
    this.resendWaitUntil = null;
    this.probeOutstanding = false;
    this.probeDeadline = null;
    this.pollOutstanding = false;
    this.pendingJobCommand = null;
    if (halt) {
      this.phase = 'halted';
      this.nextPollAt = null;
      this.setState('error', message);
    } else if (this.phase === 'ready') {
      this.setState('idle');
      this.schedulePoll(this.now);
    }
  }

  private onAction(name: string, arg: string, now: number): void {
    switch (name) {
      case 'pause':
        if (this.job?.state === 'printing') this.pause(now, 'The printer asked to pause.');
        return;
      case 'paused':
        // The firmware paused on its own (filament runout, M600): stop feeding, no host script.
        if (this.job?.state === 'printing') {
          this.job.state = 'paused';
          this.job.held = true;
          this.setState('paused', 'The printer paused the print.');
          this.emitJob();
        }
        return;
      case 'resume':
        if (this.job?.state === 'paused') this.resume(now);
        return;
      case 'resumed':
        if (this.job?.state === 'paused') {
          this.job.state = 'printing';
          this.job.held = false;
          this.setState('printing');
          this.emitJob();
        }
        return;
      case 'cancel':
        if (this.job && !this.isTerminal(this.job.state) && this.job.state !== 'cancelling') this.cancelJob(now, 'The printer asked to cancel the print.', 'cancelled');
        return;
      case 'notification':
        this.events.push({ type: 'notification', text: arg });
        return;
      case 'prompt_begin':
      case 'prompt_choice':
      case 'prompt_button':
      case 'prompt_show':
      case 'prompt_end': {
        const change = this.promptBuilder.apply(name, arg);
        if (change !== undefined) this.setPrompt(change);
        return;
      }
      default:
        this.log('info', `The printer sent the host action "${name}${arg ? ' ' + arg : ''}".`);
    }
  }

  // ───────────────────────────── Handshake ─────────────────────────────

  private startSync(now: number): void {
    this.resetLink();
    this.phase = 'syncing';
    this.handshakeTries = 0;
    this.handshakeDeadline = now + 3_000;
    this.lastReceivedAt = now;
    if (this.state !== 'connecting') this.setState('connecting');
    this.outbox.push({ command: 'M110 N0', origin: 'host', marker: 'hs-m110', barrier: true });
    this.nextN = 0;
  }

  private handshakeTimeout(now: number): void {
    this.handshakeTries++;
    if (this.handshakeTries > this.opts.handshakeAttempts) {
      this.handshakeDeadline = null;
      // Bytes that never made a readable line are what a wrong baud rate looks like.
      const msg =
        this.phase !== 'waiting-banner'
          ? 'The printer answered but did not complete the handshake. Check the baud rate and the firmware.'
          : this.bytesDuringHandshake > 0
            ? 'The printer answered, but its replies are unreadable: the baud rate is wrong. Try 115200 or 250000, or "auto".'
            : 'The printer did not answer. Check the cable, that the printer is on, and the baud rate.';
      this.error('handshake-failed', msg, true, this.bytesDuringHandshake > 0 ? `${this.bytesDuringHandshake} unreadable bytes received` : undefined);
      this.phase = 'offline';
      this.setState('error', msg);
      return;
    }
    if (this.phase === 'waiting-banner') {
      // No banner: the board did not reset on open (native USB). Say hello; any `ok` means it listens.
      this.write(encodeLine(''));
      this.write(encodeLine('M110 N0'));
      this.log('sent', 'M110 N0');
      this.handshakeDeadline = now + 2_000;
      return;
    }
    // A handshake line went unanswered: send it again.
    this.window.clear();
    this.resendCursor = null;
    this.resends.serving = null;
    this.nextN = 0;
    this.lastSentN = 0;
    this.history.clear();
    // Start over from M110; its acknowledgement queues M115 again (queuing it here too would identify
    // twice, and the second answer would redo the after-handshake commands in the middle of a job).
    this.outbox.length = 0;
    this.outbox.unshift({ command: 'M110 N0', origin: 'host', marker: 'hs-m110', barrier: true });
    this.phase = 'syncing';
    this.handshakeDeadline = now + 3_000;
  }

  private handshakeDone(now: number): void {
    this.handshakeDeadline = null;
    this.phase = 'ready';
    this.firmware = { name: this.firmwareName, fields: this.firmwareFields, capabilities: this.capabilities };
    this.events.push({ type: 'firmware', firmware: this.firmware });
    if (!this.fellBack) {
      const choice = chooseFlowMode(this.opts.flowControl, this.firmware);
      this.flowMode = choice.mode;
      this.events.push({ type: 'flow', mode: choice.mode, reason: choice.reason });
    }
    this.reportWaitUntil = null;
    const autoreports = autoreportCommands(this.firmware);
    this.autoreportRequested = autoreports.some((c) => commandWord(c) === 'M155');
    for (const c of autoreports) this.outbox.push({ command: c, origin: 'host' });
    for (const c of scriptLines(this.opts.scripts.afterConnect, '')) {
      const v = checkTemperature(c, this.opts.limits);
      if (v) this.error('temperature-limit', `The after-connect script was not run: ${v.message}`, false);
      else this.outbox.push({ command: c, origin: 'host' });
    }
    this.schedulePoll(now);
    this.setState('idle');
  }

  private schedulePoll(now: number): void {
    // Only a firmware that was asked to report temperatures (M155) does so: a capability alone is not enough.
    this.nextPollAt = this.autoreportRequested ? null : now + this.opts.pollIntervalMs;
  }

  // ───────────────────────────── Sending ─────────────────────────────

  private pump(now: number): void {
    if (this.phase === 'offline' || this.phase === 'halted' || this.phase === 'waiting-banner') return;
    this.pumpLines(now);
    this.afterPump(now);
  }

  private pumpLines(now: number): void {
    // A probe makes the firmware flush its receive buffer: anything sent before its answer would be lost.
    if (this.probeOutstanding) return;
    if (this.resendWaitUntil !== null) {
      if (now < this.resendWaitUntil) return;
      this.resendWaitUntil = null;
      this.strayOks.forget();
    }
    for (let guard = 0; guard < 10_000; guard++) {
      if (this.resendCursor !== null) {
        if (this.resendCursor > this.lastSentN) {
          this.resendCursor = null;
          continue;
        }
        const entry = this.history.get(this.resendCursor);
        if (!entry) {
          this.resendCursor = null;
          continue;
        }
        const bytes = entry.framed.length + 1;
        if (!this.canSend(bytes, entry.line.barrier === true)) return;
        this.transmit(entry.framed, { ...entry.line, bytes, sentAt: now }, true);
        this.resendCursor = this.resendCursor + 1 > this.lastSentN ? null : this.resendCursor + 1;
        continue;
      }
      const next = this.nextQueued(now);
      if (!next) return;
      // A numbering reset is written `N0 M110 N0`: Marlin takes the new number from the parameter, other
      // firmwares (Repetier, Smoothieware) from the line's own prefix; with both 0 every firmware agrees.
      if (next.barrier) this.nextN = 0;
      const n = this.nextN;
      const framed = frameLine(n, next.command);
      const bytes = framed.length + 1;
      if (!this.canSend(bytes, next.barrier === true)) {
        this.requeue(next);
        return;
      }
      this.nextN++;
      this.lastSentN = n;
      const line: InFlightLine = {
        n,
        bytes,
        command: next.command,
        origin: next.origin,
        timing: commandTiming(next.command),
        sentAt: now,
      };
      if (next.marker) line.marker = next.marker;
      if (next.barrier) line.barrier = true;
      if (next.job) line.job = next.job;
      this.history.remember(n, framed, rememberable(line));
      this.transmit(framed, line, false);
      this.linesSentTotal++;
      if (next.job && this.job) this.onJobLineSent(next.job, now);
    }
  }

  private afterPump(now: number): void {
    this.checkJobDone();
  }

  private canSend(bytes: number, barrier: boolean): boolean {
    if (barrier && this.window.size > 0) return false;
    if (this.resendHold && this.window.lines.some((l) => l.bytes > 0)) return false;
    return this.window.fits(bytes, this.flowMode);
  }

  private transmit(framed: string, line: InFlightLine, isResend: boolean): void {
    this.stampArrival(line, this.write(encodeLine(framed)));
    this.window.push(line);
    if (this.opts.logTraffic) this.log('sent', isResend ? `${framed} (resend)` : framed);
    this.updateActivityState();
  }

  private pendingJobCommand: JobCommand | null = null;

  private nextQueued(now: number): (QueuedLine & { job?: JobCommand }) | null {
    // Nothing may follow a numbering reset until it is acknowledged.
    if (this.window.lines.some((l) => l.barrier)) return null;
    const head = this.outbox[0];
    if (head) {
      if (head.barrier && this.window.size > 0) return null;
      this.outbox.shift();
      return head;
    }
    const job = this.job;
    if (!job || job.held || !job.synced || job.state !== 'printing') return null;
    const cmd = this.pendingJobCommand ?? job.streamer.next();
    this.pendingJobCommand = null;
    if (!cmd) return null;
    const word = commandWord(cmd.command);
    if (word === 'M110') {
      // Line numbering belongs to the host; a file's own M110 would make every later line out of sequence.
      this.log('info', `Line ${cmd.fileLine} (${cmd.command}) was skipped: Sliceport numbers the lines itself.`);
      this.advanceJobProgress(cmd);
      return this.nextQueued(now);
    }
    if (word === 'M0' || word === 'M1') {
      // The firmware would wait for a button press on its own screen: make it a host pause instead.
      this.log('info', `Line ${cmd.fileLine} (${cmd.command}) pauses the print; press Resume to continue.`);
      this.advanceJobProgress(cmd);
      this.pause(now, `The print file asks for a pause (line ${cmd.fileLine}: ${cmd.command}).`);
      return this.outbox.length ? this.nextQueued(now) : null;
    }
    const v = checkTemperature(cmd.command, this.opts.limits);
    if (v) {
      const msg = `Line ${cmd.fileLine} was refused: ${v.message} The print was stopped.`;
      this.error('temperature-limit', msg, true);
      this.cancelJob(now, msg, 'failed');
      return this.outbox.length ? this.nextQueued(now) : null;
    }
    if (!isAscii(cmd.command) || frameLine(this.nextN, cmd.command).length > MAX_LINE_CHARS) {
      const msg = `Line ${cmd.fileLine} cannot be sent to the printer (too long or not plain ASCII). The print was stopped.`;
      this.error('line-too-long', msg, true);
      this.cancelJob(now, msg, 'failed');
      return this.outbox.length ? this.nextQueued(now) : null;
    }
    return { command: cmd.command, origin: 'job', job: cmd };
  }

  private requeue(line: QueuedLine & { job?: JobCommand }): void {
    if (line.job) this.pendingJobCommand = line.job;
    else this.outbox.unshift(line);
  }

  private sendOutOfBand(cmd: string): void {
    // Acted on by the emergency parser as the bytes arrive; the line still yields an `ok` later, so it
    // takes its place in the acknowledgement queue without a line number.
    const bytes = cmd.length + 1;
    const line: InFlightLine = { n: null, bytes, command: cmd, origin: 'user', timing: 'normal', sentAt: this.now };
    this.stampArrival(line, this.write(encodeLine(cmd)));
    this.window.push(line);
    this.log('sent', cmd);
  }

  private queueScript(lines: string[], doneMarker: string): void {
    const safe: string[] = [];
    for (const l of lines) {
      const v = checkTemperature(l, this.opts.limits);
      if (v) this.error('temperature-limit', `A script line was skipped: ${v.message}`, false);
      else safe.push(l);
    }
    if (safe.length === 0) safe.push('M400');
    safe.forEach((command, i) => {
      const q: QueuedLine = { command, origin: 'host' };
      if (i === safe.length - 1) q.marker = doneMarker;
      this.outbox.push(q);
    });
  }

  private afterNumberingReset(): void {
    this.unconfirmedProbeAnswer = null;
    this.history.clear();
    this.resends.reset();
    this.nextN = 1;
    this.lastSentN = 0;
    this.resendCursor = null;
    this.resends.serving = null;
    this.resendHold = false;
  }

  /**
   * An `ok` that acknowledges nothing. Character counting relies on exactly one `ok` per line: a firmware
   * that sends more would make fast mode overfill its receive buffer, and Marlin runs a line that lost
   * its `N…` prefix there without any check. Unless ADVANCED_OK numbers the `ok`s, go safe.
   */
  private onExtraOk(): void {
    this.log('info', 'Ignored an extra "ok" from the printer.');
    if (this.flowMode !== 'fast' || this.advancedOkSeen || !this.extraOks.note(this.linesSentTotal)) return;
    this.flowMode = 'safe';
    this.fellBack = true;
    const reason = 'Switched to safe mode (one line at a time): the printer sent an "ok" too many, and fast mode counts on exactly one per line.';
    this.log('info', reason);
    this.events.push({ type: 'flow', mode: 'safe', reason });
  }

  /** Queues bytes for the transport; on a link with exact timing, returns when their last byte arrives. */
  private write(data: Uint8Array): number | undefined {
    this.writes.push(data);
    if (this.exactByteMs === null) return undefined;
    const start = Math.max(this.now, this.wireFreeAt);
    this.wireFreeAt = start + data.length * this.exactByteMs;
    return this.wireFreeAt;
  }

  private stampArrival(line: InFlightLine, arrivesAt: number | undefined): void {
    line.epoch = this.writeEpoch;
    if (arrivesAt !== undefined) line.arrivesAt = arrivesAt;
    else delete line.arrivesAt;
  }

  // ───────────────────────────── Timeouts ─────────────────────────────

  private silenceDeadline(): number | null {
    if (this.probeDeadline !== null) return this.probeDeadline;
    const waiting = this.window.size > 0 || this.resendCursor !== null;
    if (!waiting) return null;
    let allowance = silenceAllowance(this.window.lines.map((l) => l.timing), this.keepaliveSeen, this.opts.timeouts);
    // Wait reports come every second: when they stop, the wait is over, and its `ok` should be in.
    if (this.waitReportsSeen()) allowance = Math.min(allowance, this.opts.timeouts.keepaliveMs);
    let deadline = this.silentSince() + allowance;
    const serving = this.resends.serving;
    if (serving) deadline = Math.min(deadline, Math.max(this.lastReceivedAt, serving.honouredAt) + this.opts.resendWatchdogMs);
    return deadline;
  }

  /**
   * Since when the firmware owes an answer and has said nothing. Silence while nothing was owed proves
   * nothing (an idle Marlin that autoreports temperatures sends nothing else), so a line sent after a
   * quiet spell starts the count afresh instead of inheriting the time of the last answer.
   */
  private silentSince(): number {
    let oldestSent = Infinity;
    for (const l of this.window.lines) oldestSent = Math.min(oldestSent, l.sentAt);
    return oldestSent === Infinity ? this.lastReceivedAt : Math.max(this.lastReceivedAt, oldestSent);
  }

  /** Whether the heating wait in flight has shown its `W:` reports. */
  private waitReportsSeen(): boolean {
    if (this.waitReportAt === null) return false;
    const heating = this.window.lines.find((l) => l.timing === 'heating');
    return !!heating && this.waitReportAt >= heating.sentAt;
  }

  private silenceTimeout(now: number): void {
    if (this.probesSent >= this.opts.maxProbes) {
      const msg = 'The printer stopped answering. Check the cable and the printer.';
      this.error('no-answer', msg, true);
      this.haltOnError(msg);
      this.probeDeadline = null;
      return;
    }
    this.noteTrouble('the printer went silent');
    this.sendProbe(now, 'silence');
  }

  /**
   * Asks the firmware where it stands without risking a line: `M105` with a line number that can never
   * be the next one makes Marlin answer "Line Number is not Last Line Number+1", then `Resend: <last+1>`
   * and `ok`, which tells exactly which lines arrived.
   */
  private sendProbe(now: number, why: 'silence' | 'unclear-request' | 'stall'): void {
    const n = this.lastSentN + 2;
    const framed = frameLine(n, 'M105');
    this.write(encodeLine(framed));
    if (why !== 'stall') this.log('info', why === 'silence' ? 'No answer from the printer; asking where it stands.' : 'A garbled resend request arrived; asking the printer where it stands.');
    if (this.opts.logTraffic) this.log('sent', framed);
    this.probeOutstanding = true;
    this.probeReason = why;
    this.probeSentWith = this.window.size;
    this.probesSent++;
    // The answer says anew where to resend from; nothing may go out before it.
    this.resendWaitUntil = null;
    this.resends.serving = null;
    this.resendHold = false;
    this.probeDeadline = now + this.probeWaitMs();
  }

  private probeWaitMs(): number {
    return this.keepaliveSeen ? this.opts.timeouts.keepaliveMs : Math.min(this.opts.timeouts.replyMs, 5_000);
  }

  private noteTrouble(what: string): void {
    if (this.flowMode !== 'fast') return;
    if (this.trouble.note(this.linesSentTotal)) {
      this.flowMode = 'safe';
      this.fellBack = true;
      const reason = `Switched to safe mode (one line at a time): too much trouble on the line (last: ${what}).`;
      this.log('info', reason);
      this.events.push({ type: 'flow', mode: 'safe', reason });
    }
  }

  // ───────────────────────────── Progress ─────────────────────────────

  /** Longer while a command that may legitimately run for minutes without a word is in flight. */
  private stallBound(): number {
    const long = this.window.lines.some((l) => l.timing === 'long');
    return long ? Math.max(this.opts.stallMs, this.opts.timeouts.longCommandMs) : this.opts.stallMs;
  }

  /**
   * The rule that makes a print that never moves impossible, whatever the firmware says: see
   * progress-watchdog.ts.
   */
  private watchProgress(now: number): void {
    const job = this.job;
    if (!job || this.isTerminal(job.state) || !this.progressWatchdog.watching) return;
    const owed = this.window.size > 0 || this.resendCursor !== null || this.probeOutstanding || this.resendWaitUntil !== null;
    const heating = this.window.lines.some((l) => l.timing === 'heating');
    if (job.state === 'paused' || heating || !owed) {
      this.progressWatchdog.progress(now);
      return;
    }
    const since = this.progressWatchdog.stalledSince ?? now;
    const step = this.progressWatchdog.check(now, this.stallBound());
    if (step === 'probe') {
      this.log('info', `No line has been acknowledged for ${Math.round((now - since) / 1000)} s although the printer is connected; asking it where it stands.`);
      this.noteTrouble('no line acknowledged');
      if (!this.probeOutstanding) this.sendProbe(now, 'stall');
    } else if (step === 'give-up') {
      this.stopStalledJob(now, since);
    }
  }

  /**
   * No progress, and no answer that could be verified: stop, say so plainly, leave an interrupted
   * record. The nozzle heater goes off (the head sits on the part); the bed stays warm so the part stays
   * stuck for a resume. Line numbering starts afresh so the terminal works again.
   */
  private stopStalledJob(now: number, since: number): void {
    const job = this.job;
    if (!job) return;
    const seconds = Math.round((now - since) / 1000);
    const where = job.lastAckedLine > 0 ? `line ${job.lastAckedLine} of the file` : 'no line of the file yet';
    const message =
      `The print was stopped: for ${seconds} s the printer accepted no line (last accepted: ${where}) and did not answer a check Sliceport could verify. ` +
      'The nozzle heater was switched off. The printer\'s replies are in the terminal.';
    this.error('print-stalled', message, true);
    this.endJob(job.state === 'cancelling' ? (job.cancelOutcome ?? 'cancelled') : 'interrupted', message);
    this.haltOnError(message, false);
    const tools = [...this.modal.hotendTargets.keys()];
    if (tools.length <= 1) this.sendOutOfBand('M104 S0');
    else for (const tool of tools) this.sendOutOfBand(`M104 T${tool} S0`);
    this.outbox.push({ command: 'M110 N0', origin: 'host', marker: 'link-resync', barrier: true });
    this.pump(now);
  }

  private setPosition(position: Position, now: number): void {
    this.position = position;
    this.positionAt = now;
    this.events.push({ type: 'position', position });
  }

  // ───────────────────────────── Jobs ─────────────────────────────

  private onJobLineSent(cmd: JobCommand, now: number): void {
    const job = this.job!;
    this.modal.apply(cmd.command);
    this.commanded.apply(cmd.command);
    this.advanceJobProgress(cmd);
    if (cmd.layer !== undefined) job.layer = cmd.layer;
    this.maybeEmitProgress(now, false);
  }

  private advanceJobProgress(cmd: JobCommand): void {
    const job = this.job!;
    job.bytesSent = cmd.endOffset;
    job.linesSent = cmd.fileLine;
  }

  private checkJobDone(): void {
    const job = this.job;
    if (!job || job.state !== 'printing' || !job.synced) return;
    if (!job.streamer.exhausted || this.pendingJobCommand) return;
    if (this.resendCursor !== null || this.window.lines.some((l) => l.origin === 'job')) return;
    if (this.outbox.length) return;
    job.bytesSent = Math.max(job.bytesSent, job.info.totalBytes);
    this.endJob('completed');
  }

  private cancelJob(now: number, reason: string, outcome: 'cancelled' | 'failed'): void {
    const job = this.job;
    if (!job) return;
    job.state = 'cancelling';
    job.held = true;
    job.cancelOutcome = outcome;
    job.cancelReason = reason;
    this.pendingJobCommand = null;
    this.outbox.length = 0;
    if (this.pollOutstanding) this.pollOutstanding = false;
    const heatingWait = this.window.lines.some((l) => l.timing === 'heating');
    if (heatingWait) {
      if (this.hasCap(CAP.emergencyParser)) this.sendOutOfBand('M108');
      else this.log('info', 'The printer is waiting for a heater; without an emergency parser the cancel takes effect when the wait ends.');
    }
    this.queueScript(scriptLines(this.opts.scripts.cancel, DEFAULT_CANCEL_SCRIPT), 'cancel-done');
    this.emitJob();
    this.pump(now);
  }

  private endJob(outcome: 'completed' | 'cancelled' | 'failed' | 'interrupted', reason?: string): void {
    const job = this.job;
    if (!job) return;
    job.state = outcome;
    const r = reason;
    this.pendingJobCommand = null;
    this.progressWatchdog.stop();
    this.emitJob(r);
    if (outcome === 'completed' || outcome === 'cancelled') this.setState('idle');
    else if (outcome === 'failed' && this.state !== 'error' && this.phase === 'ready') this.setState('idle');
  }

  private jobProgress(reason?: string): JobProgress {
    const job = this.job!;
    const p: JobProgress = {
      jobId: job.info.jobId,
      gcodeId: job.info.gcodeId,
      fileName: job.info.fileName,
      state: job.state,
      bytesSent: job.bytesSent,
      totalBytes: job.info.totalBytes,
      linesSent: job.linesSent,
      startedAt: job.startedAt,
      elapsedMs: this.now - job.startedAt,
      filamentUsedMm: Math.round(this.modal.filamentUsedMm * 10) / 10,
    };
    if (job.lastAckedLine > 0) p.fileLine = job.lastAckedLine;
    if (job.info.totalLines !== undefined) p.totalLines = job.info.totalLines;
    if (job.info.slicerEstimateSeconds !== undefined) p.slicerEstimateSeconds = job.info.slicerEstimateSeconds;
    if (job.layer !== undefined) p.layer = job.layer;
    if (job.info.layerCount !== undefined) p.layerCount = job.info.layerCount;
    if (reason) p.reason = reason;
    return p;
  }

  /** File line of the last job line the firmware acknowledged. */
  get lastAckedJobLine(): number {
    return this.job?.lastAckedLine ?? 0;
  }

  private emitJob(reason?: string): void {
    if (!this.job) return;
    this.job.lastProgressAt = this.now;
    this.events.push({ type: 'job', job: this.jobProgress(reason) });
  }

  private maybeEmitProgress(now: number, force: boolean): void {
    const job = this.job;
    if (!job || this.isTerminal(job.state)) return;
    if (force || now >= job.lastProgressAt + this.opts.progressIntervalMs) this.emitJob();
  }

  private isTerminal(s: JobState): boolean {
    return s === 'completed' || s === 'cancelled' || s === 'failed' || s === 'interrupted';
  }

  // ───────────────────────────── State and events ─────────────────────────────

  private updateActivityState(): void {
    if (this.phase !== 'ready' || this.state === 'error') return;
    if (this.job && !this.isTerminal(this.job.state)) return;
    const heating = this.window.lines.some((l) => l.timing === 'heating');
    this.setState(heating ? 'heating' : 'idle');
  }

  private setState(state: ConnectionState, reason?: string): void {
    if (this.state === state && this.stateReason === reason) return;
    this.state = state;
    this.stateReason = reason;
    const e: PrinterEvent = reason !== undefined ? { type: 'state', state, reason } : { type: 'state', state };
    this.events.push(e);
  }

  private setTemperatures(readings: TemperatureReading[]): void {
    this.temperatures = readings;
    this.events.push({ type: 'temperatures', at: this.now, readings });
  }

  private setPrompt(p: HostPrompt | null): void {
    this.prompt = p;
    this.events.push({ type: 'prompt', prompt: p });
  }

  private error(code: string, message: string, fatal: boolean, detail?: string): void {
    const error: PrinterError = detail !== undefined ? { code, message, fatal, detail } : { code, message, fatal };
    this.events.push({ type: 'error', error });
    this.log('error', message);
  }

  private log(direction: LogDirection, text: string): void {
    this.logBuffer.push({ at: this.now, direction, text });
  }

  private hasCap(name: string): boolean {
    return this.capabilities[name] === true || hasCap(this.firmware, name);
  }

  private resetLink(): void {
    this.outbox.length = 0;
    this.window.clear();
    this.window.slots.reset();
    this.history.clear();
    this.resends.reset();
    this.resendCursor = null;
    this.resends.serving = null;
    this.resendHold = false;
    this.strayOks.forget();
    this.resendWaitUntil = null;
    this.probeOutstanding = false;
    this.probesSent = 0;
    this.probeDeadline = null;
    this.pollOutstanding = false;
    this.nextPollAt = null;
    this.pendingJobCommand = null;
    this.nextN = 1;
    this.lastSentN = 0;
    this.rxCarry = '';
    this.handshakeDeadline = null;
    this.reportWaitUntil = null;
    this.unconfirmedProbeAnswer = null;
  }
}

function fail(code: string, message: string): Outcome {
  return { ok: false, error: { code, message, fatal: false } };
}

/** What the resend history keeps of a line: everything but its send-time accounting. */
function rememberable(line: InFlightLine): RememberedLine {
  const { sentAt, bytes, epoch, arrivesAt, ...rest } = line;
  void sentAt;
  void bytes;
  void epoch;
  void arrivesAt;
  return rest;
}
