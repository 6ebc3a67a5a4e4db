// Emergency stop: always visible while connected. It calls the worker directly; it asks first only
// when nothing is printing or heating, because then a confirmation cannot cost a print. If the printer
// worker died, it still does what the page can (re-open the port and send the stop) and says what.

import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { emergencyStopNeedsConfirmation } from '../../printer-panel/printer-controls.js';
import { MirrorController } from './mirror-controller.js';

@customElement('sp-emergency-stop')
export class EmergencyStop extends LitElement {
  static override styles = css`
    :host {
      position: sticky;
      top: 0;
      z-index: 10;
      display: block;
    }
    button.stop {
      background: #c62828;
      color: white;
      font-weight: 700;
      border: 2px solid #7f0000;
      border-radius: 8px;
      padding: 0.5rem 1rem;
      cursor: pointer;
    }
    .confirm {
      display: inline-flex;
      gap: 0.5rem;
      align-items: center;
      margin-left: 0.5rem;
    }
  `;

  private readonly printer = new MirrorController(this);
  @state() private confirming = false;
  @state() private result = '';

  private press(): void {
    const { state, job, temperatures } = this.printer.snapshot;
    // After a crash nobody knows what the printer is doing: no question asked.
    if (!this.printer.client.crash && emergencyStopNeedsConfirmation(state, job, temperatures) && !this.confirming) {
      this.confirming = true;
      return;
    }
    this.confirming = false;
    void this.stop();
  }

  private async stop(): Promise<void> {
    const outcome = await this.printer.client.emergencyStop();
    this.result = outcome.ok
      ? (outcome.said ?? 'Emergency stop sent. The printer must be reset (power cycle or reconnect) before it can print again.')
      : outcome.error.message;
  }

  override render() {
    const state = this.printer.snapshot.state;
    if (state === 'disconnected') return nothing;
    return html`<button class="stop" data-testid="emergency-stop" @click=${() => this.press()} title="M112: stops heaters and motors at once">
        Emergency stop
      </button>
      ${this.confirming
        ? html`<span class="confirm" role="alertdialog" aria-label="Confirm emergency stop"
            >Nothing is printing. Stop the printer anyway? It will need a reset.
            <button data-testid="emergency-stop-confirm" @click=${() => this.press()}>Stop it</button>
            <button @click=${() => (this.confirming = false)}>Keep running</button></span
          >`
        : nothing}
      ${this.result ? html`<p role="status" data-testid="emergency-stop-result">${this.result}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-emergency-stop': EmergencyStop;
  }
}
