// The page's single printer session: one worker, one client, kept for the life of the page so that
// leaving the Printer view never disturbs a print. Also where tab ownership (Web Locks) is wired.

import type { JobProgress, TransportChoice } from '../../printer/link-api.js';
import { PrinterClient, bridgedPrinterWorker, type Claimer, type PrinterClientHelpers, type PrinterWorkerApi } from '../../printer/printer-client.js';
import { findDangerousLinesInChunks } from '../../printer/dangerous-commands.js';
import { emergencyStopThroughPort } from '../../printer/port-emergency-stop.js';
import type { SerialLike } from '../../printer/transport/web-serial-transport.js';
import { interruptedRecord } from '../../printer-panel/stale-jobs.js';
import { WorkerBridge } from '../../worker-bridge/worker-bridge.js';
import { PrinterOwnership, ownershipChannelName, printerKeyFor, printerLockName, type LockManagerLike } from '../../printer-panel/printer-ownership.js';
import { PRINTER_STATE_EVENT, type PrinterStatus } from '../../app/printer-status.js';
import { jobFraction, isJobActive } from '../../printer-panel/job-summary.js';
import { closeStaleJobs } from '../../printer-panel/stale-jobs.js';
import { KeepPrinterAlive } from './keep-alive.js';
import { panelStorage } from './panel-storage.js';

let session: PrinterClient | undefined;
let ownership: PrinterOwnership | undefined;

function ownershipManager(): PrinterOwnership | undefined {
  if (ownership) return ownership;
  const locks = (navigator as Navigator & { locks?: LockManagerLike }).locks;
  if (!locks || typeof BroadcastChannel === 'undefined') return undefined;
  ownership = new PrinterOwnership(locks, new BroadcastChannel(ownershipChannelName));
  return ownership;
}

const webLocksClaimer: Claimer = {
  async claim(choice: TransportChoice, describe: () => string) {
    const manager = ownershipManager();
    // Without Web Locks (very old browsers) there is nothing to coordinate with.
    if (!manager) return { ok: true, release: () => undefined };
    const result = await manager.claim(printerKeyFor(choice), describe);
    return result.ok ? { ok: true, release: () => result.ownership.release() } : result;
  },
};

/** What the page does for the printer once its worker is gone. */
const afterWorkerLoss: PrinterClientHelpers = {
  stopThroughPort: (choice) => emergencyStopThroughPort((navigator as Navigator & { serial?: SerialLike }).serial, choice),
  recordInterruptedJob: async (job: JobProgress, reason: string) => {
    const storage = await panelStorage();
    const record = await storage.jobs.get(job.jobId);
    if (!record) return;
    // The page's last progress is fresher than the record, which the worker rewrote every few seconds.
    const fresher = {
      ...record,
      progress: job.totalBytes > 0 ? Math.max(record.progress, Math.min(1, job.bytesSent / job.totalBytes)) : record.progress,
      lastLine: Math.max(record.lastLine, job.fileLine ?? 0),
      filamentUsedMm: Math.max(record.filamentUsedMm, job.filamentUsedMm),
    };
    await storage.jobs.put(interruptedRecord(fresher, reason, Date.now()));
  },
  findDangerousLines: async (gcodeId: string) => findDangerousLinesInChunks((await panelStorage()).gcode.chunks(gcodeId)),
};

export function printerSession(): PrinterClient {
  if (!session) {
    // Never stopped for idleness: it holds the port, the print and the tab's claim on the printer.
    const bridge = new WorkerBridge<PrinterWorkerApi>({
      name: 'printer',
      create: () => new Worker(new URL('../../../workers/printer.worker.ts', import.meta.url), { type: 'module', name: 'sliceport-printer' }),
      idle: { kind: 'keep' },
      // A worker out of memory can die without an error event. Healthy, it answers within milliseconds
      // (its longest step, checking a file chunk before a print, takes about 0.1 s): a second and a half
      // of silence while a printer is connected means it is gone.
      watchdog: {
        probe: (api) => api.snapshot(),
        everyMs: 250,
        missedTicks: 6,
        active: () => session !== undefined && session.mirror.snapshot.state !== 'disconnected' && !session.crash,
      },
    });
    session = new PrinterClient(bridgedPrinterWorker(bridge), webLocksClaimer, afterWorkerLoss);
    new KeepPrinterAlive(session.mirror).start();
    reportStatusToShell(session);
    void restoreCommandHistory(session);
    void session.start();
  }
  return session;
}

export const commandHistoryKey = 'printer.commandHistory';

async function restoreCommandHistory(client: PrinterClient): Promise<void> {
  try {
    const saved = await (await panelStorage()).settings.get<unknown>(commandHistoryKey, []);
    // Commands typed before the settings arrived stay the newest.
    if (Array.isArray(saved)) client.commandHistory.load([...saved, ...client.commandHistory.list()]);
  } catch {
    // Without storage the history lives for this page only.
  }
}

/** Keeps the terminal's ↑/↓ history across visits. */
export async function saveCommandHistory(client: PrinterClient): Promise<void> {
  try {
    await (await panelStorage()).settings.set(commandHistoryKey, [...client.commandHistory.list()]);
  } catch {
    // Not worth bothering the user about.
  }
}

/** The status bar and the update prompt learn the printer's state from a window event. */
function reportStatusToShell(client: PrinterClient): void {
  // The shell starts out "disconnected": repeating that would only overwrite whatever it learned since.
  let last = 'disconnected|';
  client.mirror.subscribe(() => {
    const { state, job } = client.mirror.snapshot;
    const status: PrinterStatus = { state };
    if (client.crash) status.label = 'Printer connection stopped';
    else if (job && isJobActive(job)) status.label = `${job.state === 'paused' ? 'Paused' : 'Printing'} ${Math.floor(jobFraction(job) * 100)} % · ${job.fileName}`;
    const key = `${status.state}|${status.label ?? ''}`;
    if (key === last) return;
    last = key;
    window.dispatchEvent(new CustomEvent<PrinterStatus>(PRINTER_STATE_EVENT, { detail: status }));
  });
}

/** Printers held by other tabs of this browser, with what their owners say about themselves. */
export async function printersOwnedElsewhere(): Promise<{ key: string; description: string }[]> {
  const manager = ownershipManager();
  const locks = navigator.locks as LockManager | undefined;
  if (!manager || !locks?.query) return [];
  const state = await locks.query();
  const prefix = printerLockName('');
  const keys = new Set((state.held ?? []).map((lock) => lock.name ?? '').filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length)));
  const out: { key: string; description: string }[] = [];
  for (const key of keys) {
    if (manager.owns(key)) continue;
    out.push({ key, description: await manager.askOwner(key) });
  }
  return out;
}

/**
 * Closes job records left "running" by a tab that died mid-print. Safe only when no tab holds a
 * printer, which Web Locks can tell; without it nothing is touched.
 */
export async function closeStaleJobRecords(): Promise<number> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks?.query) return 0;
  const state = await locks.query();
  const prefix = printerLockName('');
  const held = [...(state.held ?? []), ...(state.pending ?? [])].some((lock) => (lock.name ?? '').startsWith(prefix));
  const live = new Set<string>();
  const job = session?.mirror.snapshot.job;
  if (job) live.add(job.jobId);
  const storage = await panelStorage();
  const stale = closeStaleJobs(await storage.jobs.list(), held, live);
  for (const record of stale) await storage.jobs.put(record);
  return stale.length;
}

export function describePrinterKey(key: string): string {
  return key === 'simulator' ? 'The simulated printer' : 'A USB printer';
}
