// Browser side of `npm run bench:isolation`: a job streams from IndexedDB to the simulated printer in the
// app's printer worker (115200 baud, fast flow control) while the app's slicer worker slices a
// 3DBenchy-class model. The sender's own timestamps of every line it sends (`log` events) give lines per
// second and the longest gap between two lines, without and with the slice running.
import * as Comlink from 'comlink';
import type { PrinterEvent, PrinterLinkApi } from '../../src/printer/link-api.js';
import type { EngineSettings } from '../../src/slicer/slice-api.js';
import { sliceRequestFromPlate } from '../../src/slicer/slice-job-request.js';
import { SlicerClient } from '../../src/slicer/slicer-client.js';
import { decodeBinaryStl } from '../../src/slicer/engine/placed-mesh.js';
import { genericPrinterProfile } from '../../src/printer-panel/default-profile.js';
import { openSliceportStorage } from '../../src/storage/sliceport-storage.js';
import type { PrinterProfileRecord } from '../../src/storage/records.js';

export interface PhaseFigures {
  slicing: boolean;
  seconds: number;
  lines: number;
  linesPerSecond: number;
  /**
   * Longest time between the sender handing two consecutive numbered G1 lines to the port (the worker's
   * wall-clock stamps, taken as each line is written), or from the last line to the phase's end. The job
   * is wire-bound (each move takes ~0.7 ms to execute, each line ~3.8 ms to transmit): the simulated
   * firmware has free buffer space at every send, so a gap is never the printer's pace but the host
   * thread not running.
   */
  maxGapMs: number;
  /** Longest lateness of a 4 ms timer in an idle worker in the same page: the machine's scheduling floor. */
  idleThreadMaxDelayMs: number;
}

export interface IsolationRun {
  ok: boolean;
  message?: string;
  phases: PhaseFigures[];
  sliceSeconds: number;
  flowMode: string;
  droppedLogLines: number;
  /** The first lines the sender logged, and the job's state at the end: to explain an empty run. */
  sample: string[];
  jobState: string;
}

/** Short G1 chords along circles at 150 mm/s: the printer drains them faster than 115200 baud brings them. */
function streamGcode(lines: number): Uint8Array {
  const parts: string[] = ['G21', 'G90', 'M83', 'G92 E0'];
  let angle = 0;
  for (let i = 0; i < lines; i++) {
    angle += 0.1 / 20;
    const x = (110 + 20 * Math.cos(angle)).toFixed(3);
    const y = (110 + 20 * Math.sin(angle)).toFixed(3);
    parts.push(`G1 X${x} Y${y} E0.00333 F9000`);
  }
  return new TextEncoder().encode(`${parts.join('\n')}\n`);
}

/** The app's out-of-the-box printer, in the fast flow-control mode this benchmark measures. */
const profile: PrinterProfileRecord = {
  ...genericPrinterProfile(0),
  id: 'bench-isolation',
  name: 'Isolation benchmark (simulated)',
  maxBedTemp: 120,
  flowControl: 'fast',
};

interface Sent {
  n: number;
  at: number;
}

