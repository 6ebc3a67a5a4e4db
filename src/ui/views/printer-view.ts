import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import '../printer/connect-card.js';
import '../printer/control-card.js';
import '../printer/emergency-stop.js';
import '../printer/job-card.js';
import '../printer/job-preview-card.js';
import '../printer/owner-banner.js';
import '../printer/simulator-diagnostics.js';
import '../printer/status-card.js';
import '../printer/temperature-card.js';
import '../printer/terminal-card.js';
import { printerSession } from '../printer/printer-session.js';


@customElement('sp-printer-view')
export class PrinterView extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    h1 {
      font-size: 1.5em;
      margin: 0.83em 0;
    }
    .columns {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
      gap: 0 1rem;
      align-items: start;
    }
  `;

  /**
   * The route's query, set by the shell: `#/printer?gcode=<id>` hands a stored G-code over to print,
   * `#/printer?resume=<jobId>` an interrupted job to resume.
   */
  @property({ attribute: false }) params: Readonly<Record<string, string>> = {};
  /** Whether the view is the one shown. */
  @property({ type: Boolean }) active = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // The worker is created with the view (and kept for the page's life), before any click to connect.
    printerSession();
  }

  override render() {
    return html`<h1>Printer</h1>
      <sp-emergency-stop></sp-emergency-stop>
      <sp-printer-owner-banner></sp-printer-owner-banner>
      <sp-printer-connect></sp-printer-connect>
      <div class="columns">
        <div>
          <sp-printer-status></sp-printer-status>
          <sp-printer-job .gcodeId=${this.params.gcode} .resumeJobId=${this.params.resume}></sp-printer-job>
          <sp-printer-job-preview></sp-printer-job-preview>
          <sp-printer-temperatures></sp-printer-temperatures>
        </div>
        <div>
          <sp-printer-controls></sp-printer-controls>
          <sp-printer-terminal></sp-printer-terminal>
          <sp-simulator-diagnostics></sp-simulator-diagnostics>
        </div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-view': PrinterView;
  }
}
