import { describe, expect, it } from 'vitest';
import { EngineProbe, bytesOf, commandOf, lineNumberOf } from './engine-test-kit.js';
import { frameLine } from './line-framing.js';

const JOB = { jobId: 'j1', gcodeId: 'g1', fileName: 'cube.gcode' };

function startJob(p: EngineProbe, text: string): void {
  const bytes = bytesOf(text);
  expect(p.engine.startJob({ ...JOB, totalBytes: bytes.length }, p.now)).toEqual({ ok: true });
  expect(p.engine.wantsJobData()).toBe(true);
  p.engine.markJobDataRequested();
  p.engine.feedJob(bytes, true, p.now);
  p.collect();
}

/** Acknowledges the M110 that starts every job. */
function ackJobSync(p: EngineProbe): void {
  const w = p.written();
  expect(commandOf(w[0]!)).toBe('M110 N0');
  expect(w).toHaveLength(1);
  p.feed('ok\n');
}

describe('handshake', () => {
  it('waits for the boot banner, sends M110 N0 then M115, reads Cap: lines and turns on autoreport', () => {
    const p = new EngineProbe();
    p.engine.connect(0);
    expect(p.written()).toEqual([]);
    p.handshake({ AUTOREPORT_TEMP: 1, AUTOREPORT_POS: 1, EMERGENCY_PARSER: 1 });
    const fw = p.eventsOf('firmware')[0]!.firmware;
    expect(fw.name).toBe('Marlin 2.1.2.1 (Github)');
    expect(fw.capabilities).toMatchObject({ AUTOREPORT_TEMP: true, AUTOREPORT_POS: true, EMERGENCY_PARSER: true });
    expect(fw.fields['EXTRUDER_COUNT']).toBe('1');
    expect(p.engine.connectionState).toBe('idle');
    // Marlin gets fast mode, so both go at once.
    expect(p.written().map(commandOf)).toEqual(['M155 S1', 'M154 S1']);
  });

  it('says hello with M110 when no banner comes, and proceeds on ok', () => {
    const p = new EngineProbe({ bootWaitMs: 1000 });
    p.engine.connect(0);
    p.advance(999);
    expect(p.written()).toEqual([]);
    p.advance(2);
    expect(p.written()).toContain('M110 N0');
    p.feed('ok\n');
    expect(p.written()).toEqual(['N0 M110 N0*125']);
  });

  it('a handshake step retried after a lost ok identifies the firmware once, not twice', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.engine.connect(0);
    p.feed('start\n');
    expect(p.written()).toEqual(['N0 M110 N0*125']);
    p.feed('ok\n');
    expect(p.written().map(commandOf)).toEqual(['M115']);
    // The answer comes, its ok is lost: the step times out and starts over from M110.
    p.feed('FIRMWARE_NAME:Marlin 2.1.2.1 (Github) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin\nCap:AUTOREPORT_TEMP:1\nnk\n');
    p.advance(5_000);
    expect(p.written().map(commandOf)).toEqual(['M110 N0']);
    p.feed('ok\n');
    expect(p.written().map(commandOf)).toEqual(['M115']);
    p.feed('FIRMWARE_NAME:Marlin 2.1.2.1 (Github) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin\nCap:AUTOREPORT_TEMP:1\nok\n');
    expect(p.engine.connectionState).toBe('idle');
    expect(p.written().map(commandOf)).toEqual(['M155 S1']);
    p.feed('ok\n');
    p.advance(10);
    expect(p.written()).toEqual([]);
    expect(p.eventsOf('firmware')).toHaveLength(1);
  });

  it('gives up with a plain error when the printer never answers', () => {
    const p = new EngineProbe({ bootWaitMs: 100, handshakeAttempts: 2 });
    p.engine.connect(0);
    p.advance(20_000);
    expect(p.engine.connectionState).toBe('error');
    expect(p.eventsOf('error')[0]!.error.message).toMatch(/did not answer/);
  });

  it('tells a wrong baud rate (unreadable bytes) from silence', () => {
    const p = new EngineProbe({ bootWaitMs: 100, handshakeAttempts: 2 });
    p.engine.connect(0);
    p.feed('\u00f8\u0087\u00e3\u0011\u00fe\u0080\u00c3\n\u00f0\u0091');
    p.advance(20_000);
    expect(p.engine.connectionState).toBe('error');
    expect(p.eventsOf('error')[0]!.error.message).toMatch(/answered, but its replies are unreadable: the baud rate is wrong/);
  });

  it('polls M105 without autoreport, never more than one outstanding', () => {
    const p = new EngineProbe({ pollIntervalMs: 1000, flowControl: 'safe' });
    p.handshake({});
    p.advance(1000);
    expect(p.written().map(commandOf)).toEqual(['M105']);
    p.advance(10_000);
    expect(p.written()).toEqual([]);
    p.feed('ok T:20.0 /0.0 B:21.0 /0.0 @:0 B@:0\n');
    expect(p.eventsOf('temperatures').at(-1)!.readings).toEqual([
      { heater: 'T0', current: 20, target: 0 },
      { heater: 'B', current: 21, target: 0 },
    ]);
    p.advance(999);
    expect(p.written()).toEqual([]);
    p.advance(1);
    expect(p.written().map(commandOf)).toEqual(['M105']);
  });

  it('chooses fast mode for Marlin and safe mode for firmware it cannot vouch for, and says why', () => {
    const a = new EngineProbe();
    a.handshake({});
    expect(a.eventsOf('flow')[0]).toMatchObject({ mode: 'fast' });
    const b = new EngineProbe();
    b.handshake({}, 'RepRapFirmware 3.4');
    expect(b.eventsOf('flow')[0]).toMatchObject({ mode: 'safe' });
  });
});

