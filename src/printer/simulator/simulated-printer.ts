// A Marlin-like firmware as a SerialEndpoint: pure and deterministic. Time comes only from the arguments,
// randomness only from the seed. It models the receive buffer, the line rules, the command queue, the
// motion planner's timing, the heaters, keepalives, autoreports, the emergency parser, host actions and
// prompts, and injected faults, and it keeps a log of every command it executed: the ground truth that
// host tests compare against.

import { ByteFaults } from '../wire/byte-faults.js';
import { SeededRandom } from '../wire/seeded-random.js';
import type { SerialEndpoint } from '../wire/serial-endpoint.js';
import { parseCommandWords, type CommandWords } from './command-words.js';
import { EmergencyParser, type EmergencyCommand } from './emergency-parser.js';
import { firmwareDialect, type FirmwareDialect } from './firmware-dialect.js';
import { bootBanner, capabilityLines, heaterStates, positionReport, type AxisPosition } from './firmware-replies.js';
import { HeaterModel } from './heater-model.js';
import { MotionPlanner, type UnderrunEvent } from './motion-planner.js';
import { SerialLineReader } from './serial-line-reader.js';
import {
  resolveSimulatorOptions,
  type ResolvedSimulatorOptions,
  type ScheduledFault,
  type SimulatorOptions,
} from './simulator-options.js';

export type FirmwareState = 'booting' | 'ready' | 'halted';

export interface ExecutedCommand {
  /** The line number it carried, or null for an unnumbered line. */
  line: number | null;
  /** The command as the firmware's parser saw it: no `N` prefix, no checksum, trimmed. */
  command: string;
  /** When processing began (parsing included). */
  startedAt: number;
  /** When it completed: its `ok` went out (for a move: when the move entered the planner). */
  at: number;
  /** `emergency`: acted on by the emergency parser as the bytes arrived (the same line also runs from the queue). */
  via: 'queue' | 'emergency';
  /** The firmware did not know it (`Unknown command:`). */
  unknown?: boolean;
}

export interface SimulatorCounters {
  linesAccepted: number;
  commandsExecuted: number;
  resendsRequested: number;
  duplicatesIgnored: number;
  /** Bytes lost because the receive buffer was full. */
  rxOverflowBytes: number;
  /** Bytes thrown away from the receive buffer after a rejected line. */
  rxFlushedBytes: number;
  /** Bytes that arrived while booting or halted. */
  rxIgnoredBytes: number;
  rxBytesCorrupted: number;
  rxBytesDropped: number;
  txBytesCorrupted: number;
  txBytesDropped: number;
  oksSent: number;
  oksOmittedAfterResend: number;
  oksDuplicated: number;
  keepalivesSent: number;
  resets: number;
  stalls: number;
}

interface QueuedCommand {
  line: number | null;
  text: string;
  words: CommandWords;
}

type Step =
  | { kind: 'stall'; ms: number; silent: boolean }
  | { kind: 'plannerSlot' }
  | { kind: 'plannerEmpty' }
  | { kind: 'delay'; ms: number }
  | { kind: 'heat'; heater: 'hotend' | 'bed'; allowCooling: boolean }
  | { kind: 'user'; timeoutMs: number | null }
  | { kind: 'run'; run: (now: number) => void };

interface ActiveCommand {
  cmd: QueuedCommand;
  receivedAt: number;
  readyAt: number;
  steps: Step[] | null;
  stepUntil: number | null;
  nextKeepaliveAt: number;
  nextReportAt: number;
  residencyStartedAt: number | null;
  replyOk: boolean;
  unknown: boolean;
}

const HEAT_CHECK_MS = 100;
const LOCKED_UP_GUARD = 10_000;
const encoder = new TextEncoder();
/** Encoded replies that recur all the time (ok, keepalives). */
const encodedCache = new Map<string, Uint8Array>();

function encodeLine(line: string): Uint8Array {
  const cached = encodedCache.get(line);
  if (cached) return cached;
  const bytes = encoder.encode(`${line}\n`);
  if (line.length <= 24 && !/\d/.test(line)) encodedCache.set(line, bytes);
  return bytes;
}

// Commands Marlin accepts that change nothing a host can observe here.
const ACCEPTED_M = new Set([
  17, 18, 73, 75, 76, 77, 78, 84, 92, 106, 107, 111, 117, 149, 201, 203, 204, 205, 206, 207, 208, 209, 211, 218,
  221, 280, 290, 300, 302, 355, 380, 381, 412, 413, 420, 500, 501, 502, 503, 504, 851, 900, 907,
]);
const ACCEPTED_G = new Set([10, 11, 17, 18, 19, 20, 21, 29.1, 80, 53, 54]);

