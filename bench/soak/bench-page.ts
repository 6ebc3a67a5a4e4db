// Browser side of `npm run bench:soak`: the page stores a generated job in IndexedDB as the Library does,
// starts the app's printer worker, and prints the job through the app's printer client and the Web Serial
// transport (its `navigator.serial` is the benchmark's fake, backed by the simulated firmware in Node).
// It watches the main thread's long tasks while the job runs.
import type { JobState } from '../../src/printer/link-api.js';
import { bridgedPrinterWorker, PrinterClient, type PrinterWorkerApi } from '../../src/printer/printer-client.js';
import { genericPrinterProfile } from '../../src/printer-panel/default-profile.js';
import { openSliceportStorage } from '../../src/storage/sliceport-storage.js';
import type { PrinterProfileRecord } from '../../src/storage/records.js';
import { WorkerBridge } from '../../src/worker-bridge/worker-bridge.js';
import { soakGcodeLines } from './soak-gcode.js';

export interface SoakStatus {
  phase: 'idle' | 'connecting' | 'printing' | 'done' | 'failed';
  message?: string;
  jobState?: JobState;
  bytesSent: number;
  totalBytes: number;
  fileLine: number;
  flowMode: string;
  /** Wall-clock milliseconds from the job's start to its end (or to now). */
  elapsedMs: number;
  /** Main-thread long tasks (over 50 ms, as the browser reports them) since the job started. */
  longTasks: number;
  longestTaskMs: number;
  /** Notices the printer client recorded (flow-mode changes, errors), the last few. */
  notices: string[];
}

const profile: PrinterProfileRecord = {
  ...genericPrinterProfile(0),
  id: 'bench-soak',
  name: 'Soak benchmark (simulated firmware behind Web Serial)',
  baudRate: 250000,
};

let client: PrinterClient | undefined;
let gcodeId = '';
let totalBytes = 0;
const status: SoakStatus = { phase: 'idle', bytesSent: 0, totalBytes: 0, fileLine: 0, flowMode: 'safe', elapsedMs: 0, longTasks: 0, longestTaskMs: 0, notices: [] };
let startedAt = 0;
let endedAt = 0;
let watchingTasks = false;

new PerformanceObserver((list) => {
  if (!watchingTasks) return;
  for (const entry of list.getEntries()) {
    status.longTasks += 1;
    status.longestTaskMs = Math.max(status.longestTaskMs, entry.duration);
  }
}).observe({ type: 'longtask', buffered: false });

/** Stores the job as the Library would and starts the printer worker; returns the file's size. */
async function prepare(moves: number): Promise<{ gcodeId: string; bytes: number }> {
  const storage = await openSliceportStorage();
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let batch: string[] = [];
  for (const line of soakGcodeLines(moves)) {
    batch.push(line);
    if (batch.length === 10_000) {
      parts.push(encoder.encode(`${batch.join('\n')}\n`));
      batch = [];
    }
  }
  if (batch.length) parts.push(encoder.encode(`${batch.join('\n')}\n`));
  const blob = new Blob(parts as BlobPart[], { type: 'text/x-gcode' });
  const record = await storage.gcode.add({ name: `soak-${moves}.gcode`, source: 'file' }, blob);
  gcodeId = record.id;
  totalBytes = blob.size;
  // The printer worker as the app starts it (printer-session.ts): kept for the page's lifetime.
  const bridge = new WorkerBridge<PrinterWorkerApi>({
    name: 'printer',
    create: () => new Worker(new URL('../../workers/printer.worker.ts', import.meta.url), { type: 'module', name: 'sliceport-printer' }),
    idle: { kind: 'keep' },
  });
  client = new PrinterClient(bridgedPrinterWorker(bridge));
  await client.start();
  return { gcodeId, bytes: totalBytes };
}

async function connect(usbVendorId: number, usbProductId: number, receiveBufferBytes: number): Promise<{ ok: boolean; message?: string }> {
  if (!client) return { ok: false, message: 'prepare() first' };
  status.phase = 'connecting';
  const outcome = await client.connect({ kind: 'serial', baudRate: profile.baudRate, usbVendorId, usbProductId }, { ...profile, receiveBufferBytes });
  if (!outcome.ok) {
    status.phase = 'failed';
    status.message = outcome.error.message;
    return { ok: false, message: outcome.error.message };
  }
  return { ok: true };
}

async function start(): Promise<{ ok: boolean; message?: string }> {
  if (!client) return { ok: false, message: 'prepare() first' };
  const printer = client;
  printer.mirror.subscribe(() => {
    const job = printer.mirror.snapshot.job;
    if (!job || job.gcodeId !== gcodeId) return;
    status.jobState = job.state;
    status.bytesSent = job.bytesSent;
    status.fileLine = job.fileLine ?? status.fileLine;
    if (status.phase === 'printing' && (job.state === 'completed' || job.state === 'cancelled' || job.state === 'failed' || job.state === 'interrupted')) {
      endedAt = performance.now();
      watchingTasks = false;
      status.phase = job.state === 'completed' ? 'done' : 'failed';
    }
  });
  watchingTasks = true;
  startedAt = performance.now();
  status.phase = 'printing';
  const outcome = await printer.startJob(gcodeId);
  if (!outcome.ok) {
    status.phase = 'failed';
    status.message = outcome.error.message;
    return { ok: false, message: outcome.error.message };
  }
  return { ok: true };
}

function read(): SoakStatus {
  const notices = client?.mirror.notices.slice(-5).map((notice) => `${notice.kind}: ${notice.text}`) ?? [];
  return {
    ...status,
    totalBytes,
    flowMode: client?.mirror.snapshot.flowMode ?? 'unknown',
    elapsedMs: startedAt === 0 ? 0 : (endedAt || performance.now()) - startedAt,
    notices,
  };
}

declare global {
  interface Window {
    soakBench: { prepare: typeof prepare; connect: typeof connect; start: typeof start; status: typeof read };
  }
}

window.soakBench = { prepare, connect, start, status: read };