describe('terminal commands', () => {
  it('frames commands with line numbers and checksums, stripping comments', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    expect(p.engine.send('G28 ; home', p.now)).toEqual({ ok: true });
    const w = p.written();
    expect(w).toHaveLength(1);
    expect(commandOf(w[0]!)).toBe('G28');
    expect(w[0]).toBe(frameLine(lineNumberOf(w[0]!), 'G28'));
  });

  it('refuses temperatures above the profile limits with a clear message', () => {
    const p = new EngineProbe();
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    const r = p.engine.send('M104 S300', p.now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/hotend to 300 °C, above this printer's limit of 260 °C/);
    expect(p.engine.send('M190 S120', p.now).ok).toBe(false);
    expect(p.engine.send('M140 S100', p.now).ok).toBe(true);
    expect(p.written().map(commandOf)).toEqual(['M140 S100']);
  });

  it('sends M108 out of band only when the firmware has an emergency parser', () => {
    const a = new EngineProbe();
    a.handshake({ AUTOREPORT_TEMP: 1, EMERGENCY_PARSER: 1 });
    a.ackAll();
    a.engine.send('M108', a.now);
    expect(a.written()).toEqual(['M108']);
    const b = new EngineProbe();
    b.handshake({ AUTOREPORT_TEMP: 1 });
    b.ackAll();
    b.engine.send('M108', b.now);
    expect(b.written().map(commandOf)).toEqual(['M108']);
    expect(lineNumberOf(b.written()[0] ?? 'N5')).not.toBeNaN();
  });

  it('reports non-fatal errors without stopping, and fatal ones by stopping the job', () => {
    const p = new EngineProbe();
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    p.feed('echo:Unknown command: "G999"\n');
    expect(p.eventsOf('error').at(-1)!.error).toMatchObject({ code: 'unknown-command', fatal: false });
    expect(p.engine.connectionState).toBe('idle');
    startJob(p, 'G1 X1\nG1 X2\nG1 X3\n');
    ackJobSync(p);
    p.feed('Error:Thermal Runaway, system stopped! Heater_ID: 0\nError:Printer halted. kill() called!\n');
    expect(p.engine.jobState).toBe('failed');
    expect(p.engine.connectionState).toBe('error');
    expect(p.eventsOf('error').at(-1)!.error.message).toMatch(/thermal runaway/);
  });
});