export class SimulatedPrinter implements SerialEndpoint {
  readonly options: ResolvedSimulatorOptions;
  readonly counters: SimulatorCounters = {
    linesAccepted: 0,
    commandsExecuted: 0,
    resendsRequested: 0,
    duplicatesIgnored: 0,
    rxOverflowBytes: 0,
    rxFlushedBytes: 0,
    rxIgnoredBytes: 0,
    rxBytesCorrupted: 0,
    rxBytesDropped: 0,
    txBytesCorrupted: 0,
    txBytesDropped: 0,
    oksSent: 0,
    oksOmittedAfterResend: 0,
    oksDuplicated: 0,
    keepalivesSent: 0,
    resets: 0,
    stalls: 0,
  };
  /** Every command executed, in order. Trimmed to `executionLogLimit` entries (oldest first out). */
  readonly executionLog: ExecutedCommand[] = [];
  executionLogLimit = Number.POSITIVE_INFINITY;
  /** Answers to host prompts (M876 S<n>) with the time they arrived. */
  readonly promptResponses: Array<{ at: number; index: number }> = [];
  /** Texts shown with M117 (the LCD status line). */
  readonly statusMessages: string[] = [];

  private stateNow: FirmwareState = 'booting';
  private clock: number;
  private bootEndsAt: number;
  private readonly reader: SerialLineReader;
  private readonly emergency = new EmergencyParser();
  private readonly planner: MotionPlanner;
  private readonly hotend: HeaterModel;
  private readonly bed: HeaterModel;
  private readonly queue: QueuedCommand[] = [];
  private active: ActiveCommand | null = null;
  private output: Uint8Array[] = [];
  private readonly rxNoise: ByteFaults;
  private readonly txNoise: ByteFaults;
  private readonly faultRandom: SeededRandom;
  private readonly lineNumberRandom: SeededRandom;
  private readonly resetRandom: SeededRandom;
  private readonly dialect: FirmwareDialect;
  /** Out-of-sequence lines still to be answered with `skip` after a resend request (Repetier). */
  private skipsLeft = 0;
  /** The line asked for and not yet received, and when bytes last arrived (Repetier repeats the request). */
  private awaitingResend: number | null = null;
  private lastRxAt = 0;
  private readonly scheduled: ScheduledFault[];
  private nextScheduled = 0;
  private nextRandomResetAt = Number.POSITIVE_INFINITY;
  private stalledUntil = Number.NEGATIVE_INFINITY;
  private stallSilent = false;
  private stallNextKeepaliveAt = 0;
  private position: AxisPosition = { x: 0, y: 0, z: 0, e: 0 };
  private relativeMoves = false;
  private relativeExtrusion = false;
  private feedrateMmMin = 1500;
  private feedPercent = 100;
  private keepaliveMs: number;
  private tempReportMs = 0;
  private nextTempReportAt = Number.POSITIVE_INFINITY;
  private posReportMs = 0;
  private nextPosReportAt = Number.POSITIVE_INFINITY;
  private nextIdleWaitAt = Number.POSITIVE_INFINITY;
  private userContinue = false;
  private breakWait = false;
  private prompt: { text: string; buttons: string[] } | null = null;

  constructor(options: SimulatorOptions = {}, startAt = 0) {
    this.options = resolveSimulatorOptions(options);
    const o = this.options;
    this.clock = startAt;
    this.bootEndsAt = startAt + o.bootMs;
    this.reader = new SerialLineReader(o.rxBufferSize, o.maxCommandSize, o.dropRecentDuplicates, o.m110FromPrefix);
    this.dialect = firmwareDialect(o.dialect);
    this.planner = new MotionPlanner(o.plannerSlots, () => !this.moveWaiting());
    this.hotend = new HeaterModel(o.thermal.hotend, o.thermal.ambientC, startAt);
    this.bed = new HeaterModel(o.thermal.bed, o.thermal.ambientC, startAt);
    this.keepaliveMs = o.keepaliveIntervalS * 1000;
    this.rxNoise = new ByteFaults({ seed: o.seed, ...o.faults.rx }, 'rx');
    this.txNoise = new ByteFaults({ seed: o.seed, ...o.faults.tx }, 'tx');
    this.faultRandom = SeededRandom.derive(o.seed, 'faults');
    this.lineNumberRandom = SeededRandom.derive(o.seed, 'line-number-faults');
    this.resetRandom = SeededRandom.derive(o.seed, 'resets');
    this.scheduled = [...(o.faults.events ?? [])].sort((a, b) => a.at - b.at);
    this.scheduleRandomReset(startAt);
  }

  // ── SerialEndpoint ────────────────────────────────────────────────────────────────────────────

  receive(bytes: Uint8Array, now: number): void {
    this.advance(now);
    const t = this.clock;
    if (this.stateNow !== 'ready') {
      this.counters.rxIgnoredBytes += bytes.length;
      return;
    }
    this.lastRxAt = t;
    const noisy = this.rxNoise.apply(bytes);
    this.counters.rxBytesCorrupted = this.rxNoise.counters.corrupted;
    this.counters.rxBytesDropped = this.rxNoise.counters.dropped;
    const capacity = this.options.rxBufferSize;
    for (let i = 0; i < noisy.length; i++) {
      const byte = noisy[i];
      if (this.options.emergencyParser) {
        const command = this.emergency.feed(byte);
        if (command) {
          this.onEmergency(command, t);
          if (this.stateNow !== 'ready') return;
        }
      }
      // While the firmware is free its main loop drains the buffer as bytes arrive; draining at line ends
      // and before the buffer fills is equivalent and much cheaper.
      if (this.reader.buffered >= capacity) this.runLoop(t);
      if (!this.reader.push(byte)) this.counters.rxOverflowBytes++;
      if (byte === 10 || byte === 13) this.runLoop(t);
    }
    this.runLoop(t);
  }

