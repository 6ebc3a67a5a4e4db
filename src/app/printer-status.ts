// What the status bar and the update prompt know about the printer. The Printer view (which mirrors
// the printer worker) reports changes with
//   window.dispatchEvent(new CustomEvent('sp-printer-state', { detail: { state: 'printing', label: 'Printing 42 %' } }))
// and everything else reads `printerStatus` here. Until a printer is connected the state is
// 'disconnected'.

import type { ConnectionState } from '../printer/link-api.js';

export const PRINTER_STATE_EVENT = 'sp-printer-state';

export interface PrinterStatus {
  state: ConnectionState;
  /** Short text for the status bar; defaults to a description of the state. */
  label?: string;
}

export const PRINTER_STATE_LABELS: Record<ConnectionState, string> = {
  disconnected: 'No printer connected',
  connecting: 'Connecting…',
  idle: 'Printer ready',
  heating: 'Heating',
  printing: 'Printing',
  paused: 'Paused',
  error: 'Printer error',
};

/** States in which reloading the page would stop what the printer is doing. */
export function printerIsBusy(state: ConnectionState): boolean {
  return state === 'printing' || state === 'paused' || state === 'heating';
}