describe('flow control', () => {
  it('safe mode keeps exactly one line in flight', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, Array.from({ length: 20 }, (_, i) => `G1 X${i}`).join('\n'));
    ackJobSync(p);
    let sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const w = p.written();
      expect(w).toHaveLength(1);
      sent.push(commandOf(w[0]!));
      p.feed('ok\n');
    }
    expect(sent).toEqual(Array.from({ length: 20 }, (_, i) => `G1 X${i}`));
    expect(p.engine.jobState).toBe('completed');
  });

  it('fast mode counts characters against the receive buffer', () => {
    const p = new EngineProbe({ flowControl: 'fast', receiveBufferBytes: 64 });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, Array.from({ length: 50 }, (_, i) => `G1 X${100 + i} Y${100 + i}`).join('\n'));
    ackJobSync(p);
    const w = p.written();
    const size = (lines: string[]): number => lines.reduce((a, l) => a + l.length + 1, 0);
    // The oldest line is being executed, out of the buffer; the others must fit in its 63 usable bytes.
    expect(w.length).toBeGreaterThan(2);
    expect(size(w.slice(1))).toBeLessThanOrEqual(63);
    expect(size(w.slice(1)) + w[0]!.length + 1).toBeGreaterThan(63);
    p.feed('ok\n');
    const more = p.written();
    expect(more.length).toBeGreaterThanOrEqual(1);
    expect(size([...w.slice(2), ...more])).toBeLessThanOrEqual(63);
  });

  it('fast mode with ADVANCED_OK is also bounded by the free command slots', () => {
    const p = new EngineProbe({ flowControl: 'fast', receiveBufferBytes: 1024 });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, Array.from({ length: 500 }, (_, i) => `G1 X${i}`).join('\n'));
    ackJobSync(p);
    const first = p.written();
    expect(first.length).toBeGreaterThan(3);
    // The firmware says: line acknowledged, 0 command slots free.
    p.feed(`ok N${lineNumberOf(first[0]!)} P10 B0\n`);
    expect(p.written()).toEqual([]);
    p.feed(`ok N${lineNumberOf(first[1]!)} P10 B3\n`);
    const next = p.written();
    expect(next.length).toBeGreaterThan(0);
  });

  it('on a link with exact timing, ignores an ok for a line that cannot have reached the firmware yet (a repeated ok)', () => {
    const p = new EngineProbe({ flowControl: 'safe', exactLinkBaud: 115200 });
    // (115200 baud: 14 bytes take 1.2 ms.)
    p.handshake({ AUTOREPORT_TEMP: 1 });
    expect(p.written().map(commandOf)).toEqual(['M155 S1']);
    p.advance(100);
    p.feed('ok\n');
    p.advance(100);
    startJob(p, 'G1 X1\nG1 X2\nG1 X3\n');
    p.advance(10);
    ackJobSync(p);
    const first = p.written();
    p.advance(5); // G1 X1 (14 bytes) is on the printer by now
    p.feed('ok\n');
    const second = p.written();
    expect(second.map(commandOf)).toEqual(['G1 X2']);
    p.feed('ok\n'); // the same instant: G1 X2 is still on its way, so this is a repeat of the last ok
    expect(p.written()).toEqual([]);
    p.advance(5);
    p.feed('ok\n');
    expect(p.written().map(commandOf)).toEqual(['G1 X3']);
    expect(first.map(commandOf)).toEqual(['G1 X1']);
  });

  it('over a real port, an ok that comes back at the very instant its line was handed over counts (no timing judgement)', () => {
    // Native-USB boards and replies handled in batches: the clock says "too early", the ok is real.
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nM104 S0\nM140 S0\n');
    ackJobSync(p);
    for (const expected of ['G1 X1', 'M104 S0', 'M140 S0']) {
      expect(p.written().map(commandOf)).toEqual([expected]);
      p.feed('ok\n'); // same p.now as the write
    }
    expect(p.engine.jobState).toBe('completed');
    expect(p.eventsOf('log').flatMap((e) => e.lines).some((l) => /extra "ok"/.test(l.text))).toBe(false);
  });

  it('an ok cannot acknowledge a line the transport has not been handed yet', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\n');
    ackJobSync(p);
    expect(p.written().map(commandOf)).toEqual(['G1 X1']);
    // The driver feeds two replies without handing over what the first one let the engine write.
    p.engine.receive(bytesOf('ok\n'), p.now);
    p.engine.receive(bytesOf('ok\n'), p.now);
    expect(p.written().map(commandOf)).toEqual(['G1 X2']);
    expect(p.engine.jobState).toBe('printing');
    p.feed('ok\n');
    expect(p.engine.jobState).toBe('completed');
  });

  it('the ok of a garbled line the firmware ran as an unknown command acknowledges none of ours', () => {
    const p = new EngineProbe({ flowControl: 'fast' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, Array.from({ length: 20 }, (_, i) => `G1 X${i}`).join('\n'));
    ackJobSync(p);
    const sent = p.written();
    const first = lineNumberOf(sent[0]!);
    // The tail of a line cut off by a buffer flush, run as a command of its own.
    p.feed('echo:Unknown command: "0.058 E1047.06667"\nok\n');
    expect(p.written()).toEqual([]);
    expect(p.eventsOf('error').filter((e) => e.error.code === 'unknown-command')).toEqual([]);
    // Our own unknown command is still ours.
    p.feed('ok\n');
    const next = p.written();
    expect(next.length).toBeGreaterThan(0);
    expect(lineNumberOf(next[0]!)).toBeGreaterThan(lineNumberOf(sent.at(-1)!));
    expect(first).toBeGreaterThan(0);
    const q = new EngineProbe({ flowControl: 'safe' });
    q.handshake({ AUTOREPORT_TEMP: 1 });
    q.ackAll();
    q.engine.send('M1234 S1', q.now);
    expect(q.written().map(commandOf)).toEqual(['M1234 S1']);
    q.feed('echo:Unknown command: "M1234 S1"\nok\n');
    expect(q.eventsOf('error').at(-1)!.error).toMatchObject({ code: 'unknown-command', fatal: false });
    q.engine.send('G4 P0', q.now);
    expect(q.written().map(commandOf)).toEqual(['G4 P0']);
  });

  it('the ok after a resend request whose Resend: line arrived garbled is not taken for a line', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\n');
    ackJobSync(p);
    const [line] = p.written();
    const n = lineNumberOf(line!);
    p.feed(`Error:checksum mismatch, Last Line: ${n - 1}\nRes\u00e5nd: ${n}\nok\n`);
    // Still waiting for G1 X1: nothing new goes out on the strength of that ok.
    expect(p.written()).toEqual([]);
    expect(p.engine.jobState).toBe('printing');
  });

  it('falls back to safe mode after repeated trouble and says so', () => {
    const p = new EngineProbe({ flowControl: 'fast', troubleLimit: 3 });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, Array.from({ length: 50 }, (_, i) => `G1 X${i}`).join('\n'));
    ackJobSync(p);
    let w = p.written();
    for (let k = 0; k < 3; k++) {
      const n = lineNumberOf(w[0]!);
      p.feed(`Error:checksum mismatch, Last Line: ${n - 1}\nResend: ${n}\nok\n`);
      expect(p.written().map(lineNumberOf)).toEqual([n]);
      p.feed('ok\n');
      w = p.written();
    }
    const flow = p.eventsOf('flow').at(-1)!;
    expect(flow.mode).toBe('safe');
    expect(flow.reason).toMatch(/safe mode/);
    expect(p.engine.currentFlowMode).toBe('safe');
  });
});