  tick(now: number): void {
    this.advance(now);
  }

  takeWrites(): Uint8Array[] {
    const writes = this.output;
    this.output = [];
    return writes;
  }

  nextWakeAt(): number | null {
    let next = Math.min(this.scheduled[this.nextScheduled]?.at ?? Infinity, this.nextRandomResetAt);
    if (this.stateNow === 'booting') next = Math.min(next, this.bootEndsAt);
    if (this.stateNow !== 'ready') return Number.isFinite(next) ? next : null;
    next = Math.min(next, this.planner.nextFinishAt ?? Infinity);
    const rerequest = this.dialect.rerequestAfterMs;
    if (this.awaitingResend !== null && rerequest !== undefined) next = Math.min(next, this.lastRxAt + rerequest);
    const stalled = this.stalledUntil > this.clock;
    if (stalled) {
      next = Math.min(next, this.stalledUntil);
      if (!this.stallSilent && this.keepaliveMs > 0) next = Math.min(next, this.stallNextKeepaliveAt);
    }
    if (!(stalled && this.stallSilent)) {
      next = Math.min(next, this.nextTempReportAt, this.nextPosReportAt, this.nextIdleWaitAt);
    }
    const active = this.active;
    if (active && !stalled) {
      if (active.readyAt > this.clock) next = Math.min(next, active.readyAt);
      else if (active.steps) {
        const step = active.steps[0];
        if (step) {
          if ((step.kind === 'delay' || step.kind === 'stall') && active.stepUntil !== null) {
            next = Math.min(next, active.stepUntil);
          } else if (step.kind === 'heat') {
            next = Math.min(next, this.clock + HEAT_CHECK_MS, active.nextReportAt);
          } else if (step.kind === 'user' && active.stepUntil !== null) {
            next = Math.min(next, active.stepUntil);
          }
          if (this.keepaliveFor(step) !== null) next = Math.min(next, active.nextKeepaliveAt);
        }
      }
    }
    return Number.isFinite(next) ? next : null;
  }

  // ── Controls for tests and the app ───────────────────────────────────────────────────────────

  get state(): FirmwareState {
    return this.stateNow;
  }

  /** Reset as when the port opens (DTR) or the board browns out: everything queued is lost. */
  reset(now: number): void {
    this.advance(now);
    this.doReset(this.clock);
  }

  /** The LCD button: ends an M0/M1 wait. */
  pressButton(now: number): void {
    this.advance(now);
    this.userContinue = true;
    this.runLoop(this.clock);
  }

  /** Sends `//action:<text>` (e.g. `pause`, `cancel`, `notification Filament runout`). */
  sendHostAction(text: string, now: number): void {
    this.advance(now);
    if (this.stateNow !== 'ready' || !this.options.hostActionCommands) return;
    this.emit(`//action:${text}`);
  }

  /** Shows a host prompt; the answer (M876 S<index>) lands in `promptResponses`. */
  showPrompt(text: string, buttons: string[], now: number): void {
    this.advance(now);
    if (this.stateNow !== 'ready' || !this.options.promptSupport) return;
    this.startPrompt(text, buttons);
  }

  /** A fault right now, as if scheduled. */
  inject(kind: ScheduledFault['kind'], now: number, durationMs?: number): void {
    this.advance(now);
    this.applyFault({ at: this.clock, kind, durationMs }, this.clock);
    this.runLoop(this.clock);
  }

  get lastLineNumber(): number {
    return this.reader.lastLine;
  }

  get currentPosition(): AxisPosition {
    return { ...this.position };
  }

  temperatures(now: number): { hotend: number; hotendTarget: number; bed: number; bedTarget: number } {
    this.advance(now);
    return {
      hotend: this.hotend.temperature,
      hotendTarget: this.hotend.target,
      bed: this.bed.temperature,
      bedTarget: this.bed.target,
    };
  }

  get plannedMoves(): number {
    return this.planner.planned;
  }

  get queuedCommands(): number {
    return this.queue.length;
  }

  get rxBuffered(): number {
    return this.reader.buffered;
  }

  get underruns(): readonly UnderrunEvent[] {
    return this.planner.underruns;
  }

  get movesExecuted(): number {
    return this.planner.movesExecuted;
  }

  /** Time the head spent moving up to `now`. */
  movingMs(now: number): number {
    return this.planner.movingMsAt(now);
  }

  get currentPrompt(): { text: string; buttons: string[] } | null {
    return this.prompt;
  }

  // ── Time ──────────────────────────────────────────────────────────────────────────────────────

  private advance(now: number): void {
    let sameTime = 0;
    for (;;) {
      const due = this.nextWakeAt();
      if (due === null || due > now) break;
      // Time must move on: the same instant coming back again and again means an event never clears.
      sameTime = due <= this.clock ? sameTime + 1 : 0;
      if (sameTime > LOCKED_UP_GUARD) {
        throw new Error(`Simulated firmware locked up at ${this.clock} ms: an event at ${due} ms never clears`);
      }
      this.serviceAt(Math.max(due, this.clock));
    }
    if (now > this.clock) this.serviceAt(now);
  }

