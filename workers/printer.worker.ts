// The printer worker: one per connected printer. It owns the port, the protocol engine, the job's file
// reading and its history record (all in `PrinterLink`); this file only wires them to Comlink, storage,
// the transports and real timers.

import * as Comlink from 'comlink';
import { PrinterLink, type JobFiles } from '../src/printer/printer-link.js';
import { openTransport } from '../src/printer/transport/index.js';
import { openSliceportStorage, type SliceportStorage } from '../src/storage/sliceport-storage.js';

let storage: Promise<SliceportStorage> | null = null;
function files(): Promise<JobFiles> {
  // A running print keeps its connection through a schema upgrade prompt from another tab.
  storage ??= openSliceportStorage({
    onVersionChange: () => false,
    onClosed: () => {
      storage = null;
    },
  });
  return storage.then((s) => ({
    getGcode: (id) => s.gcode.get(id),
    chunks: (id, fromChunk) => s.gcode.chunks(id, fromChunk !== undefined ? { fromChunk } : {}),
    putJob: (record) => s.jobs.put(record),
    getJob: (id) => s.jobs.get(id),
  }));
}

const link = new PrinterLink({
  openTransport,
  files,
  clock: {
    now: () => performance.timeOrigin + performance.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
  newId: () => crypto.randomUUID(),
});

Comlink.expose(link);