describe('resend requests', () => {
  function printing(mode: 'safe' | 'fast'): EngineProbe {
    const p = new EngineProbe({ flowControl: mode, receiveBufferBytes: 128 });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, Array.from({ length: 40 }, (_, i) => `G1 X${i}`).join('\n'));
    ackJobSync(p);
    return p;
  }

  it('resends from the requested line and consumes the ok that follows Resend:', () => {
    const p = printing('safe');
    const a = p.written();
    const n = lineNumberOf(a[0]!);
    p.feed(`Error:checksum mismatch, Last Line: ${n - 1}\nResend: ${n}\nok\n`);
    expect(p.written()).toEqual(a);
    p.feed('ok\n');
    expect(lineNumberOf(p.written()[0]!)).toBe(n + 1);
  });

  it('fast mode resets the window and restarts from the requested line, ignoring stale duplicates', () => {
    const p = printing('fast');
    const sent = p.written();
    expect(sent.length).toBeGreaterThan(3);
    const first = lineNumberOf(sent[0]!);
    p.feed('ok\n'); // first line executed
    p.written();
    const bad = first + 1;
    p.feed(`Error:checksum mismatch, Last Line: ${first}\nResend: ${bad}\nok\n`);
    const resent = p.written();
    // Only the requested line goes until it is acknowledged (the buffer drains first).
    expect(resent.map(lineNumberOf)).toEqual([bad]);
    // Lines that were already on their way produce stale requests for the same line: ignored.
    p.feed(`Error:Line Number is not Last Line Number+1, Last Line: ${first}\nResend: ${bad}\nok\n`);
    p.feed(`Error:Line Number is not Last Line Number+1, Last Line: ${first}\nResend: ${bad}\nok\n`);
    expect(p.written()).toEqual([]);
    p.feed('ok\n');
    const after = p.written().map(lineNumberOf);
    expect(after[0]).toBe(bad + 1);
    expect(after.length).toBeGreaterThan(1);
  });

  it('ignores a request for a line not yet sent', () => {
    const p = printing('safe');
    const a = p.written();
    p.feed(`Error:Line Number is not Last Line Number+1, Last Line: ${lineNumberOf(a[0]!) + 49}\nResend: ${lineNumberOf(a[0]!) + 50}\nok\n`);
    expect(p.written()).toEqual([]);
    p.feed('ok\n');
    expect(lineNumberOf(p.written()[0]!)).toBe(lineNumberOf(a[0]!) + 1);
  });

  it('a resend whose ok never comes is caught by the watchdog, which asks where the firmware stands', () => {
    const p = printing('fast');
    const sent = p.written();
    const n = lineNumberOf(sent[0]!);
    p.feed(`Error:checksum mismatch, Last Line: ${n - 1}\nResend: ${n}\n`);
    // The request's own ok is awaited briefly, so that the next ok surely belongs to the resent line.
    expect(p.written()).toEqual([]);
    p.advance(150);
    expect(p.written().map(lineNumberOf)).toEqual([n]);
    // Neither the resend's ok nor the line's: after the watchdog a probe with an impossible line number.
    p.advance(2_500);
    const probe = p.written();
    expect(probe).toHaveLength(1);
    expect(commandOf(probe[0]!)).toBe('M105');
    // A number that can never be the next one, so Marlin answers with where it stands.
    expect(lineNumberOf(probe[0]!)).toBe(lineNumberOf(sent.at(-1)!) + 2);
    // The firmware did get line n: it asks for n+1, so n counts as done and sending goes on.
    p.feed(`Error:Line Number is not Last Line Number+1, Last Line: ${n}\nResend: ${n + 1}\nok\n`);
    expect(lineNumberOf(p.written()[0]!)).toBe(n + 1);
  });

  it('does not act on a garbled resend request, and asks the firmware instead', () => {
    const p = printing('fast');
    const sent = p.written();
    // "Resend: 3" with no matching error line (its digits may have been garbled): probe, don't rewind.
    p.feed('Resend: 3\nok\n');
    const w = p.written();
    expect(w).toHaveLength(1);
    expect(commandOf(w[0]!)).toBe('M105');
    expect(lineNumberOf(w[0]!)).toBe(lineNumberOf(sent.at(-1)!) + 2);
  });

  it('stops with an error after the same line is requested again and again', () => {
    const p = printing('safe');
    let w = p.written();
    const n = lineNumberOf(w[0]!);
    for (let i = 0; i < 13; i++) {
      p.feed(`Error:checksum mismatch, Last Line: ${n - 1}\nResend: ${n}\nok\n`);
      w = p.written();
    }
    expect(p.engine.jobState).toBe('failed');
    expect(p.eventsOf('error').at(-1)!.error.message).toMatch(new RegExp(`asked for line ${n} again and again`));
  });
});