  private serviceAt(t: number): void {
    this.clock = Math.max(this.clock, t);
    t = this.clock;
    this.hotend.advanceTo(t);
    this.bed.advanceTo(t);
    while (this.nextScheduled < this.scheduled.length && this.scheduled[this.nextScheduled].at <= t) {
      this.applyFault(this.scheduled[this.nextScheduled++], t);
    }
    if (this.nextRandomResetAt <= t) this.doReset(t);
    if (this.stateNow === 'booting') {
      if (t < this.bootEndsAt) return;
      this.finishBoot(t);
    }
    if (this.stateNow !== 'ready') return;
    this.planner.advanceTo(t);
    const rerequest = this.dialect.rerequestAfterMs;
    if (this.awaitingResend !== null && rerequest !== undefined && t >= this.lastRxAt + rerequest) this.repeatResendRequest(this.awaitingResend, t);
    const stalled = this.stalledUntil > t;
    if (stalled && !this.stallSilent && this.keepaliveMs > 0 && t >= this.stallNextKeepaliveAt) {
      this.keepalive('processing');
      this.stallNextKeepaliveAt = t + this.keepaliveMs;
    }
    // Run first: a command that ends at the keepalive instant needs no keepalive.
    if (!stalled) this.runLoop(t);
    if (!(stalled && this.stallSilent)) this.periodicReports(t);
  }

  private periodicReports(t: number): void {
    if (t >= this.nextTempReportAt) {
      this.emit(heaterStates(this.hotend, this.bed));
      this.nextTempReportAt = t + this.tempReportMs;
    }
    if (t >= this.nextPosReportAt) {
      this.emit(positionReport(this.position));
      this.nextPosReportAt = t + this.posReportMs;
    }
    const active = this.active;
    if (active?.steps && active.readyAt <= t) {
      const step = active.steps[0];
      const kind = step ? this.keepaliveFor(step) : null;
      if (kind && t >= active.nextKeepaliveAt) {
        this.keepalive(kind);
        active.nextKeepaliveAt = t + this.keepaliveMs;
      }
    }
    if (t >= this.nextIdleWaitAt) {
      this.emit('wait');
      this.nextIdleWaitAt = t + (this.options.idleWaitIntervalMs ?? Infinity);
    }
  }

  private keepaliveFor(step: Step): 'processing' | 'paused for user' | null {
    if (this.keepaliveMs <= 0) return null;
    if (step.kind === 'run') return null;
    if (step.kind === 'heat') return this.options.keepaliveDuringHeating ? 'processing' : null;
    if (step.kind === 'stall') return step.silent ? null : 'processing';
    return step.kind === 'user' ? 'paused for user' : 'processing';
  }

  private keepalive(kind: string): void {
    this.emit(`echo:busy: ${kind}`);
    this.counters.keepalivesSent++;
  }

  // ── The main loop: read lines into the queue, run the head command ──────────────────────────

  private runLoop(t: number): void {
    if (this.stateNow !== 'ready' || this.stalledUntil > t) return;
    for (;;) {
      const active = this.active;
      if (active) {
        if (t < active.readyAt) return;
        if (!this.progress(active, t)) return;
        if (this.stateNow !== 'ready') return;
        continue;
      }
      this.readCommands();
      const next = this.queue[0];
      if (!next) {
        this.markIdle(t);
        return;
      }
      this.nextIdleWaitAt = Infinity;
      this.active = {
        cmd: next,
        receivedAt: t,
        readyAt: t + this.options.commandTimeMs,
        steps: null,
        stepUntil: null,
        nextKeepaliveAt: Infinity,
        nextReportAt: Infinity,
        residencyStartedAt: null,
        replyOk: true,
        unknown: false,
      };
    }
  }

  /** Nothing came since the request: ask again (the request or its `ok` may have been lost). */
  private repeatResendRequest(line: number, t: number): void {
    this.lastRxAt = t;
    this.counters.rxFlushedBytes += this.reader.flush();
    for (const text of this.dialect.resendRequest(line, 'checksum')) this.emit(text);
    this.counters.resendsRequested++;
    this.skipsLeft = this.dialect.skipsWhileAwaitingResend ?? 0;
    this.sendOk('ok');
  }

  private markIdle(t: number): void {
    if (this.options.idleWaitIntervalMs !== null && this.nextIdleWaitAt === Infinity) {
      this.nextIdleWaitAt = t + this.options.idleWaitIntervalMs;
    }
  }

