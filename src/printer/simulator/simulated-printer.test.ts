import { describe, expect, test } from 'vitest';
import { frameLine } from '../wire/line-framing.js';
import { RecordingEndpoint } from '../wire/recording-endpoint.js';
import { VirtualWire, type VirtualWireOptions } from '../wire/virtual-wire.js';
import { SimulatedPrinter } from './simulated-printer.js';
import type { SimulatorOptions } from './simulator-options.js';

function bench(options: SimulatorOptions = {}, wireOptions: VirtualWireOptions = {}) {
  const host = new RecordingEndpoint();
  const sim = new SimulatedPrinter({ bootMs: 100, ...options });
  const wire = new VirtualWire(host, sim, { baud: 250000, ...wireOptions });
  const booted = wire.runUntil(() => host.lines.some((l) => l.text.startsWith('echo: M92')), { until: 10_000 });
  expect(booted.reason).toBe('predicate');
  host.lines.length = 0;
  const waitFor = (pattern: RegExp, count = 1, until = wire.now + 600_000) => {
    const outcome = wire.runUntil(() => host.matching(pattern).length >= count, { until });
    expect(outcome.reason, `waiting for ${pattern}`).toBe('predicate');
    return host.matching(pattern);
  };
  return { host, sim, wire, waitFor };
}

/**
 * A minimal sender, enough to drive the firmware in tests: `window` lines in flight (1 = ping-pong),
 * honours resend requests, and resends from the oldest unacknowledged line when nothing comes back.
 */
function pingPong(host: RecordingEndpoint, commands: string[], window = 1, timeoutMs = 3000) {
  const state = { next: 0, acked: 0, inFlight: 0, done: false, resends: 0 };
  const pump = (now: number) => {
    while (state.inFlight < window && state.next < commands.length) {
      host.write(frameLine(state.next + 1, commands[state.next]));
      state.next++;
      state.inFlight++;
    }
    state.done = state.acked >= commands.length;
    host.wakeUpAt(now + timeoutMs, (later) => {
      state.next = state.acked;
      state.inFlight = 0;
      pump(later);
    });
  };
  host.onLine = (line) => {
    const resend = /^Resend: (\d+)/.exec(line.text);
    if (resend) {
      state.next = state.acked = Number(resend[1]) - 1;
      state.inFlight = 0;
      state.resends++;
      return;
    }
    if (line.text.startsWith('ok')) {
      state.inFlight = Math.max(0, state.inFlight - 1);
      state.acked = Math.min(state.acked + 1, state.next);
      pump(line.at);
    }
  };
  pump(0);
  return state;
}

describe('boot', () => {
  test('announces itself with start after the boot time and loses bytes sent meanwhile', () => {
    const host = new RecordingEndpoint();
    const sim = new SimulatedPrinter({ bootMs: 1500 });
    const wire = new VirtualWire(host, sim, { baud: 115200 });
    host.write('M105\n');
    wire.runUntil(() => host.lines.some((l) => l.text === 'start'), { until: 5000 });
    expect(host.lines[0].at).toBeGreaterThan(1500);
    expect(sim.counters.rxIgnoredBytes).toBe(5);
    wire.runFor(500);
    expect(host.matching(/^ok/)).toHaveLength(0);
    expect(sim.executionLog).toHaveLength(0);
  });
});

