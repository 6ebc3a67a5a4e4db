import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openSliceportStorage, type SliceportStorage } from '../storage/sliceport-storage.js';
import type { PrinterEvent } from './link-api.js';
import { PrinterLink, type JobFiles } from './printer-link.js';
import type { SimulatorOptions } from './simulator/index.js';
import { ManualClock, SimTransport, TEST_PROFILE as profile, runVirtualTime } from './testing/link-rig.js';
import { SimulatorTransport } from './transport/simulator-transport.js';

const FAST_SIM: SimulatorOptions = { bootMs: 100, homingMs: 200, thermal: { hotend: { timeConstantS: 2 }, bed: { timeConstantS: 2 }, residencyMs: 200 } };

const opened: SliceportStorage[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

type TransportKind = 'usb-1ms' | 'instant' | 'simulator-transport';

async function setup(sim: SimulatorOptions = FAST_SIM, kind: TransportKind = 'usb-1ms') {
  const storage = await openSliceportStorage({ name: `link-${Math.random()}` });
  opened.push(storage);
  const clock = new ManualClock();
  let transport: SimTransport | null = null;
  let simulator: SimulatorTransport | null = null;
  const files: JobFiles = {
    getGcode: (id) => storage.gcode.get(id),
    chunks: (id) => storage.gcode.chunks(id),
    putJob: (r) => storage.jobs.put(r),
  };
  const link = new PrinterLink({
    clock,
    files: async () => files,
    openTransport: async (choice, handlers) => {
      // The worker's own in-worker simulator (real-time wire at 115200 baud, 1 ms USB latency).
      if (kind === 'simulator-transport') return (simulator = new SimulatorTransport({ kind: 'simulator', baudRate: 115200, options: { ...sim } as Record<string, unknown> }, handlers, clock));
      // Without the simulator transport: a USB round trip takes about a millisecond ('usb-1ms'), or
      // nothing at all ('instant', a firmware answering before the host even looks at the clock again).
      void choice;
      return (transport = new SimTransport(clock, handlers, sim, { replyDelayMs: kind === 'instant' ? 0 : 1 }));
    },
    newId: () => 'job-1',
  });
  const events: PrinterEvent[] = [];
  await link.subscribe((batch) => events.push(...batch));
  const run = (ms: number, until?: () => boolean): Promise<void> => runVirtualTime(clock, ms, until);
  const connect = async (): Promise<void> => {
    const pending = link.connect({ kind: 'simulator' }, profile);
    await run(5_000, () => events.some((e) => e.type === 'state' && e.state === 'idle'));
    expect(await pending).toEqual({ ok: true });
  };
  return { storage, clock, link, events, run, connect, transport: () => transport!, simulator: () => simulator! };
}

function gcodeText(moves: number): string {
  const out = ['M140 S60', 'M104 S200', 'G28', 'G90', 'M82', 'G92 E0'];
  for (let i = 0; i < moves; i++) out.push(`G1 X${(100 + 20 * Math.cos(i / 20)).toFixed(2)} Y${(100 + 20 * Math.sin(i / 20)).toFixed(2)} E${(i * 0.05).toFixed(3)} F3000`);
  return out.join('\n') + '\n';
}

describe('printer link (worker logic)', () => {
  it('connects through a transport, streams a stored job from IndexedDB and records it', async () => {
    const s = await setup();
    await s.connect();
    const text = gcodeText(3000);
    const g = await s.storage.gcode.add({ name: 'circle.gcode', source: 'file' }, new TextEncoder().encode(text));
    const started = s.link.startJob(g.id);
    await s.run(200);
    expect(await started).toEqual({ ok: true });
    const rec = await s.storage.jobs.get('job-1');
    expect(rec).toMatchObject({ outcome: 'running', gcodeId: g.id, printerName: 'Test Ender' });
    await s.run(30 * 60_000, () => s.events.some((e) => e.type === 'job' && e.job.state === 'completed'));
    await s.run(200);
    const log = (await s.link.simulatorLog())!;
    const job = log.slice(log.lastIndexOf('M110 N0') + 1).filter((c) => c !== 'M105');
    expect(job).toEqual(text.trim().split('\n'));
    const done = await s.storage.jobs.get('job-1');
    expect(done).toMatchObject({ outcome: 'completed', progress: 1 });
    // Batched: progress events arrive at most ~4 per second of print time.
    const progress = s.events.filter((e) => e.type === 'job');
    const span = (progress.at(-1)!.type === 'job' ? (progress.at(-1) as { job: { elapsedMs: number } }).job.elapsedMs : 0) / 1000;
    expect(progress.length).toBeLessThanOrEqual(span * 4 + 10);
  });

  it('refuses a job with a line that exceeds the limits or the line buffer, naming the lines, and sends nothing', async () => {
    const s = await setup();
    await s.connect();
    const text = `G28\nM104 S300\nG1 X1\n; fine\nG1 ${'X1.000 '.repeat(14)}\n`;
    const g = await s.storage.gcode.add({ name: 'bad.gcode', source: 'file' }, new TextEncoder().encode(text));
    const before = (await s.link.simulatorLog())!.length;
    const r = s.link.startJob(g.id);
    await s.run(200);
    const out = await r;
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error.message).toMatch(/Line 2: "M104 S300" would heat the hotend to 300 °C/);
    expect(!out.ok && out.error.message).toMatch(/Line 5 is too long/);
    await s.run(500);
    expect((await s.link.simulatorLog())!.slice(before).filter((c) => c !== 'M105')).toEqual([]);
    expect(await s.storage.jobs.list()).toEqual([]);
  });

  it('refuses an empty G-code file or one with only comments, and records no job', async () => {
    const s = await setup();
    await s.connect();
    for (const text of ['', '; only a note\n\n']) {
      const g = await s.storage.gcode.add({ name: 'empty.gcode', source: 'file' }, new TextEncoder().encode(text));
      const r = s.link.startJob(g.id);
      await s.run(200);
      const out = await r;
      expect(!out.ok && out.error.message).toMatch(/no G-code commands in it/);
    }
    await s.run(500);
    expect(await s.storage.jobs.list()).toEqual([]);
  });

  it('a cable pull mid-job marks the job interrupted in history and tells the page', async () => {
    const s = await setup();
    await s.connect();
    const g = await s.storage.gcode.add({ name: 'long.gcode', source: 'file' }, new TextEncoder().encode(gcodeText(20_000)));
    const started = s.link.startJob(g.id);
    await s.run(200);
    expect((await started).ok).toBe(true);
    await s.run(20_000);
    s.transport().unplug();
    await s.run(500);
    const states = s.events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? e.state : ''));
    expect(states.at(-1)).toBe('disconnected');
    expect(s.events.some((e) => e.type === 'job' && e.job.state === 'interrupted')).toBe(true);
    const rec = await s.storage.jobs.get('job-1');
    expect(rec).toMatchObject({ outcome: 'interrupted', reason: 'The printer was unplugged or its USB connection was lost.' });
    expect(rec!.progress).toBeGreaterThan(0);
    expect(rec!.progress).toBeLessThan(1);
  });

  it('a print the printer stops accepting ends interrupted in history, in plain words, within the stall bound', async () => {
    // A firmware whose resend requests no host can read, and which says `wait` when idle.
    const s = await setup({ ...FAST_SIM, dialect: 'unreadable', idleWaitIntervalMs: 1000, faults: { spuriousResendRate: 0.01 } });
    await s.connect();
    const g = await s.storage.gcode.add({ name: 'stall.gcode', source: 'file' }, new TextEncoder().encode(gcodeText(20_000)));
    expect((await Promise.all([s.link.startJob(g.id), s.run(200)]))[0].ok).toBe(true);
    await s.run(10 * 60_000, () => s.events.some((e) => e.type === 'job' && e.job.state === 'interrupted'));
    await s.run(200);
    const rec = await s.storage.jobs.get('job-1');
    expect(rec).toMatchObject({ outcome: 'interrupted' });
    expect(rec!.reason).toMatch(/^The print was stopped: for \d+ s the printer accepted no line \(last accepted: line \d+ of the file\)/);
    expect(rec!.endedAt! - rec!.startedAt).toBeLessThan(10 * 60_000);
    expect(s.events.some((e) => e.type === 'error' && e.error.code === 'print-stalled')).toBe(true);
    expect((await s.link.snapshot()).state).toBe('idle');
  });

  it('pause, resume and emergency stop work through the link', async () => {
    const s = await setup();
    await s.connect();
    const g = await s.storage.gcode.add({ name: 'p.gcode', source: 'file' }, new TextEncoder().encode(gcodeText(5000)));
    void s.link.startJob(g.id);
    await s.run(5_000);
    expect((await s.link.pause()).ok).toBe(true);
    await s.run(10_000, () => s.events.some((e) => e.type === 'job' && e.job.state === 'paused'));
    expect((await s.link.snapshot()).state).toBe('paused');
    const log = (await s.link.simulatorLog())!;
    expect(log).toContain('M400');
    expect(log).toContain('M114');
    expect((await s.link.resume()).ok).toBe(true);
    await s.run(5_000);
    expect((await s.link.snapshot()).job?.state).toBe('printing');
    expect((await s.link.emergencyStop()).ok).toBe(true);
    await s.run(500);
    expect((await s.link.simulatorLog())!).toContain('M112');
    expect((await s.link.snapshot()).state).toBe('error');
    expect((await s.storage.jobs.get('job-1'))!.outcome).toBe('failed');
  });
});