  private readCommands(): void {
    const spurious = this.options.faults.spuriousResendRate ?? 0;
    const outOfSequence = this.options.faults.spuriousLineNumberRate ?? 0;
    while (this.queue.length < this.options.bufsize) {
      const verdict = this.reader.readLine(this.faultRandom.chance(spurious), this.lineNumberRandom.chance(outOfSequence));
      if (!verdict) return;
      if (verdict.kind === 'duplicate') {
        this.counters.duplicatesIgnored++;
        continue;
      }
      if (verdict.kind === 'rejected') {
        if (verdict.reason === 'line-number' && this.skipsLeft > 0) {
          this.skipsLeft--;
          this.emit(`skip ${verdict.got}`);
          this.sendOk('ok');
          continue;
        }
        this.skipsLeft = this.dialect.skipsWhileAwaitingResend ?? 0;
        this.awaitingResend = verdict.lastLine + 1;
        const error = this.dialect.lineError(verdict.reason, verdict.lastLine, verdict.got);
        if (error !== null) this.emit(error);
        this.counters.rxFlushedBytes += this.reader.flush();
        for (const line of this.dialect.resendRequest(verdict.lastLine + 1, verdict.reason)) this.emit(line);
        this.counters.resendsRequested++;
        const omitOk =
          !this.options.okAfterResend || this.faultRandom.chance(this.options.faults.missingOkAfterResendRate ?? 0);
        if (omitOk) this.counters.oksOmittedAfterResend++;
        else this.sendOk('ok');
        return;
      }
      this.counters.linesAccepted++;
      this.skipsLeft = 0;
      this.awaitingResend = null;
      this.queue.push({ line: verdict.line, text: verdict.text, words: parseCommandWords(verdict.text) });
    }
  }

  /** Runs the active command as far as it can go; true when it finished. */
  private progress(active: ActiveCommand, t: number): boolean {
    if (!active.steps) {
      active.steps = this.planCommand(active, t);
      active.nextKeepaliveAt = t + this.keepaliveMs;
      const rates = this.options.faults;
      if (this.faultRandom.chance(rates.busyStallRate ?? 0)) {
        active.steps.unshift({ kind: 'stall', ms: rates.busyStallMs ?? 5000, silent: false });
        this.counters.stalls++;
      } else if (this.faultRandom.chance(rates.silentStallRate ?? 0)) {
        active.steps.unshift({ kind: 'stall', ms: rates.silentStallMs ?? 20_000, silent: true });
        this.counters.stalls++;
      }
    }
    const steps = active.steps;
    while (steps.length > 0) {
      const step = steps[0];
      switch (step.kind) {
        case 'stall':
        case 'delay':
          if (active.stepUntil === null) active.stepUntil = t + step.ms;
          if (t < active.stepUntil) return false;
          active.stepUntil = null;
          this.planner.forgiveStarvation();
          break;
        case 'plannerSlot':
          if (this.planner.free <= 0) return false;
          break;
        case 'plannerEmpty':
          if (!this.planner.isEmpty) return false;
          this.planner.forgiveStarvation();
          break;
        case 'heat':
          if (!this.heatingDone(active, step, t)) return false;
          this.planner.forgiveStarvation();
          break;
        case 'user':
          if (active.stepUntil === null && step.timeoutMs !== null) active.stepUntil = t + step.timeoutMs;
          if (!this.userContinue && !this.breakWait && (active.stepUntil === null || t < active.stepUntil)) return false;
          active.stepUntil = null;
          this.userContinue = false;
          this.planner.forgiveStarvation();
          if (this.prompt) this.endPrompt();
          break;
        case 'run':
          step.run(t);
          if (this.stateNow !== 'ready') {
            // Killed by this very command (M112 from the queue): it ran, nothing after it will.
            this.log(active.cmd.line, active.cmd.text, active.receivedAt, t, 'queue');
            return true;
          }
          break;
      }
      steps.shift();
    }
    this.breakWait = false;
    if (active.replyOk) this.sendOk(this.okText(active.cmd));
    this.log(active.cmd.line, active.cmd.text, active.receivedAt, t, 'queue', active.unknown);
    this.queue.shift();
    this.active = null;
    return true;
  }

  private heatingDone(active: ActiveCommand, step: Extract<Step, { kind: 'heat' }>, t: number): boolean {
    const heater = step.heater === 'hotend' ? this.hotend : this.bed;
    const thermal = this.options.thermal;
    if (this.breakWait) return true;
    if (heater.target <= 0) return true;
    if (!step.allowCooling && heater.temperature >= heater.target) return true;
    const off = Math.abs(heater.temperature - heater.target);
    if (active.residencyStartedAt === null) {
      if (off <= thermal.windowC) active.residencyStartedAt = t;
    } else if (off > thermal.hysteresisC) {
      active.residencyStartedAt = null;
    }
    if (active.residencyStartedAt !== null && t - active.residencyStartedAt >= thermal.residencyMs) return true;
    if (active.nextReportAt === Infinity) active.nextReportAt = t;
    if (t >= active.nextReportAt) {
      const remaining =
        active.residencyStartedAt === null
          ? '?'
          : String(Math.max(0, Math.ceil((thermal.residencyMs - (t - active.residencyStartedAt)) / 1000)));
      this.emit(`${heaterStates(this.hotend, this.bed)} W:${remaining}`);
      active.nextReportAt = t + thermal.waitReportMs;
    }
    return false;
  }