describe('line rules', () => {
  test('accepts numbered lines in sequence and logs exactly what it executed', () => {
    const { host, sim, waitFor } = bench();
    host.write(frameLine(0, 'M110 N0'));
    host.write(frameLine(1, 'G92 E0'));
    host.write('G1 X1 F3000 ; unnumbered, with a comment\n');
    waitFor(/^ok/, 3);
    expect(sim.executionLog.map((e) => [e.line, e.command])).toEqual([
      [0, 'M110 N0'],
      [1, 'G92 E0'],
      [null, 'G1 X1 F3000'],
    ]);
    expect(sim.lastLineNumber).toBe(1);
  });

  test('a checksum mismatch asks for the next expected line, flushes the buffer, then sends ok', () => {
    const { host, sim, waitFor } = bench();
    host.write(frameLine(1, 'M105'));
    host.write('N2 G1 X5*99\n');
    host.write(frameLine(3, 'M105'));
    waitFor(/^Resend:/);
    waitFor(/^ok$/);
    const texts = host.lines.map((l) => l.text);
    const error = texts.indexOf('Error:checksum mismatch, Last Line: 1');
    expect(error).toBeGreaterThan(0);
    expect(texts.slice(error, error + 3)).toEqual(['Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok']);
    expect(sim.counters.resendsRequested).toBeGreaterThanOrEqual(1);
    expect(sim.executionLog.map((e) => e.line)).toEqual([1]);
  });

  test('a gap in line numbers and a missing checksum are refused with Marlin’s messages', () => {
    const { host, waitFor } = bench();
    host.write(frameLine(1, 'M105'));
    waitFor(/^ok/);
    host.write(frameLine(3, 'M105'));
    waitFor(/^Resend: 2$/);
    expect(host.matching(/^Error:Line Number is not Last Line Number\+1, Last Line: 1$/)).toHaveLength(1);
    host.write('N2 M105\n');
    waitFor(/^Resend: 2$/, 2);
    expect(host.matching(/^Error:No Checksum with line number, Last Line: 1$/)).toHaveLength(1);
  });

  test('the receive buffer is flushed after a bad line: the lines behind it are lost too', () => {
    const { host, sim, wire } = bench();
    host.write(frameLine(1, 'G4 P500'));
    wire.runFor(10);
    // While G4 runs nothing is read: the bad line and its followers wait in the receive buffer.
    host.write('N2 M105*0\n');
    host.write(frameLine(3, 'M105'));
    host.write(frameLine(4, 'M105'));
    wire.runFor(1000);
    expect(sim.counters.rxFlushedBytes).toBe(frameLine(3, 'M105').length + frameLine(4, 'M105').length);
    expect(sim.executionLog.map((e) => e.line)).toEqual([1]);
  });

  test('M110 sets the line number; a repeat of the last line is ignored silently (Marlin 2.1)', () => {
    const { host, sim, waitFor } = bench();
    host.write(frameLine(41, 'M110 N41'));
    host.write(frameLine(42, 'M105'));
    waitFor(/^ok/, 2);
    host.write(frameLine(42, 'M105'));
    host.write(frameLine(41, 'M105'));
    host.write(frameLine(43, 'M114'));
    waitFor(/^ok/, 3);
    expect(sim.counters.duplicatesIgnored).toBe(2);
    expect(host.matching(/^Resend/)).toHaveLength(0);
    expect(sim.executionLog.map((e) => e.line)).toEqual([41, 42, 43]);
  });

  test('without duplicate tolerance a repeated line gets a resend request', () => {
    const { host, waitFor } = bench({ dropRecentDuplicates: false });
    host.write(frameLine(1, 'M105'));
    waitFor(/^ok/);
    host.write(frameLine(1, 'M105'));
    waitFor(/^Resend: 2$/);
  });

  test('a line longer than MAX_CMD_SIZE is cut at 95 bytes, which breaks its framing', () => {
    const { host, sim, waitFor } = bench();
    const long = `M117 ${'A'.repeat(100)}`;
    host.write(frameLine(1, long));
    waitFor(/^Resend: 1$/);
    // The cut took the `*` with it.
    expect(host.matching(/^Error:No Checksum with line number, Last Line: 0$/)).toHaveLength(1);
    let fits = 'M117 B';
    while (frameLine(1, `${fits}B`).length - 1 <= 95) fits += 'B';
    expect(frameLine(1, fits).length - 1).toBeGreaterThanOrEqual(94);
    host.write(frameLine(1, fits));
    waitFor(/^ok$/, 2);
    expect(sim.statusMessages).toEqual(['B'.repeat(fits.length - 5)]);
  });

  test('unknown commands are reported and still acknowledged', () => {
    const { host, sim, waitFor } = bench();
    host.write(frameLine(1, 'M9999 X1'));
    waitFor(/^ok/);
    expect(host.lines.map((l) => l.text)).toEqual(['echo:Unknown command: "M9999 X1"', 'ok']);
    expect(sim.executionLog[0].unknown).toBe(true);
  });
});

describe('receive buffer', () => {
  test('bytes beyond its size are lost while the firmware is busy', () => {
    const { host, sim, wire } = bench({ rxBufferSize: 128 });
    host.write(frameLine(1, 'G4 P1000'));
    wire.runFor(5);
    let sent = 0;
    for (let n = 2; n < 14; n++) {
      const framed = frameLine(n, 'G1 X10 Y10 F3000');
      host.write(framed);
      sent += framed.length;
    }
    wire.runFor(100);
    expect(sim.rxBuffered).toBe(128);
    expect(sim.counters.rxOverflowBytes).toBe(sent - 128);
  });

  test('a free firmware drains the buffer as bytes arrive, so a long burst of short lines is not lost', () => {
    const { host, sim, waitFor } = bench({ rxBufferSize: 64, bufsize: 64 });
    for (let n = 1; n <= 20; n++) host.write(frameLine(n, 'M105'));
    waitFor(/^ok/, 20);
    expect(sim.counters.rxOverflowBytes).toBe(0);
  });
});

