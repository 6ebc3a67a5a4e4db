// New versions of Sliceport: the service worker installs them in the background and they wait. The
// user applies one with a click; nothing here ever reloads the page on its own, because a reload
// during a print stops the printer. When another tab applies an update, this tab only offers a reload.

import { registerSW } from 'virtual:pwa-register';

export type UpdateState =
  /** Running the newest version we know of. */
  | 'current'
  /** A new version is installed and waiting for the user. */
  | 'waiting'
  /** The user clicked Update: the new version takes over, then this tab reloads. */
  | 'updating'
  /** Another tab applied the update; this tab runs the old code until the user reloads it. */
  | 'updated-elsewhere';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

export class AppUpdate extends EventTarget {
  state: UpdateState = 'current';
  offlineReady = false;
  private applyUpdate: ((reload?: boolean) => Promise<void>) | undefined;
  private requestedHere = false;

  start(): void {
    if (!('serviceWorker' in navigator) || this.applyUpdate) return;
    let controlled = navigator.serviceWorker.controller !== null;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (this.requestedHere) {
        window.location.reload();
        return;
      }
      // The first install claiming this page is not an update.
      if (!controlled) {
        controlled = true;
        return;
      }
      this.set('updated-elsewhere');
    });
    this.applyUpdate = registerSW({
      immediate: true,
      onNeedRefresh: () => this.set('waiting'),
      onOfflineReady: () => {
        this.offlineReady = true;
        this.dispatchEvent(new Event('change'));
      },
      // registerSW would reload here by itself, and misses the case of a page that was not yet
      // controlled when it loaded (the very first visit); the controllerchange listener above decides.
      onNeedReload: () => undefined,
      onRegisteredSW: (_url, registration) => {
        if (!registration) return;
        // Look for a new version now and then; finding one only shows the prompt.
        window.setInterval(() => void registration.update().catch(() => undefined), UPDATE_CHECK_MS);
      },
      onRegisterError: (error: unknown) => {
        console.warn('Sliceport could not register its service worker; it will not work offline.', error);
      },
    });
  }

  /** Applies the waiting version. Only ever called from the user's click. */
  async update(): Promise<void> {
    if (this.state !== 'waiting' || !this.applyUpdate) return;
    this.requestedHere = true;
    this.set('updating');
    await this.applyUpdate(true);
  }

  private set(state: UpdateState): void {
    this.state = state;
    this.dispatchEvent(new Event('change'));
  }
}

export const appUpdate = new AppUpdate();