describe('timeouts', () => {
  it('probes after 30 s of silence, and recovers a lost ok without skipping or repeating a line', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\nG1 X3\n');
    ackJobSync(p);
    const l1 = p.written();
    p.advance(29_000);
    expect(p.written()).toEqual([]);
    p.advance(1_500);
    const probe = p.written();
    expect(commandOf(probe[0]!)).toBe('M105');
    const n = lineNumberOf(l1[0]!);
    p.feed(`Error:Line Number is not Last Line Number+1, Last Line: ${n}\nResend: ${n + 1}\nok\n`);
    expect(p.written().map(commandOf)).toEqual(['G1 X2']);
  });

  it('counts silence from a command sent after an idle spell, not from the last answer before it', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    // Idle for a minute: only temperature autoreports, which prove nothing about the command stream.
    for (let i = 0; i < 60; i++) {
      p.advance(1_000);
      p.feed('T:21.0 /0.0 B:20.5 /0.0 @:0 B@:0\n');
    }
    expect(p.written()).toEqual([]);
    expect(p.engine.send('G91', p.now)).toEqual({ ok: true });
    expect(p.written().map(commandOf)).toEqual(['G91']);
    p.advance(50);
    expect(p.written()).toEqual([]);
    p.feed('ok\n');
    // A printer that really stopped answering is still caught, 30 s after the command went out.
    expect(p.engine.send('M114', p.now)).toEqual({ ok: true });
    expect(p.written().map(commandOf)).toEqual(['M114']);
    p.advance(29_000);
    expect(p.written()).toEqual([]);
    p.advance(1_500);
    expect(p.written().map(commandOf)).toEqual(['M105']);
  });

  it('a lost line (not just its ok) is sent again after the probe', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\n');
    ackJobSync(p);
    const l1 = p.written();
    p.advance(31_000);
    p.written();
    const n = lineNumberOf(l1[0]!);
    p.feed(`Error:Line Number is not Last Line Number+1, Last Line: ${n - 1}\nResend: ${n}\nok\n`);
    expect(p.written()).toEqual(l1);
  });

  it('allows long-running and heating commands more time, and only a few seconds once busy: was seen', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    p.engine.send('G29', p.now);
    p.written();
    p.advance(120_000);
    expect(p.written()).toEqual([]);
    p.feed('ok\n');
    p.engine.send('M109 S200', p.now);
    p.written();
    expect(p.engine.connectionState).toBe('heating');
    p.advance(600_000);
    expect(p.written()).toEqual([]);
    p.feed('ok\n');
    expect(p.engine.connectionState).toBe('idle');
    p.engine.send('G28', p.now);
    p.written();
    p.feed('echo:busy: processing\n');
    p.advance(3_000);
    expect(p.written()).toEqual([]);
    p.advance(1_000);
    expect(p.written().map(commandOf)).toEqual(['M105']);
  });

  it('a heating wait whose W: reports stop is probed within seconds, though autoreports go on', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    p.engine.send('M109 S200', p.now);
    p.written();
    for (let i = 0; i < 5; i++) {
      p.advance(1_000);
      p.feed(`T:${150 + i * 10}.0 /200.0 B:20.0 /0.0 @:127 B@:0 W:?\n`);
    }
    expect(p.written()).toEqual([]);
    // The wait ended but its ok was lost; the firmware's autoreports (no W:) prove nothing about it.
    for (let i = 0; i < 4; i++) {
      p.advance(1_000);
      p.feed('T:200.0 /200.0 B:20.0 /0.0 @:60 B@:0\n');
    }
    expect(p.written().map(commandOf)).toEqual(['M105']);
  });

  it('a resend request naming a line long gone (a garbled number) is checked with a probe, not fatal', () => {
    const p = new EngineProbe({ flowControl: 'safe', historyDepth: 256 });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, Array.from({ length: 400 }, (_, i) => `G1 X${i}`).join('\n'));
    ackJobSync(p);
    for (let i = 0; i < 350; i++) {
      expect(p.written()).toHaveLength(1);
      p.feed('ok\n');
    }
    const [line] = p.written();
    const n = lineNumberOf(line!);
    // "Last Line: 3" and "Resend: 4" both lost the same leading digits.
    p.feed('Error:Line Number is not Last Line Number+1, Last Line: 3\nResend: 4\nok\n');
    const probe = p.written();
    expect(probe.map(commandOf)).toEqual(['M105']);
    expect(p.engine.jobState).toBe('printing');
    // The real answer: the line arrived.
    p.feed(`Error:Line Number is not Last Line Number+1, Last Line: ${n}\nResend: ${n + 1}\nok\n`);
    expect(p.written().map(lineNumberOf)).toEqual([n + 1]);
  });

  it('declares the link dead after several unanswered probes', () => {
    const p = new EngineProbe({ flowControl: 'safe', maxProbes: 3 });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\n');
    ackJobSync(p);
    p.advance(200_000);
    expect(p.engine.jobState).toBe('failed');
    expect(p.eventsOf('error').at(-1)!.error.message).toMatch(/stopped answering/);
  });
});

