// The page's single printer session: one worker, one client, kept for the life of the page so that
// leaving the Printer view never disturbs a print. Also where tab ownership (Web Locks) is wired.

import * as Comlink from 'comlink';
import type { TransportChoice } from '../../printer/link-api.js';
import { PrinterClient, type Claimer, type PrinterWorkerApi } from '../../printer/printer-client.js';
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

export function printerSession(): PrinterClient {
  if (!session) {
    const worker = new Worker(new URL('../../../workers/printer.worker.ts', import.meta.url), { type: 'module', name: 'sliceport-printer' });
    session = new PrinterClient(Comlink.wrap<PrinterWorkerApi>(worker), webLocksClaimer);
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
    if (job && isJobActive(job)) status.label = `${job.state === 'paused' ? 'Paused' : 'Printing'} ${Math.floor(jobFraction(job) * 100)} % · ${job.fileName}`;
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