  private okText(cmd: QueuedCommand): string {
    if (!this.options.advancedOk) return 'ok';
    const line = cmd.line === null ? '' : ` N${cmd.line}`;
    return `ok${line} P${this.planner.free} B${this.options.bufsize - this.queue.length}`;
  }

  private sendOk(text: string): void {
    this.emit(text);
    this.counters.oksSent++;
    if (this.faultRandom.chance(this.options.faults.duplicateOkRate ?? 0)) {
      this.emit(text);
      this.counters.oksDuplicated++;
    }
  }

  private log(line: number | null, command: string, startedAt: number, at: number, via: ExecutedCommand['via'], unknown = false): void {
    const entry: ExecutedCommand = { line, command, startedAt, at, via };
    if (unknown) entry.unknown = true;
    this.executionLog.push(entry);
    this.counters.commandsExecuted++;
    if (this.executionLog.length > this.executionLogLimit) {
      this.executionLog.splice(0, this.executionLog.length - Math.floor(this.executionLogLimit / 2));
    }
  }

  // ── Commands ─────────────────────────────────────────────────────────────────────────────────

  private planCommand(active: ActiveCommand, t: number): Step[] {
    const { words } = active.cmd;
    const run = (fn: (now: number) => void): Step => ({ kind: 'run', run: fn });
    const num = (key: string): number | undefined => words.params.get(key);
    if (words.letter === 'G') {
      switch (words.code) {
        case 0:
        case 1:
        case 2:
        case 3:
          return [{ kind: 'plannerSlot' }, run((now) => this.planMove(words, active.cmd.line, now))];
        case 4: {
          const ms = (num('P') ?? 0) + (num('S') ?? 0) * 1000;
          return [{ kind: 'plannerEmpty' }, { kind: 'delay', ms }];
        }
        case 28:
          return [{ kind: 'plannerEmpty' }, { kind: 'delay', ms: this.options.homingMs }, run(() => this.home(words))];
        case 29:
          return [{ kind: 'plannerEmpty' }, { kind: 'delay', ms: this.options.probingMs }];
        case 90:
          this.relativeMoves = false;
          this.relativeExtrusion = false;
          return [];
        case 91:
          this.relativeMoves = true;
          this.relativeExtrusion = true;
          return [];
        case 92:
          return [run(() => this.setPosition(words))];
        default:
          if (ACCEPTED_G.has(words.code)) return [];
      }
    } else if (words.letter === 'M') {
      switch (words.code) {
        case 0:
        case 1: {
          const timeout = num('P') ?? (num('S') !== undefined ? (num('S') ?? 0) * 1000 : undefined);
          const steps: Step[] = [{ kind: 'plannerEmpty' }];
          if (this.options.promptSupport && this.options.hostActionCommands) {
            steps.push(run(() => this.startPrompt(words.rest.trim() || `M${words.code} Stop`, ['Continue'])));
          }
          this.userContinue = false;
          steps.push({ kind: 'user', timeoutMs: timeout ?? null });
          return steps;
        }
        case 82:
          this.relativeExtrusion = false;
          return [];
        case 83:
          this.relativeExtrusion = true;
          return [];
        case 104:
        case 140: {
          const target = num('S') ?? num('R');
          if (target !== undefined) (words.code === 104 ? this.hotend : this.bed).setTarget(target);
          return [];
        }
        case 109:
        case 190: {
          const target = num('S') ?? num('R');
          const heater = words.code === 109 ? 'hotend' : 'bed';
          if (target !== undefined) (heater === 'hotend' ? this.hotend : this.bed).setTarget(target);
          return [{ kind: 'heat', heater, allowCooling: words.params.has('R') }];
        }
        case 105:
          active.replyOk = false;
          return [run(() => this.emit(`ok${heaterStates(this.hotend, this.bed)}`))];
        case 108:
        case 410:
        case 876:
          if (this.options.emergencyParser) return [];
          if (words.code === 410) return [run(() => this.planner.clear())];
          if (words.code === 876) return [run((now) => this.promptAnswer(num('S') ?? 0, now))];
          return [];
        case 110:
          return [run(() => {
            // Repetier and Smoothieware take the new number from the line's own prefix.
            const n = this.options.m110FromPrefix && active.cmd.line !== null ? active.cmd.line : num('N');
            if (n !== undefined) this.reader.lastLine = n;
          })];
        case 112:
          return [run(() => this.kill())];
        case 113: {
          const seconds = num('S');
          if (seconds !== undefined) this.keepaliveMs = Math.max(0, Math.min(60, seconds)) * 1000;
          return [];
        }
        case 114:
          if (this.options.positionInOk) {
            active.replyOk = false;
            return [
              run(() => {
                const p = this.position;
                this.emit(`ok C: X:${p.x.toFixed(4)} Y:${p.y.toFixed(4)} Z:${p.z.toFixed(4)} E:${p.e.toFixed(4)}`);
              }),
            ];
          }
          return [run(() => this.emit(positionReport(this.position)))];
        case 115:
          if (this.options.okBeforeReport) {
            active.replyOk = false;
            return [run(() => this.sendOk(this.okText(active.cmd))), { kind: 'delay', ms: 30 }, run(() => this.reportFirmware())];
          }
          return [run(() => this.reportFirmware())];
        case 117:
          this.statusMessages.push(words.rest.trim());
          return [];
        case 118:
          return [run(() => this.echo(words))];
        case 154:
        case 155: {
          const enabled = words.code === 155 ? this.options.autoreportTemp : this.options.autoreportPos;
          if (!enabled) return this.unknown(active);
          const ms = Math.max(0, Math.min(60, num('S') ?? 0)) * 1000;
          if (words.code === 155) {
            this.tempReportMs = ms;
            this.nextTempReportAt = ms > 0 ? t + ms : Infinity;
          } else {
            this.posReportMs = ms;
            this.nextPosReportAt = ms > 0 ? t + ms : Infinity;
          }
          return [];
        }
        case 220:
          if (num('S') !== undefined) this.feedPercent = Math.max(10, Math.min(999, num('S') ?? 100));
          return [];
        case 400:
          return [{ kind: 'plannerEmpty' }];
        case 524:
        case 999:
          return [];
        default:
          if (ACCEPTED_M.has(words.code)) return [];
      }
    } else if (words.letter === 'T') {
      return [];
    }
    return this.unknown(active);
  }