describe('jobs', () => {
  it('streams a job read incrementally and reports progress by bytes and lines', () => {
    const p = new EngineProbe({ flowControl: 'safe', progressIntervalMs: 0 });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    const lines = Array.from({ length: 2000 }, (_, i) => `G1 X${i % 100} ; c`);
    const text = `;LAYER_COUNT:2\n;LAYER:0\n${lines.slice(0, 1000).join('\n')}\n;LAYER:1\n${lines.slice(1000).join('\n')}\n`;
    const bytes = bytesOf(text);
    expect(p.engine.startJob({ ...JOB, totalBytes: bytes.length }, p.now).ok).toBe(true);
    let offset = 0;
    const sent: string[] = [];
    let requests = 0;
    for (let guard = 0; guard < 100_000; guard++) {
      if (p.engine.wantsJobData()) {
        requests++;
        p.engine.markJobDataRequested();
        const end = Math.min(bytes.length, offset + 1000);
        p.engine.feedJob(bytes.subarray(offset, end), end === bytes.length, p.now);
        offset = end;
      }
      const w = p.written();
      if (w.length === 0 && p.engine.jobState === 'completed') break;
      sent.push(...w.map(commandOf));
      p.feed(w.map(() => 'ok\n').join(''));
    }
    expect(requests).toBeGreaterThan(3);
    expect(sent.slice(1)).toEqual(lines.map((l) => l.replace(' ; c', '')));
    const jobs = p.eventsOf('job');
    const last = jobs.at(-1)!.job;
    expect(last.state).toBe('completed');
    expect(last.bytesSent).toBe(bytes.length);
    expect(last.layerCount).toBe(2);
    expect(jobs.some((j) => j.job.layer === 1)).toBe(true);
    expect(jobs.some((j) => j.job.bytesSent > 0 && j.job.bytesSent < bytes.length)).toBe(true);
  });

  it('refuses a job line above the temperature limits, naming the line', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nM104 S300\nG1 X2\n');
    ackJobSync(p);
    p.ackAll();
    expect(p.engine.jobState).toBe('failed');
    expect(p.eventsOf('job').at(-1)!.job.reason).toMatch(/Line 2 was refused/);
  });

  it("skips a file's own M110, which would break the host's line numbering", () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nM110 N0\nG1 X2\n');
    ackJobSync(p);
    expect(p.ackAll().map(commandOf)).toEqual(['G1 X1', 'G1 X2']);
    expect(p.engine.jobState).toBe('completed');
  });

  it('turns M0 in a job into a host pause, resumes after it', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1 F1200\nM0 Change filament\nG1 X2\n');
    ackJobSync(p);
    const seq: string[] = [];
    for (let i = 0; i < 20; i++) {
      const w = p.written();
      if (!w.length) break;
      seq.push(...w.map(commandOf));
      if (w.some((l) => commandOf(l) === 'M114')) p.feed('X:1.00 Y:0.00 Z:0.20 E:3.00 Count X:0 Y:0 Z:0\n');
      p.feed('ok\n');
    }
    expect(seq).not.toContain('M0 Change filament');
    expect(seq.slice(0, 4)).toEqual(['G1 X1 F1200', 'M400', 'M114', 'M83']);
    expect(p.engine.jobState).toBe('paused');
    expect(p.engine.connectionState).toBe('paused');
    expect(p.engine.resume(p.now).ok).toBe(true);
    const after = p.ackAll().map(commandOf);
    expect(after).toContain('G1 X1 Y0 F6000');
    expect(after).toContain('G1 Z0.2 F600');
    expect(after).toContain('G92 E3');
    expect(after).toContain('G1 F1200');
    expect(after.at(-1)).toBe('G1 X2');
    expect(p.engine.jobState).toBe('completed');
  });

  it('pause drains, captures the position, runs the profile script; resume restores temperatures and modes', () => {
    const p = new EngineProbe({ flowControl: 'safe', scripts: { pause: 'G91\nG1 Z5\nG90', resume: '' } });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'M140 S60\nM104 S210\nM83\nG1 X5 Y5 F3000\nG1 X6 E1\nG1 X7 E1\nG1 X8 E1\n');
    ackJobSync(p);
    const first: string[] = [];
    for (let i = 0; i < 5; i++) {
      const w = p.written();
      first.push(...w.map(commandOf));
      p.feed('ok\n');
    }
    expect(p.engine.pause(p.now).ok).toBe(true);
    const seq: string[] = [];
    for (let i = 0; i < 20; i++) {
      const w = p.written();
      if (!w.length) break;
      seq.push(...w.map(commandOf));
      if (w.some((l) => commandOf(l) === 'M114')) p.feed('X:6.00 Y:5.00 Z:0.30 E:12.00 Count X:0 Y:0 Z:0\n');
      p.feed('ok\n');
    }
    // The line already in flight completes first.
    expect(seq).toEqual(['G1 X7 E1', 'M400', 'M114', 'G91', 'G1 Z5', 'G90']);
    expect(p.engine.jobState).toBe('paused');
    p.engine.resume(p.now);
    const res = p.ackAll().map(commandOf);
    expect(res.slice(0, 4)).toEqual(['M140 S60', 'M104 T0 S210', 'M190 S60', 'M109 T0 S210']);
    expect(res).toContain('G1 X6 Y5 F6000');
    expect(res).toContain('M83');
    expect(res.indexOf('G1 F3000')).toBeGreaterThan(res.indexOf('G92 E12'));
    expect(res.at(-1)).toBe('G1 X8 E1');
  });

  it('cancel sends M108 out of band during a heating wait (with emergency parser), then the cancel script', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1, EMERGENCY_PARSER: 1 });
    p.ackAll();
    startJob(p, 'M109 S200\nG1 X1\n');
    ackJobSync(p);
    expect(p.written().map(commandOf)).toEqual(['M109 S200']);
    expect(p.engine.cancel(p.now).ok).toBe(true);
    expect(p.written()).toEqual(['M108']);
    p.feed('ok\nok\n');
    const script = p.ackAll().map(commandOf);
    expect(script).toEqual(['M104 S0', 'M140 S0', 'M107', 'G91', 'G1 Z10 F600', 'G90', 'M84']);
    expect(p.engine.jobState).toBe('cancelled');
    expect(p.engine.connectionState).toBe('idle');
  });

  it('a reset mid-print (start) stops the job and resynchronises', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\nG1 X3\n');
    ackJobSync(p);
    p.written();
    p.feed('start\n');
    expect(p.engine.jobState).toBe('interrupted');
    expect(p.eventsOf('job').at(-1)!.job.reason).toMatch(/restarted/);
    expect(p.written()).toEqual(['N0 M110 N0*125']);
    p.feed('ok\n');
    expect(commandOf(p.written()[0]!)).toBe('M115');
  });

  it('a cable pull marks the job interrupted', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\n');
    ackJobSync(p);
    p.engine.transportLost(p.now, 'The USB cable was unplugged.');
    p.collect();
    expect(p.engine.jobState).toBe('interrupted');
    expect(p.engine.connectionState).toBe('disconnected');
  });
});

