// Firmwares that are not Marlin, or not quite: other wordings for a rejected line, `wait` when idle, no
// `ok` after a resend request, numbering taken from the line's prefix, the M115 report after its `ok`,
// M114 answered in the `ok` line. Each scenario runs a print through the simulated firmware over the
// virtual-clock wire and must end one of two ways: the firmware executed the file exactly once, or the
// job ended with a plain message within the stall bound (simulated time) and nothing it did run was
// lost, repeated or reordered. Never "printing" for ever.

import { describe, expect, it } from 'vitest';
import type { JobState } from '../link-api.js';
import type { SimulatorOptions } from '../simulator/index.js';
import type { DialectName } from '../simulator/firmware-dialect.js';
import { bytesOf } from './engine-test-kit.js';
import { makeRig, type Rig } from './engine-on-wire.js';
import type { EngineOptions } from './printer-engine.js';
import { DEFAULT_STALL_BOUNDS } from './progress-watchdog.js';
import { stripComment } from './line-framing.js';
import { DEFAULT_CANCEL_SCRIPT, scriptLines } from './host-scripts.js';

/** From the last acknowledged line to a stopped job, at most: the stall bound, then the recovery time. */
const STALL_BOUND_MS = DEFAULT_STALL_BOUNDS.stallMs + DEFAULT_STALL_BOUNDS.recoveryMs;

const QUICK: SimulatorOptions = { bootMs: 300, homingMs: 500, thermal: { hotend: { timeConstantS: 3 }, bed: { timeConstantS: 3 }, residencyMs: 500 } };

/** The foreign firmware: Repetier's wording for rejected lines, and `wait` every second when idle. */
const FOREIGN: SimulatorOptions = { ...QUICK, dialect: 'repetier', idleWaitIntervalMs: 1000 };
/** Its default settings inject both kinds of line errors. */
const BOTH_FAULTS = { spuriousResendRate: 0.01, spuriousLineNumberRate: 0.01 };

function printFile(moves: number): string {
  const out = ['; test print', 'M140 S60', 'M104 S200', 'M190 S60', 'M109 S200', 'G28', 'G90', 'M82', 'G92 E0'];
  let e = 0;
  for (let i = 0; i < moves; i++) {
    e += 0.03;
    out.push(`G1 X${(100 + 30 * Math.cos(i / 12)).toFixed(2)} Y${(100 + 30 * Math.sin(i / 12)).toFixed(2)} E${e.toFixed(4)} F3000`);
  }
  out.push('M104 S0', 'M140 S0', 'M84');
  return out.join('\n') + '\n';
}

function fileCommands(text: string): string[] {
  return text.split('\n').map(stripComment).filter((l) => l.length > 0);
}

/** The job's commands as the firmware executed them (after the job's numbering reset). */
function executedJob(rig: Rig): string[] {
  const log = rig.printer.executionLog.filter((c) => c.via === 'queue' && c.line !== null).map((c) => c.command);
  return log.slice(log.lastIndexOf('M110 N0') + 1).filter((c) => c !== 'M105');
}

interface Outcome {
  state: JobState | undefined;
  reason: string | undefined;
  executed: string[];
  expected: string[];
  endedAt: number;
  lastAckAt: number;
  /** Times the stall rule had to step in (it is the last resort, not how these firmwares are handled). */
  stallProbes: number;
}

interface Scenario {
  name: string;
  engine?: Partial<EngineOptions>;
  firmware: SimulatorOptions;
  moves?: number;
  /** Something done to the running print: returns when it happened. */
  during?: (rig: Rig) => void;
  expect: 'completed' | 'stopped';
}

function run(s: Scenario): Outcome {
  const rig = makeRig({ troubleLimit: Number.POSITIVE_INFINITY, ...s.engine }, { seed: 7, ...s.firmware });
  rig.connect();
  const text = printFile(s.moves ?? 600);
  rig.startJob(bytesOf(text), 4096);
  let lastLine = 0;
  let lastAckAt = rig.wire.now;
  const ended = (): boolean => ['completed', 'failed', 'cancelled', 'interrupted'].includes(rig.engine.jobState ?? '');
  const watch = (): boolean => {
    if (rig.engine.lastAckedJobLine !== lastLine) {
      lastLine = rig.engine.lastAckedJobLine;
      lastAckAt = rig.wire.now;
    }
    return ended();
  };
  if (s.during) {
    // Let the print get going first.
    rig.run(() => watch() || rig.engine.lastAckedJobLine > 200, 3600_000);
    s.during(rig);
  }
  rig.run(watch, 4 * 3600_000);
  const jobEvent = rig.events.filter((e) => e.type === 'job').at(-1);
  return {
    state: rig.engine.jobState,
    reason: jobEvent?.type === 'job' ? jobEvent.job.reason : undefined,
    executed: executedJob(rig),
    expected: fileCommands(text),
    endedAt: rig.wire.now,
    lastAckAt,
    stallProbes: rig.events.flatMap((e) => (e.type === 'log' ? e.lines : [])).filter((l) => /^No line has been acknowledged/.test(l.text)).length,
  };
}

function foreign(name: string, firmware: SimulatorOptions, engine: Partial<EngineOptions> = {}): Scenario {
  return { name, firmware, engine, expect: 'completed' };
}