async function run(baselineSeconds: number, control = 0): Promise<IsolationRun> {
  const [stl, job] = await Promise.all([
    fetch('./bench-model.stl').then((response) => response.arrayBuffer()),
    fetch('./bench-job.json').then((response) => response.json() as Promise<{ settings: EngineSettings; machine: string }>),
  ]);
  const positions = decodeBinaryStl(stl);
  if (typeof positions === 'string') throw new Error(positions);

  const slicer = new SlicerClient();
  await slicer.warmUp();

  const storage = await openSliceportStorage();
  const file = await storage.gcode.add({ name: 'isolation.gcode', source: 'file' }, streamGcode(120_000));

  const worker = new Worker(new URL('../../workers/printer.worker.ts', import.meta.url), { type: 'module', name: 'printer' });
  const link = Comlink.wrap<PrinterLinkApi>(worker);
  const probe = new Worker(new URL('./scheduling-probe.worker.ts', import.meta.url), { type: 'module', name: 'scheduling-probe' });
  const sent: Sent[] = [];
  const sample: string[] = [];
  let clockOffset = Infinity;
  let lastSent = '';
  const jobStates = new Set<string>();
  // The page's own responsiveness: the longest delay of a 20 ms timer.
  let maxLag = 0;
  let expected = performance.now() + 20;
  setInterval(() => {
    const now = performance.now();
    maxLag = Math.max(maxLag, now - expected);
    expected = now + 20;
  }, 20);
  let sentCount = 0;
  const flowMode = 'unknown';
  await link.subscribe(
    Comlink.proxy((events: PrinterEvent[]) => {
      for (const event of events) {
        if (event.type === 'job') jobStates.add(event.job.state);
        else if (event.type === 'state') jobStates.add(`link:${JSON.stringify(event).slice(0, 80)}`);
        if (event.type === 'log') {
          for (const line of event.lines) {
            if (line.direction !== 'sent') continue;
            if (sample.length < 12) sample.push(line.text);
            lastSent = line.text;
            sentCount += 1;
            const n = /^N(\d+) G1 /.exec(line.text);
            if (n && !line.text.endsWith('(resend)')) sent.push({ n: Number(n[1]), at: line.at });
            // The sender's clock may not be this page's: the smallest (receipt − stamp) is its offset
            // plus the shortest delivery time.
            clockOffset = Math.min(clockOffset, Date.now() - line.at);
          }
        }
      }
    }),
  );
  const connected = await link.connect({ kind: 'simulator', baudRate: 115200, options: { bootMs: 50, seed: 7 } }, profile);
  if (!connected.ok) return { ok: false, message: connected.error.message, phases: [], sliceSeconds: 0, flowMode, droppedLogLines: 0, sample, jobState: 'none' };
  const started = await link.startJob(file.id);
  if (!started.ok) return { ok: false, message: started.error.message, phases: [], sliceSeconds: 0, flowMode, droppedLogLines: 0, sample, jobState: 'none' };

  // Let the stream settle, then measure without and with a slice running.
  // Phase boundaries are wall-clock times; the sender stamps its lines with the wall clock too
  // (performance.timeOrigin + performance.now() in the worker), so late event batches do not matter.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const baselineFrom = Date.now();
  await new Promise((resolve) => setTimeout(resolve, baselineSeconds * 1000));
  const sliceFrom = Date.now();
  const sliceStartedAt = sliceFrom;
  const prepared = sliceRequestFromPlate({
    machineDefinitionId: job.machine,
    engineSettings: job.settings,
    settingErrors: [],
    objects: [{ name: '3DBenchy', positions, placement: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], extruder: 0, outsideVolume: false }],
  });
  if (!prepared.ok) return { ok: false, message: prepared.reason, phases: [], sliceSeconds: 0, flowMode, droppedLogLines: 0, sample, jobState: 'none' };
  // `control`: the same wait without a slice, to tell the printer link's own behaviour from the slice's.
  const outcome = control
    ? (await new Promise((resolve) => setTimeout(resolve, control * 1000)), { ok: true as const })
    : await slicer.slice(prepared.request);
  const sliceTo = Date.now();
  const sliceSeconds = (sliceTo - sliceStartedAt) / 1000;
  // Log batches may arrive a little after the lines were sent.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await link.cancel();
  const snapshot = await link.snapshot();
  const idleDelays = await new Promise<Array<{ at: number; ms: number }>>((resolve) => {
    probe.onmessage = (message: MessageEvent<Array<{ at: number; ms: number }>>) => resolve(message.data);
    probe.postMessage('report');
  });
  probe.terminate();
  if (!outcome.ok) return { ok: false, message: outcome.error.message, phases: [], sliceSeconds: 0, flowMode, droppedLogLines: 0, sample, jobState: 'none' };

  // Lines per second over the phase's wall time, so a sender that stops shows as lost throughput.
  const phase = (slicing: boolean, pageFrom: number, pageTo: number): PhaseFigures => {
    const from = pageFrom - clockOffset;
    const to = pageTo - clockOffset;
    const wallSeconds = (to - from) / 1000;
    const inside = sent.filter((line) => line.at >= from && line.at < to).sort((a, b) => a.n - b.n);
    let maxGap = 0;
    for (let i = 1; i < inside.length; i++) {
      // Only neighbours in the file: a line missing from the log is not a gap in the sending.
      if (inside[i].n === inside[i - 1].n + 1) maxGap = Math.max(maxGap, inside[i].at - inside[i - 1].at);
    }
    const distinct = new Set(inside.map((line) => line.n)).size;
    const times = inside.map((line) => line.at);
    // A sender that went quiet before the phase ended has a gap up to the phase's end.
    const silentTail = times.length > 0 ? to - Math.max(...times) : to - from;
    // The probe stamps like the sender (performance.timeOrigin + performance.now() in a worker).
    const idle = idleDelays.filter((delay) => delay.at >= from && delay.at < to).reduce((most, delay) => Math.max(most, delay.ms), 0);
    return { slicing, seconds: wallSeconds, lines: distinct, linesPerSecond: distinct / wallSeconds, maxGapMs: Math.max(maxGap, silentTail), idleThreadMaxDelayMs: idle };
  };
  const numbers = sent.map((line) => line.n).sort((a, b) => a - b);
  let dropped = 0;
  for (let i = 1; i < numbers.length; i++) if (numbers[i] > numbers[i - 1] + 1) dropped += numbers[i] - numbers[i - 1] - 1;
  worker.terminate();
  slicer.dispose();
  return {
    ok: true,
    phases: [phase(false, baselineFrom, sliceFrom), phase(true, sliceFrom, sliceTo)],
    sliceSeconds,
    flowMode: snapshot.flowMode,
    droppedLogLines: dropped,
    sample: [...sample, `… ${sentCount} lines sent in all, the last: ${lastSent}; sender clock offset ${clockOffset.toFixed(0)} ms`, `job/link states: ${[...jobStates].join(' | ')}`, `page timer max lag ${maxLag.toFixed(0)} ms`],
    jobState: snapshot.job?.state ?? 'none',
  };
}

declare global {
  interface Window {
    isolationBench: { run(baselineSeconds: number, control?: number): Promise<IsolationRun> };
  }
}

window.isolationBench = { run };
