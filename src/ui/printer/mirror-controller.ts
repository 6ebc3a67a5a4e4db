// Re-renders a component when the printer mirror changes. Lit batches requestUpdate into one render
// per frame-ish microtask, so a burst of events costs one render.

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PrinterClient } from '../../printer/printer-client.js';
import { printerSession } from './printer-session.js';

export class MirrorController implements ReactiveController {
  readonly client: PrinterClient;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly host: ReactiveControllerHost, client?: PrinterClient) {
    this.client = client ?? printerSession();
    host.addController(this);
  }

  get snapshot() {
    return this.client.mirror.snapshot;
  }

  hostConnected(): void {
    this.unsubscribe = this.client.mirror.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