/** What a slicer ends a print with: instant commands right after the last moves (the panel's fixture). */
function printWithTrailer(moves: number): string {
  const out = ['G28', 'G90', 'M82', 'G92 E0'];
  for (let i = 0; i < moves; i++) out.push(`G1 X${(100 + 10 * Math.cos(i / 3)).toFixed(3)} Y${(100 + 10 * Math.sin(i / 3)).toFixed(3)} E${(i * 0.066).toFixed(5)} F6000`);
  out.push('M104 S0', 'M140 S0', 'G91', 'G1 Z5 F600', 'G90', 'M84');
  return out.join('\n') + '\n';
}

describe('oks that come back faster than any baud rate (regression: a print stuck at 99 %)', () => {
  // A native-USB board, or the in-worker simulator catching up after the worker was busy, hands the
  // `ok` for a line back before the host's clock has moved on from writing it. Such an `ok` is real:
  // discarding it as "too early" left the last lines of a print unsent.
  const cases: Array<{ name: string; kind: TransportKind; busy: boolean }> = [
    { name: 'a firmware answering with zero latency', kind: 'instant', busy: false },
    { name: 'a firmware answering with zero latency, replies handled in batches by a busy worker', kind: 'instant', busy: true },
    { name: 'the in-worker simulator behind a busy worker (events processed in batches at one time)', kind: 'simulator-transport', busy: true },
  ];
  for (const c of cases) {
    for (const flowControl of ['fast', 'safe'] as const) {
      it(`${c.name}, ${flowControl} mode: every ok counts, the print completes without a stall`, async () => {
        const s = await setup({ ...FAST_SIM, commandTimeMs: 0 }, c.kind);
        const pending = s.link.connect({ kind: 'simulator' }, { ...profile, flowControl });
        await s.run(5_000, () => s.events.some((e) => e.type === 'state' && e.state === 'idle'));
        expect(await pending).toEqual({ ok: true });
        s.clock.busy = c.busy;
        const text = printWithTrailer(80);
        const g = await s.storage.gcode.add({ name: 'trailer.gcode', source: 'file' }, new TextEncoder().encode(text));
        const started = s.link.startJob(g.id);
        await s.run(100);
        expect(await started).toEqual({ ok: true });
        const t0 = s.clock.now();
        await s.run(120_000, () => s.events.some((e) => e.type === 'job' && ['completed', 'failed', 'cancelled'].includes(e.job.state)));
        const elapsed = s.clock.now() - t0;
        await s.run(200);
        const logLines = s.events.flatMap((e) => (e.type === 'log' ? e.lines : []));
        expect(logLines.filter((l) => /extra "ok"|asking where it stands/.test(l.text)).map((l) => l.text)).toEqual([]);
        expect((await s.link.snapshot()).job?.state).toBe('completed');
        const log = (await s.link.simulatorLog())!;
        expect(log.slice(log.lastIndexOf('M110 N0') + 1).filter((cmd) => cmd !== 'M105')).toEqual(text.trim().split('\n'));
        // Homing, a 150 mm travel and 80 moves of 3.3 mm at 100 mm/s: about 4.4 s of motion. A discarded
        // ok costs a stall of 3.5 s (keepalives seen) to 30 s before a probe sorts it out.
        expect(elapsed).toBeLessThan(6_000);
      });
    }
  }
});
