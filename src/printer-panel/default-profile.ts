// The printer profile used when the user has not set one up yet: a generic Marlin printer with
// conservative limits, so the simulated printer and a first USB connection work out of the box.

import type { PrinterProfileRecord } from '../storage/records.js';

export const genericPrinterProfileId = 'generic-marlin';

export function genericPrinterProfile(now = Date.now()): PrinterProfileRecord {
  return {
    id: genericPrinterProfileId,
    name: 'Generic Marlin printer',
    baudRate: 115200,
    volume: { width: 220, depth: 220, height: 250, shape: 'rectangular', originAtCenter: false },
    extruderCount: 1,
    heatedBed: true,
    heatedChamber: false,
    maxHotendTemp: 275,
    maxBedTemp: 110,
    scripts: { pause: '', resume: '', cancel: '', afterConnect: '' },
    receiveBufferBytes: 128,
    flowControl: 'auto',
    updatedAt: now,
  };
}
