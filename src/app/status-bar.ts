// The strip along the bottom: what the printer is doing and how much storage Sliceport uses.

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConnectionState } from '../printer/link-api.js';
import { onStorageChange } from '../storage/storage-changes.js';
import { availableBytes, type LibraryUsage } from '../storage/library-usage.js';
import { readStorageQuota, type StorageQuota } from '../storage/storage-quota.js';
import { formatByteSize } from '../ui/byte-size.js';
import { readLibraryUsage } from './app-storage.js';
import { PRINTER_STATE_LABELS } from './printer-status.js';

const REFRESH_MS = 60_000;

@customElement('sp-status-bar')
export class StatusBar extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px 20px;
      padding: 6px 16px;
      font-size: 0.875rem;
      border-top: 1px solid var(--sp-border);
      background: var(--sp-surface);
      color: var(--sp-muted);
    }
    .printer {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      color: var(--sp-text);
    }
    .dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: var(--sp-muted);
    }
    .dot[data-state='idle'] {
      background: var(--sp-ok);
    }
    .dot[data-state='printing'],
    .dot[data-state='heating'],
    .dot[data-state='connecting'] {
      background: var(--sp-accent);
    }
    .dot[data-state='paused'] {
      background: var(--sp-warn);
    }
    .dot[data-state='error'] {
      background: var(--sp-danger);
    }
  `;

  @property({ attribute: false }) printerState: ConnectionState = 'disconnected';
  @property({ attribute: false }) printerLabel: string | undefined;
  /** Show the emergency stop while a printer is connected (the Printer view has its own). */
  @property({ attribute: false }) emergencyStop = false;
  @state() private quota: StorageQuota = {};
  @state() private usage: LibraryUsage | undefined;
  private timer: number | undefined;
  private stopListening: (() => void) | undefined;
  private refreshQueued = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
    this.stopListening = onStorageChange(() => this.queueRefresh());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
    this.stopListening?.();
  }

  /** Many writes in a row (a streamed G-code file) cause one estimate, not one each. */
  private queueRefresh(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    window.setTimeout(() => {
      this.refreshQueued = false;
      void this.refresh();
    }, 1000);
  }

  private async refresh(): Promise<void> {
    const [quota, usage] = await Promise.all([readStorageQuota(), readLibraryUsage()]);
    this.quota = quota;
    this.usage = usage;
  }

  /**
   * The printer state only leaves `disconnected` once the Printer view has started the page's printer
   * session, so the button (which talks to that session) never creates the worker by itself.
   */
  private get showEmergencyStop(): boolean {
    return this.emergencyStop && this.printerState !== 'disconnected';
  }

  override willUpdate(): void {
    if (this.showEmergencyStop && !customElements.get('sp-emergency-stop')) void import('../ui/printer/emergency-stop.js');
  }

  override render() {
    const label = this.printerLabel ?? PRINTER_STATE_LABELS[this.printerState];
    const stored = this.usage?.storedBytes;
    const available = availableBytes(this.quota);
    const storage =
      stored === undefined
        ? 'Storage use unknown'
        : `Library: ${formatByteSize(stored)} stored${available === undefined ? '' : `, ${formatByteSize(available)} available`}`;
    return html`
      <span class="printer" role="status" aria-label="Printer: ${label}">
        <span class="dot" data-state=${this.printerState} aria-hidden="true"></span>${label}
      </span>
      ${this.showEmergencyStop ? html`<sp-emergency-stop data-testid="status-emergency-stop"></sp-emergency-stop>` : nothing}
      <span class="storage" data-testid="storage-used">${storage}</span>
      <slot></slot>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-status-bar': StatusBar;
  }
}
