// Stand-ins for the Screen Wake Lock and Notification APIs that record what the page asked for, since
// headless Chromium grants neither.

import type { Page } from '@playwright/test';

export interface KeepAliveProbe {
  wakeLockRequests: number;
  wakeLockReleases: number;
  permissionRequests: number;
  notifications: { title: string; body?: string }[];
}

export async function installKeepAliveProbes(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe: KeepAliveProbe = { wakeLockRequests: 0, wakeLockReleases: 0, permissionRequests: 0, notifications: [] };
    (window as unknown as { __sliceportProbe: KeepAliveProbe }).__sliceportProbe = probe;
    const active = new Set<EventTarget & { released: boolean }>();
    // Like the browser: a hidden page loses its wake lock.
    (window as unknown as { __sliceportReleaseWakeLocks: () => void }).__sliceportReleaseWakeLocks = () => {
      for (const sentinel of active) {
        sentinel.released = true;
        sentinel.dispatchEvent(new Event('release'));
      }
      active.clear();
    };
    const wakeLock = {
      request: async () => {
        probe.wakeLockRequests++;
        const sentinel = new EventTarget() as EventTarget & { released: boolean; type: string; release(): Promise<void> };
        sentinel.released = false;
        sentinel.type = 'screen';
        sentinel.release = async () => {
          sentinel.released = true;
          active.delete(sentinel);
          probe.wakeLockReleases++;
        };
        active.add(sentinel);
        return sentinel;
      },
    };
    Object.defineProperty(Navigator.prototype, 'wakeLock', { configurable: true, get: () => wakeLock });
    class RecordingNotification {
      static permission: NotificationPermission = 'default';
      static async requestPermission(): Promise<NotificationPermission> {
        probe.permissionRequests++;
        RecordingNotification.permission = 'granted';
        return 'granted';
      }
      constructor(title: string, options?: NotificationOptions) {
        probe.notifications.push({ title, body: options?.body });
      }
    }
    Object.defineProperty(window, 'Notification', { configurable: true, writable: true, value: RecordingNotification });
  });
}

export function readProbe(page: Page): Promise<KeepAliveProbe> {
  return page.evaluate(() => ({ ...(window as unknown as { __sliceportProbe: KeepAliveProbe }).__sliceportProbe }));
}

/** Makes the page believe its tab is hidden (as when the user switched tabs). */
export async function pretendHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    if (hidden) (window as unknown as { __sliceportReleaseWakeLocks: () => void }).__sliceportReleaseWakeLocks();
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** Whether closing the tab now would ask the user first. */
export function beforeUnloadWouldWarn(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}