describe('ok and ADVANCED_OK', () => {
  test('reports the line, free planner slots and free queue slots', () => {
    const { host, waitFor } = bench({ advancedOk: true, plannerSlots: 16, bufsize: 4 });
    const moves = Array.from({ length: 20 }, (_, i) => `G1 X${i + 1} F600`);
    pingPong(host, moves);
    const oks = waitFor(/^ok N\d+ P\d+ B\d+$/, 20);
    const fields = oks.map((l) => /^ok N(\d+) P(\d+) B(\d+)$/.exec(l.text)!.slice(1).map(Number));
    expect(fields[0]).toEqual([1, 14, 3]);
    expect(fields.map((f) => f[0])).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // One-second moves: the planner fills to its 15 usable slots and then stays full.
    expect(Math.min(...fields.map((f) => f[1]))).toBe(0);
    expect(fields.every(([, , b]) => b === 3)).toBe(true);
  });

  test('without ADVANCED_OK an ok is bare; M105 answers on the ok line', () => {
    const { host, waitFor } = bench({ advancedOk: false });
    host.write(frameLine(1, 'G1 X1'));
    host.write(frameLine(2, 'M105'));
    waitFor(/^ok/, 2);
    expect(host.lines[0].text).toBe('ok');
    expect(host.lines[1].text).toMatch(/^ok T:\d+\.\d\d \/0\.00 B:\d+\.\d\d \/0\.00 @:0 B@:0$/);
  });
});

describe('motion planner', () => {
  test('moves take the time their length and feed rate imply; ok comes when a move enters the planner', () => {
    const { host, sim, wire, waitFor } = bench();
    const start = wire.now;
    host.write(frameLine(1, 'G1 X100 F6000'));
    host.write(frameLine(2, 'G1 X100 Y50 F3000'));
    host.write(frameLine(3, 'M400'));
    waitFor(/^ok/, 2);
    expect(wire.now - start).toBeLessThan(20);
    waitFor(/^ok/, 3);
    // 100 mm at 100 mm/s, then 50 mm at 50 mm/s.
    expect(wire.now - start).toBeGreaterThan(2000);
    expect(wire.now - start).toBeLessThan(2030);
    expect(sim.movesExecuted).toBe(2);
    expect(sim.underruns).toHaveLength(0);
  });

  test('a full planner blocks the next move until a slot frees; busy keepalives go out meanwhile', () => {
    const { host, sim, wire, waitFor } = bench({ plannerSlots: 4 });
    const start = wire.now;
    for (let n = 1; n <= 5; n++) host.write(frameLine(n, `G1 X${n * 10} F200`));
    waitFor(/^ok/, 3);
    wire.runFor(500);
    expect(sim.plannedMoves).toBe(3);
    expect(host.matching(/^ok/)).toHaveLength(3);
    waitFor(/^ok/, 4);
    // The fourth move waited for the first one (10 mm at 3.33 mm/s) to finish, sending busy at 2 s.
    expect(host.matching(/^ok/)[3].at - start).toBeGreaterThan(3000);
    const busy = host.matching(/^echo:busy: processing$/);
    expect(busy).toHaveLength(1);
    expect(busy[0].at - start).toBeGreaterThan(2000);
    expect(busy[0].at).toBeLessThan(host.matching(/^ok/)[3].at);
  });

  test('a slow host starves the planner and each starvation counts as an underrun', () => {
    const { host, sim, wire } = bench({ commandTimeMs: 0.2 }, { printerToHost: { latencyMs: 16 } });
    // 1 mm segments at 100 mm/s take 10 ms each; a ping-pong round trip at 16 ms latency takes longer.
    const moves = Array.from({ length: 200 }, (_, i) => `G1 X${(i + 1) * 1} F6000`);
    const sender = pingPong(host, moves);
    wire.runUntil(() => sender.done && sim.plannedMoves === 0, { until: 60_000 });
    expect(sim.movesExecuted).toBe(200);
    expect(sim.underruns.length).toBeGreaterThan(150);
    for (const underrun of sim.underruns) expect(underrun.stallMs).toBeGreaterThan(0);
  });

  test('a host that keeps the queue fed causes no underrun, and deliberate drains do not count', () => {
    const { host, sim, wire } = bench();
    const commands: string[] = [];
    for (let i = 1; i <= 300; i++) {
      commands.push(`G1 X${i} F600`);
      if (i % 100 === 0) commands.push('M400', 'G4 P200', 'M105');
    }
    pingPong(host, commands, 3);
    wire.runUntil(() => sim.executionLog.length === commands.length && sim.plannedMoves === 0, { until: 120_000 });
    expect(sim.movesExecuted).toBe(300);
    expect(sim.underruns).toHaveLength(0);
  });
});