describe('more replies', () => {
  it('asks for SD status autoreport when the firmware offers it with an SD card', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1, AUTOREPORT_SD_STATUS: 1, SDCARD: 1 });
    expect(p.ackAll().map(commandOf)).toEqual(['M155 S1', 'M27 S2']);
  });

  it('"wait" from an idle firmware while lines are in flight makes the host ask where it stands', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\n');
    ackJobSync(p);
    const l = p.written();
    p.feed('wait\n');
    const probe = p.written();
    expect(commandOf(probe[0]!)).toBe('M105');
    expect(lineNumberOf(probe[0]!)).toBe(lineNumberOf(l[0]!) + 2);
  });

  it('after a fatal stop, M999 or a reset of the printer brings the connection back', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    p.feed('Error:Printer stopped due to errors. Fix the error and use M999 to restart.\n');
    expect(p.engine.connectionState).toBe('error');
    p.advance(60_000);
    expect(p.written()).toEqual([]); // no polling into a stopped firmware
    expect(p.engine.send('M999', p.now).ok).toBe(true);
    expect(p.written()).toEqual(['M999', 'N0 M110 N0*125']);
    p.feed('ok\n');
    expect(commandOf(p.written()[0]!)).toBe('M115');
    const q = new EngineProbe({ flowControl: 'safe' });
    q.handshake({ AUTOREPORT_TEMP: 1 });
    q.ackAll();
    q.feed('Error:MAXTEMP triggered, system stopped! Heater_ID: 0\n');
    q.feed('start\n');
    expect(q.written()).toEqual(['N0 M110 N0*125']);
  });
});

