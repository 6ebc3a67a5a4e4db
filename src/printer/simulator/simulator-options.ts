// Everything that makes one simulated firmware differ from another, with Marlin 2.1 defaults.

import type { ByteFaultOptions } from '../wire/byte-faults.js';
import type { DialectName } from './firmware-dialect.js';

export interface HeaterModelOptions {
  /** Time constant of the heater block with the heater off, in seconds. */
  timeConstantS: number;
  /** How far above ambient full power would take it eventually (°C). */
  fullPowerRiseC: number;
  /** Highest target accepted; higher targets are clamped, as Marlin does (°C). */
  maxTempC: number;
}

export interface ThermalOptions {
  ambientC: number;
  hotend: HeaterModelOptions;
  bed: HeaterModelOptions;
  /** M109/M190 finish once within `windowC` of the target for this long (TEMP_RESIDENCY_TIME). */
  residencyMs: number;
  windowC: number;
  /** Leaving the target by more than this restarts the residency countdown (TEMP_HYSTERESIS). */
  hysteresisC: number;
  /** Temperature report interval while waiting in M109/M190. */
  waitReportMs: number;
}

export type ScheduledFaultKind = 'reset' | 'thermalRunaway' | 'silentStall' | 'busyStall';

export interface ScheduledFault {
  /** Firmware time (ms) at which the fault happens. */
  at: number;
  kind: ScheduledFaultKind;
  /** For stalls: how long the firmware stays stuck. */
  durationMs?: number;
}

export interface FaultOptions {
  /** Noise on bytes the firmware receives (host → printer), applied before its receive buffer. */
  rx?: ByteFaultOptions;
  /** Noise on bytes the firmware sends (printer → host). */
  tx?: ByteFaultOptions;
  /** Probability that the `ok` following a `Resend:` is not sent (older firmwares, lost packets). */
  missingOkAfterResendRate?: number;
  /** Probability that an `ok` is sent twice. */
  duplicateOkRate?: number;
  /** Probability that a valid numbered line is rejected as a checksum mismatch anyway. */
  spuriousResendRate?: number;
  /** Probability that a valid numbered line is rejected as out of sequence anyway (as if one had been lost). */
  spuriousLineNumberRate?: number;
  /** Probability, per command, of a long stall with `busy:` keepalives before it runs. */
  busyStallRate?: number;
  busyStallMs?: number;
  /** Probability, per command, of a long stall with no output at all before it runs. */
  silentStallRate?: number;
  silentStallMs?: number;
  /** Mean rate of spontaneous resets (brown-outs, watchdog), per hour of firmware time. */
  resetsPerHour?: number;
  /** Faults at fixed firmware times. */
  events?: ScheduledFault[];
}

export interface SimulatorOptions {
  /** Seed of every random choice (faults); same seed, same inputs, same run. */
  seed?: number;
  /** Serial receive buffer (RX_BUFFER_SIZE): bytes arriving while it is full are lost. */
  rxBufferSize?: number;
  /** Command queue length (BUFSIZE). */
  bufsize?: number;
  /** Planner ring size (BLOCK_BUFFER_SIZE). Marlin keeps one slot empty: at most `plannerSlots - 1` moves. */
  plannerSlots?: number;
  /** MAX_CMD_SIZE: a line keeps at most this many bytes minus one; the rest is silently dropped. */
  maxCommandSize?: number;
  /** Firmware time spent parsing and planning one command (ms). */
  commandTimeMs?: number;
  /** `ok N<line> P<planner free> B<queue free>`. */
  advancedOk?: boolean;
  /** M108, M112, M410, M524, M876 acted on as soon as their line ends, ahead of the queue. */
  emergencyParser?: boolean;
  autoreportTemp?: boolean;
  autoreportPos?: boolean;
  hostActionCommands?: boolean;
  promptSupport?: boolean;
  /** Print `Cap:` lines after M115 (EXTENDED_CAPABILITIES_REPORT). */
  extendedCapabilities?: boolean;
  /** Overrides of the reported capabilities (a firmware may report what it does not do). */
  capabilities?: Record<string, boolean>;
  firmwareName?: string;
  /** `SOURCE_CODE_URL` of the M115 report (tells a Marlin derivative from other firmware). */
  sourceCodeUrl?: string;
  machineType?: string;
  /** How rejected lines and resend requests are worded (default Marlin's). */
  dialect?: DialectName;
  /** M110 takes the new number from the line's own `N` prefix, as Repetier and Smoothieware do, not its parameter. */
  m110FromPrefix?: boolean;
  /** M114 is answered in the `ok` line (`ok C: X:… Y:… Z:… E:…`, as Smoothieware does). */
  positionInOk?: boolean;
  /** M115's `ok` comes first and its report a moment later. */
  okBeforeReport?: boolean;
  /** Send `ok` after `Resend:` (Marlin does; a few older firmwares do not). */
  okAfterResend?: boolean;
  /** Marlin 2.1 silently ignores a repeat of the last one or two lines instead of requesting a resend. */
  dropRecentDuplicates?: boolean;
  /** `busy:` keepalive interval (M113); 0 disables. */
  keepaliveIntervalS?: number;
  /**
   * Marlin prints temperature reports (with `W:`) instead of `busy:` during M109/M190; some forks send
   * `busy: processing` as well. Default false.
   */
  keepaliveDuringHeating?: boolean;
  /** Time from reset to the `start` banner; bytes arriving meanwhile are lost (bootloader). */
  bootMs?: number;
  /** Some builds print `wait` every so often when idle; null means never. */
  idleWaitIntervalMs?: number | null;
  homingMs?: number;
  probingMs?: number;
  thermal?: Partial<Omit<ThermalOptions, 'hotend' | 'bed'>> & {
    hotend?: Partial<HeaterModelOptions>;
    bed?: Partial<HeaterModelOptions>;
  };
  faults?: FaultOptions;
}