describe('heaters', () => {
  test('M109 waits with W: reports until the hotend settles at the target', () => {
    const { host, sim, wire, waitFor } = bench();
    const start = wire.now;
    host.write(frameLine(1, 'M109 S210'));
    waitFor(/^ok/, 1, start + 300_000);
    const reports = host.matching(/^ T:.* W:/);
    expect(reports.length).toBeGreaterThan(20);
    expect(reports[0].text).toMatch(/ W:\?$/);
    expect(reports.at(-1)!.text).toMatch(/ W:\d+$/);
    const t = sim.temperatures(wire.now);
    expect(Math.abs(t.hotend - 210)).toBeLessThan(1);
    expect(t.hotendTarget).toBe(210);
    // Full power towards ~300 °C with a 40 s time constant, then 10 s residency.
    expect(wire.now - start).toBeGreaterThan(30_000);
    expect(wire.now - start).toBeLessThan(120_000);
    expect(host.matching(/busy/)).toHaveLength(0);
  });

  test('a fork that also sends busy: while heating', () => {
    const { host, waitFor } = bench({ keepaliveDuringHeating: true, thermal: { residencyMs: 0 } });
    host.write(frameLine(1, 'M109 S200'));
    waitFor(/^ok/);
    expect(host.matching(/^echo:busy: processing$/).length).toBeGreaterThan(10);
    expect(host.matching(/ W:/).length).toBeGreaterThan(20);
  });

  test('M190 heats the bed; M140 and M104 set targets without waiting; targets above the maximum are clamped', () => {
    const { host, sim, wire, waitFor } = bench();
    host.write(frameLine(1, 'M140 S300'));
    host.write(frameLine(2, 'M104 S200'));
    waitFor(/^ok/, 2);
    expect(sim.temperatures(wire.now)).toMatchObject({ bedTarget: 120, hotendTarget: 200 });
    host.write(frameLine(3, 'M190 S60'));
    waitFor(/^ok/, 3);
    expect(Math.abs(sim.temperatures(wire.now).bed - 60)).toBeLessThan(1);
  });

  test('M155 autoreports temperatures at the interval; M155 S0 stops it', () => {
    const { host, wire, waitFor } = bench();
    host.write(frameLine(1, 'M155 S1'));
    waitFor(/^ok/);
    wire.runFor(5050);
    const reports = host.matching(/^ T:[\d.]+ \/[\d.]+ B:[\d.]+ \/[\d.]+ @:\d+ B@:\d+$/);
    expect(reports).toHaveLength(5);
    host.write(frameLine(2, 'M155 S0'));
    waitFor(/^ok/, 2);
    wire.runFor(5000);
    expect(host.matching(/^ T:/)).toHaveLength(5);
  });

  test('M155 is unknown when the firmware lacks AUTOREPORT_TEMP', () => {
    const { host, waitFor } = bench({ autoreportTemp: false });
    host.write(frameLine(1, 'M115'));
    host.write(frameLine(2, 'M155 S2'));
    waitFor(/^ok/, 2);
    expect(host.matching(/^Cap:AUTOREPORT_TEMP:0$/)).toHaveLength(1);
    expect(host.matching(/^echo:Unknown command: "M155 S2"$/)).toHaveLength(1);
  });
});

