// For the simulated printer only: what its firmware executed, in order. Useful to see what a host
// really sends (pause and cancel scripts, resends) without hardware.

import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { MirrorController } from './mirror-controller.js';
import { panelStyles } from './panel-styles.js';

@customElement('sp-simulator-diagnostics')
export class SimulatorDiagnostics extends LitElement {
  static override styles = panelStyles;
  private readonly printer = new MirrorController(this);
  @state() private lines: string[] | null = null;

  /** The executed commands, or null when the printer is not the simulated one. */
  async refresh(): Promise<string[] | null> {
    this.lines = await this.printer.client.simulatorLog();
    return this.lines;
  }

  override render() {
    const choice = this.printer.client.choice;
    if (choice?.kind !== 'simulator' || this.printer.snapshot.state === 'disconnected') return nothing;
    return html`<details class="card" @toggle=${(e: Event) => (e.target as HTMLDetailsElement).open && this.refresh()}>
      <summary>Simulated printer: executed commands</summary>
      <button @click=${() => this.refresh()}>Refresh</button>
      ${this.lines === null
        ? html`<p class="muted">Not available.</p>`
        : html`<p class="muted">${this.lines.length} commands executed (latest last).</p>
            <pre style="max-height: 12rem; overflow: auto">${this.lines.slice(-200).join('\n')}</pre>`}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-simulator-diagnostics': SimulatorDiagnostics;
  }
}
