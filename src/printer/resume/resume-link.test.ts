// Interrupt a print on the simulated printer, resume it with a fresh (reset) firmware, and check what the
// firmware ran: the resume's preamble, then the file from the chosen layer on, exactly once, in order.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openSliceportStorage, type SliceportStorage } from '../../storage/sliceport-storage.js';
import type { JobRecord } from '../../storage/records.js';
import type { PrinterEvent, ResumeRequest } from '../link-api.js';
import { PrinterLink, type JobFiles } from '../printer-link.js';
import type { SimulatorOptions } from '../simulator/index.js';
import { ManualClock, SimTransport, TEST_PROFILE as profile, runVirtualTime } from '../testing/link-rig.js';
import { LayerIndexBuilder } from './layer-index.js';
import { PrintState } from './print-state.js';
import { commandsFromLayer, layeredPrint } from '../testing/layered-print.js';

const SIM: SimulatorOptions = { bootMs: 100, homingMs: 200, thermal: { hotend: { timeConstantS: 1 }, bed: { timeConstantS: 1 }, residencyMs: 100 } };

const opened: SliceportStorage[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

async function setup(options: { failWrites?: () => boolean } = {}) {
  const storage = await openSliceportStorage({ name: `resume-${Math.random()}` });
  opened.push(storage);
  const clock = new ManualClock();
  const boards: SimTransport[] = [];
  let ids = 0;
  const files: JobFiles = {
    getGcode: (id) => storage.gcode.get(id),
    chunks: (id, fromChunk) => storage.gcode.chunks(id, fromChunk !== undefined ? { fromChunk } : {}),
    putJob: async (r) => {
      if (options.failWrites?.()) throw new Error('The disk is full.');
      await storage.jobs.put(r);
    },
    getJob: (id) => storage.jobs.get(id),
  };
  const link = new PrinterLink({
    clock,
    files: async () => files,
    openTransport: async (_choice, handlers) => {
      const board = new SimTransport(clock, handlers, SIM, { recordPositions: true });
      boards.push(board);
      return board;
    },
    newId: () => `job-${++ids}`,
  });
  const events: PrinterEvent[] = [];
  await link.subscribe((batch) => events.push(...batch));
  const run = (ms: number, until?: () => boolean): Promise<void> => runVirtualTime(clock, ms, until);
  const connect = async (): Promise<void> => {
    const before = events.length;
    const pending = link.connect({ kind: 'simulator' }, profile);
    await run(5_000, () => events.slice(before).some((e) => e.type === 'state' && e.state === 'idle'));
    expect(await pending).toEqual({ ok: true });
  };
  const jobState = (jobId: string, state: string) => () => events.some((e) => e.type === 'job' && e.job.jobId === jobId && e.job.state === state);
  const layerOf = (jobId: string) => {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.type === 'job' && e.job.jobId === jobId) return e.job.layer ?? -1;
    }
    return -1;
  };
  return { storage, clock, link, events, run, connect, boards, jobState, layerOf };
}

const print = layeredPrint({ layers: 6, movesPerLayer: 40, markers: 'cura', zHop: 0.4, feed: 6000 });
const bytes = new TextEncoder().encode(print.text);


async function interruptMidPrint(s: Awaited<ReturnType<typeof setup>>, atLayer: number): Promise<{ gcodeId: string; record: JobRecord }> {
  await s.connect();
  const g = await s.storage.gcode.add({ name: 'layers.gcode', source: 'file' }, bytes);
  const started = s.link.startJob(g.id);
  await s.run(500);
  expect(await started).toEqual({ ok: true });
  await s.run(10 * 60_000, () => s.layerOf('job-1') >= atLayer);
  expect(s.layerOf('job-1')).toBe(atLayer);
  // The layer's first lines are sent ahead; its fence is acknowledged once the planner has run dry of
  // the layer before (16 moves of about 0.25 s here; a layer takes about 10 s).
  await s.run(7_000);
  expect(s.layerOf('job-1')).toBe(atLayer);
  s.boards[0]!.unplug();
  await s.run(200, s.jobState('job-1', 'interrupted'));
  await s.link.historyWritten();
  const record = (await s.storage.jobs.get('job-1'))!;
  return { gcodeId: g.id, record };
}