describe('reports', () => {
  test('M114 reports the position; G28 homes after a busy period; G92 sets it', () => {
    const { host, waitFor } = bench();
    host.write(frameLine(1, 'G1 X10 Y20 Z0.3 E1.5 F6000'));
    host.write(frameLine(2, 'M114'));
    waitFor(/^ok/, 2);
    expect(host.matching(/^X:/)[0].text).toBe('X:10.00 Y:20.00 Z:0.30 E:1.50 Count X:800 Y:1600 Z:120');
    host.write(frameLine(3, 'G28'));
    waitFor(/^ok/, 3);
    expect(host.matching(/^echo:busy: processing$/).length).toBeGreaterThanOrEqual(1);
    host.write(frameLine(4, 'G92 E5'));
    host.write(frameLine(5, 'M114'));
    waitFor(/^ok/, 5);
    expect(host.matching(/^X:/)[1].text).toMatch(/^X:0\.00 Y:0\.00 Z:0\.00 E:5\.00 /);
  });

  test('M115 uses the configured name and capabilities, or none without extended reports', () => {
    const { host, waitFor } = bench({
      firmwareName: 'Marlin 2.0.9.3 (Ender)',
      emergencyParser: false,
      capabilities: { SDCARD: true },
    });
    host.write(frameLine(1, 'M115'));
    waitFor(/^ok/);
    expect(host.lines[0].text).toMatch(/^FIRMWARE_NAME:Marlin 2\.0\.9\.3 \(Ender\) SOURCE_CODE_URL:/);
    expect(host.matching(/^Cap:EMERGENCY_PARSER:0$/)).toHaveLength(1);
    expect(host.matching(/^Cap:SDCARD:1$/)).toHaveLength(1);

    const plain = bench({ extendedCapabilities: false });
    plain.host.write(frameLine(1, 'M115'));
    plain.waitFor(/^ok/);
    expect(plain.host.matching(/^Cap:/)).toHaveLength(0);
  });

  test('busy keepalives every 2 s during G4; M113 changes the interval, S0 silences them', () => {
    const { host, waitFor } = bench();
    host.write(frameLine(1, 'G4 S5'));
    waitFor(/^ok/);
    const busy = host.matching(/^echo:busy: processing$/);
    expect(busy).toHaveLength(2);
    expect(busy[1].at - busy[0].at).toBeCloseTo(2000, 0);
    host.write(frameLine(2, 'M113 S1'));
    host.write(frameLine(3, 'G4 S5'));
    waitFor(/^ok/, 3);
    expect(host.matching(/^echo:busy/)).toHaveLength(2 + 4);
    host.write(frameLine(4, 'M113 S0'));
    host.write(frameLine(5, 'G4 S5'));
    waitFor(/^ok/, 5);
    expect(host.matching(/^echo:busy/)).toHaveLength(6);
  });

  test('idle `wait` lines when the build sends them', () => {
    const { host, wire } = bench({ idleWaitIntervalMs: 1000 });
    wire.runFor(3500);
    expect(host.matching(/^wait$/).length).toBe(3);
  });
});

describe('emergency parser', () => {
  test('M112 halts at once, even behind a long command, and the firmware stays dead', () => {
    const { host, sim, wire, waitFor } = bench();
    host.write(frameLine(1, 'G4 S30'));
    wire.runFor(100);
    host.write('M112\n');
    waitFor(/^Error:Printer halted\. kill\(\) called!$/);
    expect(wire.now).toBeLessThan(1000);
    expect(sim.state).toBe('halted');
    expect(sim.executionLog.at(-1)).toMatchObject({ command: 'M112', via: 'emergency' });
    host.write(frameLine(2, 'M105'));
    wire.runFor(2000);
    expect(host.matching(/^ok/)).toHaveLength(0);
  });

  test('without EMERGENCY_PARSER, M112 waits its turn in the queue', () => {
    const { host, sim, wire, waitFor } = bench({ emergencyParser: false });
    host.write(frameLine(1, 'G4 S3'));
    wire.runFor(100);
    host.write(frameLine(2, 'M112'));
    waitFor(/^Error:Printer halted/);
    expect(wire.now).toBeGreaterThan(3000);
    expect(sim.state).toBe('halted');
    expect(sim.executionLog.map((e) => [e.line, e.command, e.via])).toEqual([
      [1, 'G4 S3', 'queue'],
      [2, 'M112', 'queue'],
    ]);
  });

  test('M108 breaks a heating wait; M410 drops planned moves', () => {
    const { host, sim, wire, waitFor } = bench();
    host.write(frameLine(1, 'M109 S250'));
    wire.runFor(3000);
    host.write('M108\n');
    waitFor(/^ok/);
    expect(wire.now).toBeLessThan(4000);
    expect(sim.temperatures(wire.now).hotendTarget).toBe(250);
    host.write(frameLine(2, 'G1 X200 F600'));
    host.write(frameLine(3, 'G1 X0 F600'));
    waitFor(/^ok/, 4);
    expect(sim.plannedMoves).toBe(2);
    host.write('M410\n');
    wire.runFor(50);
    expect(sim.plannedMoves).toBe(0);
  });

  test('M0 shows a host prompt and waits; M876 S0 answers it out of band', () => {
    const { host, sim, wire, waitFor } = bench();
    host.write(frameLine(1, 'M0 Change the nozzle'));
    waitFor(/^\/\/action:prompt_show$/);
    expect(host.lines.map((l) => l.text).slice(0, 4)).toEqual([
      '//action:prompt_end',
      '//action:prompt_begin Change the nozzle',
      '//action:prompt_button Continue',
      '//action:prompt_show',
    ]);
    wire.runFor(5000);
    expect(host.matching(/^ok/)).toHaveLength(0);
    expect(host.matching(/^echo:busy: paused for user$/).length).toBeGreaterThanOrEqual(2);
    host.write('M876 S0\n');
    waitFor(/^ok/);
    expect(sim.promptResponses).toHaveLength(1);
    expect(sim.promptResponses[0].index).toBe(0);
  });

  test('M1 also ends with the LCD button', () => {
    const { host, sim, wire, waitFor } = bench({ promptSupport: false });
    host.write(frameLine(1, 'M1'));
    wire.runFor(1000);
    expect(host.matching(/^ok/)).toHaveLength(0);
    sim.pressButton(wire.now);
    waitFor(/^ok/);
  });
});