describe('emergency and host actions', () => {
  it('emergency stop puts M112 ahead of everything, then heaters off', () => {
    const p = new EngineProbe({ flowControl: 'fast' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\nG1 X3\n');
    expect(p.written().map(commandOf)).toEqual(['M110 N0']);
    // The job's lines, written by the engine but not yet taken by the transport, come after M112.
    p.engine.receive(bytesOf('ok\n'), p.now);
    expect(p.engine.emergencyStop(p.now).ok).toBe(true);
    const w = p.written();
    expect(w[0]).toBe('M112');
    expect(w.slice(-2)).toEqual(['M104 S0', 'M140 S0']);
    expect(p.engine.jobState).toBe('failed');
    expect(p.engine.connectionState).toBe('error');
    p.feed('ok\nok\n');
    expect(p.written()).toEqual([]);
  });

  it('shows host prompts and answers them with M876', () => {
    const p = new EngineProbe();
    p.handshake({ AUTOREPORT_TEMP: 1, EMERGENCY_PARSER: 1 });
    p.ackAll();
    p.feed('//action:prompt_end\n//action:prompt_begin Filament runout\n//action:prompt_button Continue\n//action:prompt_button Purge more\n//action:prompt_show\n');
    expect(p.eventsOf('prompt').at(-1)!.prompt).toEqual({ text: 'Filament runout', buttons: ['Continue', 'Purge more'] });
    expect(p.engine.answerPrompt(1, p.now).ok).toBe(true);
    expect(p.written()).toEqual(['M876 S1']);
    p.collect();
    expect(p.eventsOf('prompt').at(-1)!.prompt).toBeNull();
    p.feed('//action:notification Heating done\n');
    expect(p.eventsOf('notification').at(-1)!.text).toBe('Heating done');
  });

  it('follows //action:pause, resume and cancel from the printer', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\nG1 X3\n');
    ackJobSync(p);
    expect(p.written().map(commandOf)).toEqual(['G1 X1']);
    p.feed('//action:paused\n');
    p.feed('ok\n');
    expect(p.engine.jobState).toBe('paused');
    expect(p.written()).toEqual([]);
    p.feed('//action:resumed\n');
    expect(p.written().map(commandOf)).toEqual(['G1 X2']);
    p.feed('//action:cancel\n');
    expect(p.engine.jobState).toBe('cancelling');
    p.feed('ok\n'); // G1 X2, already on its way
    expect(p.ackAll().map(commandOf)[0]).toBe('M104 S0');
    expect(p.engine.jobState).toBe('cancelled');
  });
});