describe('resume after an interruption', () => {
  it('a cable pull leaves an interrupted record with a checkpoint; the resume runs the preamble, then the file from the layer, and the firmware is where the file expects', async () => {
    const s = await setup();
    const { record } = await interruptMidPrint(s, 3);
    expect(record.outcome).toBe('interrupted');
    const cp = record.checkpoint!;
    expect(cp).toBeDefined();
    expect(cp.finished?.layer).toBe(2);
    expect(cp.layer).toBe(3);
    expect(cp.state.hotends[0]).toBe(205);
    expect(cp.state.bed).toBe(60);
    expect(cp.state.waitedBed).toBe(true);
    expect(cp.state.fans[0]).toBe(255);
    expect(cp.zLow).toBeCloseTo(0.6);
    expect(cp.acked.line).toBeGreaterThan(cp.finished!.line);

    // Plug back in: a board that was reset (as opening the port does) knows nothing of the print.
    await s.connect();
    const offer = await s.link.resumeOffer('job-1');
    if (!offer.ok) throw new Error(offer.error.message);
    expect(offer.offer).toMatchObject({ suggestedLayer: 3, finishedLayer: 2, interruptedLayer: 3, layerCount: 6 });
    const request: ResumeRequest = { jobId: 'job-1', layer: 3, nozzleZ: offer.offer.nozzleZ, homeZ: false };
    const preview = await s.link.previewResume(request);
    if (!preview.ok) throw new Error(preview.error.message);
    const preamble = preview.steps.flatMap((st) => st.lines);
    expect(preamble).toContain('G28 X Y');
    expect(preamble).toContain('G92 Z0.6');

    const resumed = s.link.resumeJob(request);
    await s.run(500);
    expect(await resumed).toEqual({ ok: true });
    await s.run(10 * 60_000, s.jobState('job-2', 'completed'));
    expect(s.jobState('job-2', 'completed')()).toBe(true);
    await s.link.historyWritten();

    const board = s.boards[1]!;
    const log = board.executed.map((x) => x.command);
    const start = log.lastIndexOf('M110 N0') + 1;
    const ran = log.slice(start).filter((c) => c !== 'M105');
    expect(ran).toEqual([...preamble, ...commandsFromLayer(print.text, 3)]);

    // Before the first extrusion of the resumed file, the firmware stands where the file had put it.
    const firstFileIndex = start + log.slice(start).findIndex((_, i) => i >= preamble.length && /^G1 X[\d.]+ Y[\d.]+ E/.test(log[start + i]!));
    const before = board.executed[firstFileIndex - 1]!.position;
    const layers = new LayerIndexBuilder();
    layers.feed(bytes);
    const layer3 = layers.finish().layers[3]!;
    const expected = new PrintState(layer3.state);
    const fileLines = print.text.split('\n');
    for (let l = layer3.line; ; l++) {
      const c = fileLines[l - 1]!.replace(/;.*$/, '').trim();
      if (/^G1 X[\d.]+ Y[\d.]+ E/.test(c)) break;
      expected.apply(c);
    }
    expect(before.x).toBeCloseTo(expected.s.x, 3);
    expect(before.y).toBeCloseTo(expected.s.y, 3);
    expect(before.z).toBeCloseTo(expected.s.z, 3);
    expect(before.e).toBeCloseTo(expected.s.e, 3);
    expect(before.e).toBeCloseTo(layer3.state.e, 3);

    const job2 = (await s.storage.jobs.get('job-2'))!;
    expect(job2).toMatchObject({ outcome: 'completed', progress: 1, resumedFrom: { jobId: 'job-1', layer: 3 } });
    expect((await s.storage.jobs.get('job-1'))!.outcome).toBe('interrupted');
  });

  it('resumes from an earlier layer picked by the user, with the state the file had there', async () => {
    const s = await setup();
    await interruptMidPrint(s, 4);
    await s.connect();
    const request: ResumeRequest = { jobId: 'job-1', layer: 1, nozzleZ: 1.0, homeZ: false };
    const preview = await s.link.previewResume(request);
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.warnings.join(' ')).toMatch(/already printed/);
    const preamble = preview.steps.flatMap((st) => st.lines);
    expect(preamble).toContain('M107');
    const resumed = s.link.resumeJob(request);
    await s.run(500);
    expect(await resumed).toEqual({ ok: true });
    await s.run(10 * 60_000, s.jobState('job-2', 'completed'));
    const log = s.boards[1]!.executed.map((x) => x.command);
    const ran = log.slice(log.lastIndexOf('M110 N0') + 1).filter((c) => c !== 'M105');
    expect(ran).toEqual([...preamble, ...commandsFromLayer(print.text, 1)]);
  });

  it('writes a checkpoint when the print pauses, and a storage failure is reported while the print goes on', async () => {
    let failing = false;
    const s = await setup({ failWrites: () => failing });
    await s.connect();
    const g = await s.storage.gcode.add({ name: 'layers.gcode', source: 'file' }, bytes);
    const started = s.link.startJob(g.id);
    await s.run(500);
    expect(await started).toEqual({ ok: true });
    await s.run(60_000, () => s.layerOf('job-1') >= 2);
    expect((await s.link.pause()).ok).toBe(true);
    await s.run(30_000, s.jobState('job-1', 'paused'));
    await s.link.historyWritten();
    const paused = (await s.storage.jobs.get('job-1'))!;
    expect(paused.checkpoint?.paused).toBe(true);
    expect(paused.checkpoint?.finished?.layer).toBeGreaterThanOrEqual(1);
    failing = true;
    expect((await s.link.resume()).ok).toBe(true);
    await s.run(10 * 60_000, s.jobState('job-1', 'completed'));
    expect(s.jobState('job-1', 'completed')()).toBe(true);
    expect(s.events.some((e) => e.type === 'error' && e.error.code === 'history-write' && /disk is full/.test(e.error.message))).toBe(true);
  });

  it('a printer that restarts mid-print (reset, power glitch) leaves an interrupted job that resumes on the same connection', async () => {
    const s = await setup();
    await s.connect();
    const g = await s.storage.gcode.add({ name: 'layers.gcode', source: 'file' }, bytes);
    const started = s.link.startJob(g.id);
    await s.run(500);
    expect(await started).toEqual({ ok: true });
    await s.run(10 * 60_000, () => s.layerOf('job-1') >= 2);
    await s.run(7_000);
    s.boards[0]!.printer.inject('reset', s.clock.now());
    await s.run(10_000, s.jobState('job-1', 'interrupted'));
    // Sliceport resynchronises with the restarted board on its own.
    const since = s.events.length;
    await s.run(10_000, () => s.events.slice(since).some((e) => e.type === 'state' && e.state === 'idle'));
    await s.link.historyWritten();
    const record = (await s.storage.jobs.get('job-1'))!;
    expect(record.outcome).toBe('interrupted');
    expect(record.reason).toMatch(/restarted/);
    expect(record.checkpoint?.finished?.layer).toBe(1);
    const offer = await s.link.resumeOffer('job-1');
    if (!offer.ok) throw new Error(offer.error.message);
    const request: ResumeRequest = { jobId: 'job-1', layer: offer.offer.suggestedLayer, nozzleZ: offer.offer.nozzleZ, homeZ: false };
    const preview = await s.link.previewResume(request);
    if (!preview.ok) throw new Error(preview.error.message);
    const resumed = s.link.resumeJob(request);
    await s.run(500);
    expect(await resumed).toEqual({ ok: true });
    await s.run(10 * 60_000, s.jobState('job-2', 'completed'));
    const log = s.boards[0]!.executed.map((x) => x.command);
    const ran = log.slice(log.lastIndexOf('M110 N0') + 1).filter((c) => c !== 'M105');
    expect(ran).toEqual([...preview.steps.flatMap((st) => st.lines), ...commandsFromLayer(print.text, 2)]);
  });

  it('refuses to resume a job that was not interrupted, or without a printer, in plain words', async () => {
    const s = await setup();
    const r = await s.link.resumeJob({ jobId: 'nope', layer: 0, nozzleZ: 0, homeZ: false });
    expect(!r.ok && r.error.message).toMatch(/Connect to the printer first/);
    await s.connect();
    const missing = await s.link.resumeOffer('nope');
    expect(!missing.ok && missing.error.message).toMatch(/no longer in the history/);
  });
});