describe('host actions', () => {
  test('actions and prompts can be triggered, and M118 A1 sends one from G-code', () => {
    const { host, sim, wire, waitFor } = bench();
    sim.sendHostAction('pause', wire.now);
    sim.showPrompt('Filament runout', ['Purge more', 'Continue'], wire.now);
    host.write(frameLine(1, 'M118 A1 action:notification Layer 2'));
    waitFor(/^ok/);
    const texts = host.lines.map((l) => l.text);
    expect(texts).toContain('//action:pause');
    expect(texts).toContain('//action:prompt_button Purge more');
    expect(texts).toContain('//action:notification Layer 2');
    host.write('M876 S1\n');
    wire.runFor(50);
    expect(sim.promptResponses.map((r) => r.index)).toEqual([1]);
  });
});

describe('fault injection', () => {
  const commands = Array.from({ length: 400 }, (_, i) => `G1 X${(i % 50) + 1} Y${i % 7} F12000`);

  test('corrupted bytes towards the printer cause resend requests, and nothing runs twice or out of order', () => {
    const { host, sim, wire } = bench({ faults: { rx: { corruptRate: 0.005 } }, seed: 11 });
    const sender = pingPong(host, commands);
    wire.runUntil(() => sender.done, { until: 600_000 });
    expect(sim.counters.rxBytesCorrupted).toBeGreaterThan(20);
    expect(sim.counters.resendsRequested).toBeGreaterThan(10);
    // A flipped `N` makes an unnumbered line Marlin does not understand (`Unknown command`, then ok).
    const known = sim.executionLog.filter((e) => !e.unknown);
    expect(known.map((e) => e.line)).toEqual(commands.map((_, i) => i + 1));
  });

  test('dropped bytes towards the printer are caught by the line rules as well', () => {
    const { host, sim, wire } = bench({ faults: { rx: { dropRate: 0.005 } }, seed: 5 });
    const sender = pingPong(host, commands);
    wire.runUntil(() => sender.done, { until: 600_000 });
    expect(sim.counters.rxBytesDropped).toBeGreaterThan(20);
    // A lost `N` turns a line into an unnumbered one Marlin does not understand: it answers
    // `Unknown command` and ok, as real firmware does. Everything else ran once, in order.
    const known = sim.executionLog.filter((e) => !e.unknown);
    expect(known.map((e) => e.command)).toEqual(commands);
  });

  test('replies towards the host can be corrupted or lost', () => {
    const { host, sim, wire } = bench({ faults: { tx: { corruptRate: 0.05, dropRate: 0.05 } } });
    for (let n = 1; n <= 100; n++) host.write(frameLine(n, 'M113 S2'));
    wire.runUntil(() => sim.executionLog.length === 100, { until: 60_000 });
    wire.runFor(100);
    expect(sim.counters.txBytesCorrupted + sim.counters.txBytesDropped).toBeGreaterThan(10);
    expect(host.matching(/^ok$/).length).toBeLessThan(100);
  });

  test('the ok after a resend request can go missing', () => {
    const { host, sim, waitFor, wire } = bench({ faults: { missingOkAfterResendRate: 1 } });
    host.write(frameLine(2, 'M105'));
    waitFor(/^Resend: 1$/);
    wire.runFor(100);
    expect(host.matching(/^ok/)).toHaveLength(0);
    expect(sim.counters.oksOmittedAfterResend).toBe(1);
  });

  test('an ok can be duplicated', () => {
    const { host, sim, waitFor } = bench({ faults: { duplicateOkRate: 1 } });
    host.write(frameLine(1, 'M400'));
    waitFor(/^ok$/, 2);
    expect(sim.counters.oksDuplicated).toBe(1);
  });

  test('spurious resend requests reject good lines', () => {
    const { host, sim, wire } = bench({ faults: { spuriousResendRate: 0.3 }, seed: 9 });
    const sender = pingPong(host, commands.slice(0, 100));
    wire.runUntil(() => sender.done, { until: 600_000 });
    expect(sim.counters.resendsRequested).toBeGreaterThan(15);
    expect(sim.executionLog.map((e) => e.line)).toEqual(commands.slice(0, 100).map((_, i) => i + 1));
  });

  test('a spontaneous reset boots again and forgets everything queued', () => {
    const { host, sim, wire, waitFor } = bench({ faults: { events: [{ at: 2000, kind: 'reset' }] } });
    host.write(frameLine(1, 'G1 X100 F600'));
    host.write(frameLine(2, 'G1 X0 F600'));
    waitFor(/^ok/, 2);
    waitFor(/^start$/);
    expect(sim.counters.resets).toBe(1);
    expect(sim.plannedMoves).toBe(0);
    expect(sim.lastLineNumber).toBe(0);
    expect(sim.currentPosition.x).toBe(0);
    // Resets at a random rate too.
    const random = bench({ faults: { resetsPerHour: 3600 }, seed: 2 });
    random.wire.runFor(20_000);
    expect(random.sim.counters.resets).toBeGreaterThan(5);
    expect(random.host.matching(/^start$/).length).toBeGreaterThan(3);
  });

  test('thermal runaway is a fatal error that halts the printer', () => {
    const { host, sim, waitFor } = bench({ faults: { events: [{ at: 1500, kind: 'thermalRunaway' }] } });
    host.write(frameLine(1, 'M104 S200'));
    waitFor(/^Error:Printer halted/);
    expect(host.lines.map((l) => l.text).slice(-2)).toEqual([
      'Error:Thermal Runaway, system stopped! Heater_ID: 0',
      'Error:Printer halted. kill() called!',
    ]);
    expect(sim.state).toBe('halted');
  });

  test('a silent stall says nothing at all for its duration; a busy stall sends keepalives', () => {
    const { host, sim, wire } = bench({
      faults: { events: [{ at: 1000, kind: 'silentStall', durationMs: 10_000 }] },
    });
    host.write(frameLine(1, 'M155 S1'));
    wire.runUntil(1200);
    const before = host.lines.length;
    host.write(frameLine(2, 'M105'));
    wire.runUntil(10_900);
    expect(host.lines.length).toBe(before);
    wire.runUntil(11_500);
    expect(host.matching(/^ok T:/)).toHaveLength(1);
    expect(sim.counters.stalls).toBe(1);

    const busy = bench({ faults: { busyStallRate: 1, busyStallMs: 5000 } });
    busy.host.write(frameLine(1, 'M105'));
    busy.waitFor(/^ok/);
    expect(busy.host.matching(/^echo:busy: processing$/)).toHaveLength(2);
  });

  test('a silent stall can also hit random commands', () => {
    const { host, sim, wire } = bench({ faults: { silentStallRate: 0.1, silentStallMs: 3000 }, seed: 1 });
    const sender = pingPong(host, commands.slice(0, 50));
    wire.runUntil(() => sender.done, { until: 600_000 });
    expect(sim.counters.stalls).toBeGreaterThan(1);
    expect(host.matching(/busy/)).toHaveLength(0);
  });
});

