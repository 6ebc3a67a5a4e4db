// Connection state, firmware and the capabilities that change what Sliceport does.

import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { ConnectionState } from '../../printer/link-api.js';
import { isJobActive } from '../../printer-panel/job-summary.js';
import { MirrorController } from './mirror-controller.js';
import { panelStyles } from './panel-styles.js';

const stateLabels: Record<ConnectionState, string> = {
  disconnected: 'Disconnected',
  connecting: 'Connecting…',
  idle: 'Ready',
  heating: 'Heating',
  printing: 'Printing',
  paused: 'Paused',
  error: 'Error',
};

const capabilityLabels: Record<string, string> = {
  AUTOREPORT_TEMP: 'Temperature auto-report',
  EMERGENCY_PARSER: 'Emergency parser',
  HOST_ACTION_COMMANDS: 'Host actions',
  PROMPT_SUPPORT: 'Prompts',
  SDCARD: 'SD card',
  ARCS: 'Arcs (G2/G3)',
  BABYSTEPPING: 'Babystepping',
  AUTOREPORT_POS: 'Position auto-report',
};

@customElement('sp-printer-status')
export class PrinterStatus extends LitElement {
  static override styles = panelStyles;
  private readonly printer = new MirrorController(this);
  @state() private confirmDisconnect = false;

  private async disconnect(): Promise<void> {
    if (isJobActive(this.printer.snapshot.job) && !this.confirmDisconnect) {
      this.confirmDisconnect = true;
      return;
    }
    this.confirmDisconnect = false;
    await this.printer.client.disconnect();
  }

  override render() {
    const { state, reason, firmware, flowMode } = this.printer.snapshot;
    const caps = Object.entries(capabilityLabels).filter(([cap]) => firmware?.capabilities[cap]);
    return html`<section class="card" aria-labelledby="status">
      <h2 id="status">Printer</h2>
      <div class="row">
        <strong data-testid="printer-state" data-state=${state}>${stateLabels[state]}</strong>
        ${reason ? html`<span class=${state === 'error' ? 'problem' : 'muted'} data-testid="printer-reason">${reason}</span>` : nothing}
        ${state !== 'disconnected' ? html`<button @click=${() => this.disconnect()}>Disconnect</button>` : nothing}
      </div>
      ${this.confirmDisconnect
        ? html`<p class="confirm">
            Disconnecting stops the running print. <button @click=${() => this.disconnect()}>Disconnect anyway</button>
            <button @click=${() => (this.confirmDisconnect = false)}>Keep printing</button>
          </p>`
        : nothing}
      ${firmware
        ? html`<p>
              <span data-testid="firmware-name">${firmware.name}</span>
              ${firmware.fields.MACHINE_TYPE ? html`<span class="muted"> · ${firmware.fields.MACHINE_TYPE}</span>` : nothing}
              <span class="muted"> · ${flowMode === 'fast' ? 'fast sending' : 'safe sending'}</span>
            </p>
            <div class="row">${caps.map(([, label]) => html`<span class="chip">${label}</span>`)}</div>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-status': PrinterStatus;
  }
}
