// Puts a G-code into the app's IndexedDB the way the storage layer keeps it (metadata + 1 MiB chunks,
// see src/storage/records.ts), after the app has opened and upgraded the database, then announces it
// on the storage channel like the storage layer does.

import type { Page } from '@playwright/test';
import type { GcodeFixture } from './gcode-fixture.js';

export async function storeGcode(page: Page, fixture: GcodeFixture, meta: { estimatedSeconds?: number; layerCount?: number } = {}): Promise<string> {
  return page.evaluate(
    async ({ name, text, meta }) => {
      const bytes = new TextEncoder().encode(text);
      const id = `e2e-${crypto.randomUUID()}`;
      const chunkSize = 1024 * 1024;
      const chunkCount = Math.max(1, Math.ceil(bytes.byteLength / chunkSize));
      // Wait until the app has created the database (its schema upgrade runs on first open).
      let db: IDBDatabase | undefined;
      for (let attempt = 0; attempt < 100; attempt++) {
        db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('sliceport');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        if (db.objectStoreNames.contains('gcode') && db.objectStoreNames.contains('gcodeChunks')) break;
        db.close();
        db = undefined;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!db) throw new Error('The app never created its database');
      const tx = db.transaction(['gcode', 'gcodeChunks'], 'readwrite');
      const now = Date.now();
      tx.objectStore('gcode').put({
        id,
        name,
        size: bytes.byteLength,
        chunkCount,
        chunkSize,
        addedAt: now,
        updatedAt: now,
        source: 'file',
        lineCount: text.split('\n').length - 1,
        ...meta,
      });
      for (let i = 0; i < chunkCount; i++) {
        tx.objectStore('gcodeChunks').put({ gcodeId: id, index: i, bytes: bytes.slice(i * chunkSize, (i + 1) * chunkSize).buffer });
      }
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      const channel = new BroadcastChannel('sliceport-storage');
      channel.postMessage({ store: 'gcode', kind: 'put', ids: [id] });
      channel.close();
      return id;
    },
    { name: fixture.name, text: fixture.text, meta },
  );
}

export interface StoredJob {
  id: string;
  gcodeId: string;
  fileName: string;
  outcome: string;
  reason?: string;
  progress: number;
  filamentUsedMm: number;
  endedAt?: number;
}

export async function storedJobs(page: Page): Promise<StoredJob[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sliceport');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    if (!db.objectStoreNames.contains('jobs')) return [];
    const all = await new Promise<StoredJob[]>((resolve, reject) => {
      const request = db.transaction('jobs').objectStore('jobs').getAll();
      request.onsuccess = () => resolve(request.result as StoredJob[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return all;
  });
}