describe('controls', () => {
  test('reset() reboots like DTR on port open: banner again, line numbers and moves forgotten', () => {
    const { host, sim, wire, waitFor } = bench();
    host.write(frameLine(1, 'G1 X50 F600'));
    host.write(frameLine(2, 'G1 X0 F600'));
    waitFor(/^ok/, 2);
    sim.reset(wire.now);
    expect(sim.state).toBe('booting');
    waitFor(/^start$/);
    expect(sim.state).toBe('ready');
    expect(sim.plannedMoves).toBe(0);
    expect(sim.lastLineNumber).toBe(0);
    host.write(frameLine(1, 'M105'));
    waitFor(/^ok T:/);
  });

  test('inject() stalls the firmware on demand, with keepalives for a busy stall', () => {
    const { host, sim, wire, waitFor } = bench();
    sim.inject('busyStall', wire.now, 4500);
    host.write(frameLine(1, 'M105'));
    const ok = waitFor(/^ok/);
    expect(host.matching(/^echo:busy: processing$/)).toHaveLength(2);
    expect(ok[0].at).toBeGreaterThan(4500);
  });

  test('the execution log can be bounded for long real-time runs', () => {
    const { host, sim, wire } = bench({ bufsize: 8, rxBufferSize: 1024 });
    sim.executionLogLimit = 10;
    const sender = pingPong(host, Array.from({ length: 30 }, (_, i) => `M117 step ${i}`));
    wire.runUntil(() => sender.done, { until: 60_000 });
    expect(sim.executionLog.length).toBeLessThanOrEqual(10);
    expect(sim.executionLog.at(-1)?.command).toBe('M117 step 29');
    expect(sim.counters.commandsExecuted).toBe(30);
  });
});