  private unknown(active: ActiveCommand): Step[] {
    active.unknown = true;
    const text = active.cmd.text;
    return [{ kind: 'run', run: () => this.emit(`echo:Unknown command: "${text}"`) }];
  }

  private planMove(words: CommandWords, line: number | null, now: number): void {
    const p = words.params;
    const f = p.get('F');
    if (f !== undefined && f > 0) this.feedrateMmMin = f;
    const from = this.position;
    const axis = (key: 'X' | 'Y' | 'Z' | 'E', current: number, relative: boolean): number => {
      const value = p.get(key);
      if (value === undefined) return current;
      return relative ? current + value : value;
    };
    const to: AxisPosition = {
      x: axis('X', from.x, this.relativeMoves),
      y: axis('Y', from.y, this.relativeMoves),
      z: axis('Z', from.z, this.relativeMoves),
      e: axis('E', from.e, this.relativeExtrusion),
    };
    let travel = Math.hypot(to.x - from.x, to.y - from.y, to.z - from.z);
    if ((words.code === 2 || words.code === 3) && (p.has('I') || p.has('J'))) {
      travel = arcLength(from, to, p.get('I') ?? 0, p.get('J') ?? 0, words.code === 2);
    }
    const length = travel > 0 ? travel : Math.abs(to.e - from.e);
    this.position = to;
    if (length <= 0) return;
    const speedMmPerMs = (this.feedrateMmMin / 60_000) * (this.feedPercent / 100);
    this.planner.push({ durationMs: length / speedMmPerMs, line }, now);
  }

  private home(words: CommandWords): void {
    const all = !words.flags.has('X') && !words.flags.has('Y') && !words.flags.has('Z') && words.params.size === 0;
    if (all || words.flags.has('X') || words.params.has('X')) this.position.x = 0;
    if (all || words.flags.has('Y') || words.params.has('Y')) this.position.y = 0;
    if (all || words.flags.has('Z') || words.params.has('Z')) this.position.z = 0;
  }

  private setPosition(words: CommandWords): void {
    const p = words.params;
    if (p.size === 0) {
      this.position = { x: 0, y: 0, z: 0, e: 0 };
      return;
    }
    if (p.has('X')) this.position.x = p.get('X') ?? 0;
    if (p.has('Y')) this.position.y = p.get('Y') ?? 0;
    if (p.has('Z')) this.position.z = p.get('Z') ?? 0;
    if (p.has('E')) this.position.e = p.get('E') ?? 0;
  }

  private reportFirmware(): void {
    const o = this.options;
    this.emit(
      `FIRMWARE_NAME:${o.firmwareName} SOURCE_CODE_URL:${o.sourceCodeUrl} PROTOCOL_VERSION:1.0` +
        ` MACHINE_TYPE:${o.machineType} EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff`,
    );
    if (!o.extendedCapabilities) return;
    const features = {
      AUTOREPORT_TEMP: o.autoreportTemp,
      AUTOREPORT_POS: o.autoreportPos,
      EMERGENCY_PARSER: o.emergencyParser,
      HOST_ACTION_COMMANDS: o.hostActionCommands,
      PROMPT_SUPPORT: o.promptSupport,
    };
    for (const line of capabilityLines(features, o.capabilities)) this.emit(line);
  }

  /** M118: `E1` prefixes `echo:`, `A1` prefixes `//` (so `M118 A1 action:pause` sends a host action). */
  private echo(words: CommandWords): void {
    let text = words.rest;
    let prefix = '';
    for (;;) {
      const flag = /^([AE])1\s*/.exec(text) ?? /^(P)\d\s*/.exec(text);
      if (!flag) break;
      if (flag[1] === 'A') prefix = '//';
      else if (flag[1] === 'E') prefix = 'echo:';
      text = text.slice(flag[0].length);
    }
    this.emit(prefix + text);
  }

  // ── Emergencies, prompts, faults ───────────────────────────────────────────────────────────────