const SCENARIOS: Scenario[] = [];
for (const mode of ['auto', 'safe'] as const) {
  const engine: Partial<EngineOptions> = { flowControl: mode };
  const m = `(${mode} flow control)`;
  SCENARIOS.push(
    foreign(`its default settings: line-number and checksum errors, idle wait ${m}`, { ...FOREIGN, faults: BOTH_FAULTS }, engine),
    foreign(`line-number errors only, no idle wait ${m}`, { ...FOREIGN, idleWaitIntervalMs: null, faults: { spuriousLineNumberRate: 0.02 } }, engine),
    foreign(`line-number errors only, with idle wait ${m}`, { ...FOREIGN, faults: { spuriousLineNumberRate: 0.02 } }, engine),
    foreign(`checksum errors only, no idle wait ${m}`, { ...FOREIGN, idleWaitIntervalMs: null, faults: { spuriousResendRate: 0.02 } }, engine),
    foreign(`checksum errors only, with idle wait ${m}`, { ...FOREIGN, faults: { spuriousResendRate: 0.02 } }, engine),
    foreign(`no ok after Resend: ${m}`, { ...FOREIGN, okAfterResend: false, faults: BOTH_FAULTS }, engine),
    foreign(`ADVANCED_OK replies ${m}`, { ...FOREIGN, advancedOk: true, faults: BOTH_FAULTS }, engine),
    // A lost `ok` leaves only the probe to find out where the firmware stands.
    foreign(`lost and garbled replies, idle wait ${m}`, { ...FOREIGN, faults: { ...BOTH_FAULTS, tx: { corruptRate: 1 / 3000, dropRate: 1 / 3000 } } }, engine),
  );
}
SCENARIOS.push(
  foreign('a non-Marlin firmware in safe mode', { ...FOREIGN, firmwareName: 'Repetier_1.0.4', sourceCodeUrl: 'https://github.com/repetier/Repetier-Firmware/', faults: BOTH_FAULTS }),
  foreign('a clean run', { ...FOREIGN }),
  {
    name: 'a dropped connection',
    firmware: { ...FOREIGN, faults: BOTH_FAULTS },
    during: (rig) => rig.engine.transportLost(rig.wire.now, 'The printer was unplugged.'),
    expect: 'stopped',
  },
  { name: 'a reset during the print', firmware: { ...FOREIGN, faults: { events: [{ at: 20_000, kind: 'reset' }] } }, expect: 'stopped' },
  { name: 'a printer that goes silent', firmware: { ...FOREIGN, faults: { events: [{ at: 20_000, kind: 'silentStall', durationMs: 3600_000 }] } }, expect: 'stopped' },
  { name: 'a thermal runaway', firmware: { ...FOREIGN, faults: { events: [{ at: 20_000, kind: 'thermalRunaway' }] } }, expect: 'stopped' },
  // Nothing can be resent when the request cannot be read: stop plainly, within the bound.
  { name: 'a firmware whose resend requests no host can read', firmware: { ...FOREIGN, dialect: 'unreadable', faults: BOTH_FAULTS }, expect: 'stopped' },
  { name: 'a cancel', firmware: { ...FOREIGN, faults: BOTH_FAULTS }, during: (rig) => void rig.engine.cancel(rig.wire.now), expect: 'stopped' },
  foreign('a busy firmware with a 32-byte receive buffer', { ...FOREIGN, rxBufferSize: 32, faults: { ...BOTH_FAULTS, busyStallRate: 0.01, busyStallMs: 5_000 } }, { receiveBufferBytes: 32 }),
);

function expectPlainEnd(o: Outcome): void {
  expect(['failed', 'interrupted', 'cancelled']).toContain(o.state);
  if (o.state !== 'cancelled') expect(o.reason ?? '').toMatch(/^[A-Z].{20,}\.$/s);
  expect(o.endedAt - o.lastAckAt).toBeLessThanOrEqual(STALL_BOUND_MS);
  // Whatever ran is the file's beginning, in order, nothing twice (then the cancel script, if cancelled).
  const cancelScript = scriptLines(undefined, DEFAULT_CANCEL_SCRIPT);
  const ran = o.state === 'cancelled' ? o.executed.slice(0, o.executed.length - cancelScript.length) : o.executed;
  if (o.state === 'cancelled') expect(o.executed.slice(ran.length)).toEqual(cancelScript);
  expect(ran).toEqual(o.expected.slice(0, ran.length));
}

describe('a firmware that is not quite Marlin: every print ends, exactly once or plainly', () => {
  for (const s of SCENARIOS) {
    it(s.name, () => {
      const o = run(s);
      if (s.expect === 'completed') {
        expect({ state: o.state, reason: o.reason, stallProbes: o.stallProbes }).toEqual({ state: 'completed', reason: undefined, stallProbes: 0 });
        expect(o.executed).toEqual(o.expected);
      } else expectPlainEnd(o);
    });
  }
});

describe('every resend wording, through a noisy firmware', () => {
  const dialects: DialectName[] = ['marlin', 'prusa', 'repetier', 'smoothieware', 'teacup', 'reprapfirmware'];
  for (const dialect of dialects) {
    for (const mode of ['safe', 'fast'] as const) {
      it(`${dialect} wording, ${mode} mode: the file executed exactly once`, () => {
        // Firmwares that print no error line send no `ok` after the request either (Smoothieware, Teacup).
        const silentRequest = dialect === 'smoothieware' || dialect === 'teacup' || dialect === 'reprapfirmware';
        const o = run({ ...foreign(dialect, { ...QUICK, dialect, okAfterResend: !silentRequest, faults: BOTH_FAULTS }, { flowControl: mode }), moves: 2000 });
        expect({ state: o.state, reason: o.reason, stallProbes: o.stallProbes }).toEqual({ state: 'completed', reason: undefined, stallProbes: 0 });
        expect(o.executed).toEqual(o.expected);
      });
    }
  }
});
