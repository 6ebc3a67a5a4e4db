// Tells every tab and worker of this origin that stored records changed, after the write committed.
// The printer worker writes job records itself; the History view learns of them this way. A
// BroadcastChannel reaches other channel objects in the same thread too, so one mechanism serves all.

import type { SliceportStoreName } from './schema.js';

export const STORAGE_CHANNEL = 'sliceport-storage';

export interface StorageChange {
  store: SliceportStoreName;
  kind: 'put' | 'delete';
  ids: string[];
}

export function announceChange(change: StorageChange): void {
  if (typeof BroadcastChannel === 'undefined') return;
  // Opened per message and closed at once: an open channel would keep a Node test process alive.
  const channel = new BroadcastChannel(STORAGE_CHANNEL);
  try {
    channel.postMessage(change);
  } finally {
    channel.close();
  }
}

/** Calls `listener` for every committed change; returns a function that stops listening. */
export function onStorageChange(listener: (change: StorageChange) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(STORAGE_CHANNEL);
  channel.onmessage = (event: MessageEvent<StorageChange>) => listener(event.data);
  return () => channel.close();
}