  private onEmergency(command: EmergencyCommand, t: number): void {
    const text = command.code === 876 ? `M876${command.response === null ? '' : ` S${command.response}`}` : `M${command.code}`;
    this.log(null, text, t, t, 'emergency');
    switch (command.code) {
      case 108: {
        // Like Marlin's wait_for_heatup/wait_for_user flags: only a wait already running is broken.
        const waiting = this.active?.steps?.[0]?.kind;
        if (waiting === 'heat' || waiting === 'user') {
          this.breakWait = true;
          this.runLoop(t);
        }
        break;
      }
      case 112:
        this.kill();
        break;
      case 410:
        this.planner.clear();
        break;
      case 524:
        break;
      case 876:
        this.promptAnswer(command.response ?? 0, t);
        break;
    }
  }

  private promptAnswer(index: number, t: number): void {
    this.promptResponses.push({ at: t, index });
    const waitingForUser = this.active?.steps?.[0]?.kind === 'user';
    this.prompt = null;
    if (waitingForUser) {
      this.userContinue = true;
      this.runLoop(t);
    }
  }

  private startPrompt(text: string, buttons: string[]): void {
    this.emit('//action:prompt_end');
    this.emit(`//action:prompt_begin ${text}`);
    for (const button of buttons) this.emit(`//action:prompt_button ${button}`);
    this.emit('//action:prompt_show');
    this.prompt = { text, buttons: [...buttons] };
  }

  private endPrompt(): void {
    this.emit('//action:prompt_end');
    this.prompt = null;
  }

  private kill(): void {
    this.emit('Error:Printer halted. kill() called!');
    this.halt();
  }

  private halt(): void {
    this.stateNow = 'halted';
    this.planner.clear();
    this.hotend.setTarget(0);
    this.bed.setTarget(0);
    this.queue.length = 0;
    this.active = null;
    this.nextTempReportAt = this.nextPosReportAt = this.nextIdleWaitAt = Infinity;
    this.stalledUntil = Number.NEGATIVE_INFINITY;
  }

  private applyFault(fault: ScheduledFault, t: number): void {
    switch (fault.kind) {
      case 'reset':
        this.doReset(t);
        break;
      case 'thermalRunaway':
        if (this.stateNow !== 'ready') return;
        this.emit('Error:Thermal Runaway, system stopped! Heater_ID: 0');
        this.kill();
        break;
      case 'silentStall':
      case 'busyStall':
        if (this.stateNow !== 'ready') return;
        this.stalledUntil = Math.max(this.stalledUntil, t + (fault.durationMs ?? 20_000));
        this.stallSilent = fault.kind === 'silentStall';
        this.stallNextKeepaliveAt = t + this.keepaliveMs;
        this.counters.stalls++;
        break;
    }
  }

  private doReset(t: number): void {
    this.counters.resets++;
    this.stateNow = 'booting';
    this.bootEndsAt = t + this.options.bootMs;
    this.reader.reset();
    this.skipsLeft = 0;
    this.awaitingResend = null;
    this.emergency.reset();
    this.halt();
    this.stateNow = 'booting';
    this.position = { x: 0, y: 0, z: 0, e: 0 };
    this.relativeMoves = this.relativeExtrusion = false;
    this.feedrateMmMin = 1500;
    this.feedPercent = 100;
    this.keepaliveMs = this.options.keepaliveIntervalS * 1000;
    this.tempReportMs = this.posReportMs = 0;
    this.userContinue = this.breakWait = false;
    this.prompt = null;
    this.scheduleRandomReset(t);
  }

  private finishBoot(t: number): void {
    this.stateNow = 'ready';
    for (const line of bootBanner(this.options.firmwareName)) this.emit(line);
    this.markIdle(t);
  }

  private scheduleRandomReset(t: number): void {
    const perHour = this.options.faults.resetsPerHour ?? 0;
    this.nextRandomResetAt = perHour > 0 ? t + this.resetRandom.exponential(3_600_000 / perHour) : Infinity;
  }

  /** A move command is waiting or running: if the planner runs dry now, it is not the host's fault. */
  private moveWaiting(): boolean {
    for (const cmd of this.queue) {
      if (cmd.words.letter === 'G' && cmd.words.code >= 0 && cmd.words.code <= 3) return true;
    }
    return false;
  }

  private emit(line: string): void {
    const bytes = this.txNoise.apply(encodeLine(line));
    this.counters.txBytesCorrupted = this.txNoise.counters.corrupted;
    this.counters.txBytesDropped = this.txNoise.counters.dropped;
    if (bytes.length > 0) this.output.push(bytes);
  }
}

function arcLength(from: AxisPosition, to: AxisPosition, i: number, j: number, clockwise: boolean): number {
  const cx = from.x + i;
  const cy = from.y + j;
  const radius = Math.hypot(i, j);
  const start = Math.atan2(from.y - cy, from.x - cx);
  const end = Math.atan2(to.y - cy, to.x - cx);
  let sweep = clockwise ? start - end : end - start;
  if (sweep <= 1e-9) sweep += 2 * Math.PI;
  return Math.hypot(sweep * radius, to.z - from.z);
}