describe('determinism', () => {
  test('the same seed and inputs replay the same run', () => {
    const run = () => {
      const { host, sim, wire } = bench({ faults: { rx: { corruptRate: 0.01 }, tx: { corruptRate: 0.01 }, duplicateOkRate: 0.05 }, seed: 21 });
      const sender = pingPong(host, Array.from({ length: 100 }, (_, i) => `G1 X${i} F6000`));
      wire.runUntil(() => sender.done, { until: 100_000 });
      return JSON.stringify([host.lines, sim.executionLog, sim.counters]);
    };
    expect(run()).toBe(run());
  });
});

describe('other firmwares', () => {
  test('Repetier words a gap as "expected line N got M", asks without a space, skips what follows, and asks again when nothing comes', () => {
    const { host, sim, wire, waitFor } = bench({ dialect: 'repetier' });
    host.write(frameLine(1, 'M105'));
    waitFor(/^ok/);
    host.write(frameLine(3, 'M105'));
    host.write(frameLine(4, 'M105'));
    waitFor(/^skip 4$/);
    wire.runFor(5);
    const texts = host.lines.map((l) => l.text);
    const error = texts.indexOf('Error:expected line 2 got 3');
    expect(error).toBeGreaterThan(0);
    expect(texts.slice(error, error + 6)).toEqual(['Error:expected line 2 got 3', '', 'Resend:2', 'ok', 'skip 4', 'ok']);
    // Nothing for 200 ms while a resend is awaited: the request is repeated.
    wire.runFor(450);
    expect(host.matching(/^Resend:2$/)).toHaveLength(3);
    host.write(frameLine(2, 'M105'));
    waitFor(/^ok T:/);
    wire.runFor(1000);
    expect(host.matching(/^Resend:2$/)).toHaveLength(3);
    expect(sim.executionLog.map((e) => e.line)).toEqual([1, 2]);
  });

  test('Smoothieware asks with "rs N<n>" and prints no error line', () => {
    const { host, waitFor } = bench({ dialect: 'smoothieware', okAfterResend: false });
    host.write(frameLine(1, 'M105'));
    waitFor(/^ok/);
    host.write('N2 M105*0\n');
    waitFor(/^rs N2$/);
    expect(host.matching(/^Error/)).toHaveLength(0);
  });

  test('M110 from the prefix: `N7 M110 N0` sets the last line to 7 there, to 0 in Marlin', () => {
    for (const [m110FromPrefix, last] of [[true, 7], [false, 0]] as const) {
      const { host, sim, waitFor } = bench({ m110FromPrefix });
      host.write(frameLine(7, 'M110 N0'));
      waitFor(/^ok/);
      expect(sim.lastLineNumber).toBe(last);
    }
  });

  test('M114 answered in the ok line, and M115 acknowledged before its report', () => {
    const { host, waitFor } = bench({ positionInOk: true, okBeforeReport: true });
    host.write(frameLine(1, 'G92 X10 Y20 Z0.3'));
    host.write(frameLine(2, 'M114'));
    waitFor(/^ok C: X:/);
    expect(host.matching(/^ok C: /)[0]!.text).toBe('ok C: X:10.0000 Y:20.0000 Z:0.3000 E:0.0000');
    host.write(frameLine(3, 'M115'));
    waitFor(/^FIRMWARE_NAME:/);
    const texts = host.lines.map((l) => l.text);
    expect(texts.indexOf('ok', texts.indexOf('ok C: X:10.0000 Y:20.0000 Z:0.3000 E:0.0000') + 1)).toBeLessThan(texts.findIndex((t) => t.startsWith('FIRMWARE_NAME:')));
  });
});