export interface ResolvedSimulatorOptions
  extends Required<Omit<SimulatorOptions, 'thermal' | 'faults' | 'capabilities' | 'idleWaitIntervalMs'>> {
  idleWaitIntervalMs: number | null;
  capabilities: Record<string, boolean>;
  thermal: ThermalOptions;
  faults: FaultOptions;
}

export function resolveSimulatorOptions(options: SimulatorOptions = {}): ResolvedSimulatorOptions {
  const resolved: ResolvedSimulatorOptions = {
    seed: options.seed ?? 1,
    rxBufferSize: options.rxBufferSize ?? 128,
    bufsize: options.bufsize ?? 4,
    plannerSlots: options.plannerSlots ?? 16,
    maxCommandSize: options.maxCommandSize ?? 96,
    commandTimeMs: options.commandTimeMs ?? 0.2,
    advancedOk: options.advancedOk ?? false,
    emergencyParser: options.emergencyParser ?? true,
    autoreportTemp: options.autoreportTemp ?? true,
    autoreportPos: options.autoreportPos ?? false,
    hostActionCommands: options.hostActionCommands ?? true,
    promptSupport: options.promptSupport ?? true,
    extendedCapabilities: options.extendedCapabilities ?? true,
    capabilities: options.capabilities ?? {},
    firmwareName: options.firmwareName ?? 'Marlin 2.1.2.1 (Sliceport simulator)',
    sourceCodeUrl: options.sourceCodeUrl ?? 'github.com/MarlinFirmware/Marlin',
    machineType: options.machineType ?? 'Simulated Printer',
    dialect: options.dialect ?? 'marlin',
    m110FromPrefix: options.m110FromPrefix ?? false,
    positionInOk: options.positionInOk ?? false,
    okBeforeReport: options.okBeforeReport ?? false,
    okAfterResend: options.okAfterResend ?? true,
    dropRecentDuplicates: options.dropRecentDuplicates ?? true,
    keepaliveIntervalS: options.keepaliveIntervalS ?? 2,
    keepaliveDuringHeating: options.keepaliveDuringHeating ?? false,
    bootMs: options.bootMs ?? 1000,
    idleWaitIntervalMs: options.idleWaitIntervalMs ?? null,
    homingMs: options.homingMs ?? 4000,
    probingMs: options.probingMs ?? 15000,
    thermal: {
      ambientC: options.thermal?.ambientC ?? 22,
      residencyMs: options.thermal?.residencyMs ?? 10_000,
      windowC: options.thermal?.windowC ?? 1,
      hysteresisC: options.thermal?.hysteresisC ?? 3,
      waitReportMs: options.thermal?.waitReportMs ?? 1000,
      hotend: { timeConstantS: 40, fullPowerRiseC: 280, maxTempC: 275, ...options.thermal?.hotend },
      bed: { timeConstantS: 120, fullPowerRiseC: 100, maxTempC: 120, ...options.thermal?.bed },
    },
    faults: options.faults ?? {},
  };
  const positive: Array<[string, number]> = [
    ['rxBufferSize', resolved.rxBufferSize],
    ['bufsize', resolved.bufsize],
    ['maxCommandSize', resolved.maxCommandSize],
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(resolved.plannerSlots) || resolved.plannerSlots < 2) {
    throw new RangeError(`plannerSlots must be an integer of at least 2, got ${resolved.plannerSlots}`);
  }
  return resolved;
}
