// Keeps a print alive while the page carries one: the screen stays awake (so the laptop does not
// sleep and cut USB), closing the tab asks first, and a hidden tab still tells the user when the job
// ends or the printer needs them.

import type { JobProgress } from '../../printer/link-api.js';
import type { PrinterMirror } from '../../printer/printer-client.js';
import { attentionNotice, isJobActive } from '../../printer-panel/job-summary.js';

export class KeepPrinterAlive {
  private wakeLock: WakeLockSentinel | null = null;
  private requesting = false;
  private lastJob: JobProgress | undefined;
  private hadPrompt = false;
  private readonly onVisibility = () => void this.syncWakeLock();
  private readonly onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!isJobActive(this.mirror.snapshot.job)) return;
    event.preventDefault();
    // Older Chrome needs returnValue set to show the dialog.
    event.returnValue = 'A print is running. Closing this tab stops it.';
  };

  constructor(private readonly mirror: PrinterMirror) {}

  start(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('beforeunload', this.onBeforeUnload);
    this.mirror.subscribe(() => this.update());
  }

  private update(): void {
    const { job, prompt } = this.mirror.snapshot;
    const notice = attentionNotice(this.lastJob, job, prompt, this.hadPrompt);
    this.lastJob = job;
    this.hadPrompt = prompt !== null;
    if (notice && document.visibilityState === 'hidden') showNotification(notice.title, notice.body, notice.tag);
    void this.syncWakeLock();
  }

  private async syncWakeLock(): Promise<void> {
    const wanted = isJobActive(this.mirror.snapshot.job) && document.visibilityState === 'visible';
    if (!wanted) {
      if (this.wakeLock && !isJobActive(this.mirror.snapshot.job)) {
        const lock = this.wakeLock;
        this.wakeLock = null;
        await lock.release().catch(() => undefined);
      }
      return;
    }
    // The browser releases the lock whenever the tab is hidden; visibilitychange brings us back here.
    if ((this.wakeLock && !this.wakeLock.released) || this.requesting || !('wakeLock' in navigator)) return;
    this.requesting = true;
    try {
      this.wakeLock = await navigator.wakeLock.request('screen');
    } catch {
      // Refused (battery saver, not visible any more): nothing to do but try again on the next change.
      this.wakeLock = null;
    } finally {
      this.requesting = false;
    }
  }
}

/** Asked when the user starts the first print (a click), never at load. */
export async function askNotificationPermissionOnce(): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  try {
    await Notification.requestPermission();
  } catch {
    // Some browsers only accept the callback form or refuse outside a gesture: the print goes on.
  }
}

function showNotification(title: string, body: string, tag: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag, icon: '/icons/icon.svg' });
  } catch {
    // Android Chrome only allows notifications through a service worker; the page view still shows it.
  }
}
