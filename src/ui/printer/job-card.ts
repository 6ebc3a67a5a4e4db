// Jobs: pick a stored G-code (or the one handed over by the route), start it, follow its progress,
// pause, resume or cancel it, and answer the firmware's prompts.

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { GcodeRecord } from '../../storage/records.js';
import { onStorageChange } from '../../storage/storage-changes.js';
import { formatFilament } from '../../printer-panel/history-stats.js';
import { isJobActive, summarizeJob } from '../../printer-panel/job-summary.js';
import { formatDuration } from '../../printer-panel/remaining-time.js';
import { askNotificationPermissionOnce } from './keep-alive.js';
import { dangerousCommandsCode } from '../../printer/printer-client.js';
import { MirrorController } from './mirror-controller.js';
import { panelStorage } from './panel-storage.js';
import { panelStyles } from './panel-styles.js';
import './resume-offer.js';

type Pending = 'pause' | 'cancel' | null;

@customElement('sp-printer-job')
export class PrinterJob extends LitElement {
  static override styles = [
    panelStyles,
    css`
      progress {
        width: 100%;
        height: 1.2rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.1rem 1rem;
        margin: 0.5rem 0;
      }
      dt {
        opacity: 0.7;
      }
      dd {
        margin: 0;
      }
    `,
  ];

  private readonly printer = new MirrorController(this);
  /** A G-code to preselect, from `#/printer?gcode=<id>`. */
  @property({ attribute: 'gcode-id' }) gcodeId: string | undefined;
  /** An interrupted job to offer for resuming, from `#/printer?resume=<id>`. */
  @property({ attribute: false }) resumeJobId: string | undefined;
  @state() private files: GcodeRecord[] = [];
  @state() private chosen: string | undefined;
  @state() private pending: Pending = null;
  @state() private message = '';
  @state() private starting = false;
  /** A file with dangerous commands, waiting for the user's answer. */
  @state() private askDanger: { id: string; text: string } | null = null;
  private stopListening: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadFiles();
    this.stopListening = onStorageChange((change) => {
      if (change.store === 'gcode') void this.loadFiles();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('gcodeId') && this.gcodeId) this.chosen = this.gcodeId;
  }

  private async loadFiles(): Promise<void> {
    try {
      const storage = await panelStorage();
      this.files = (await storage.gcode.list()).sort((a, b) => b.addedAt - a.addedAt);
      if (!this.chosen || !this.files.some((f) => f.id === this.chosen)) this.chosen = this.gcodeId && this.files.some((f) => f.id === this.gcodeId) ? this.gcodeId : this.files[0]?.id;
    } catch (error) {
      this.message = error instanceof Error ? error.message : 'The library could not be read.';
    }
  }

  private async start(id: string | undefined, dangerousConfirmed = false): Promise<void> {
    if (!id) return;
    this.starting = true;
    this.message = '';
    this.askDanger = null;
    // The first print is the moment to ask: the user is here, clicking, and about to walk away.
    void askNotificationPermissionOnce();
    const outcome = await this.printer.client.startJob(id, { dangerousConfirmed });
    this.starting = false;
    if (!outcome.ok && outcome.error.code === dangerousCommandsCode) this.askDanger = { id, text: outcome.error.message };
    else if (!outcome.ok) this.message = outcome.error.message;
  }

  private async act(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    this.pending = null;
    const client = this.printer.client;
    const outcome = await (action === 'pause' ? client.pause() : action === 'resume' ? client.resume() : client.cancel());
    this.message = outcome.ok ? '' : outcome.error.message;
  }

  override render() {
    const { job, state, prompt } = this.printer.snapshot;
    const connected = ['idle', 'heating', 'printing', 'paused'].includes(state);
    const active = isJobActive(job);
    return html`<section class="card" aria-labelledby="job">
      <h2 id="job">Print job</h2>
      ${job ? this.renderProgress() : nothing}
      ${!active ? html`<sp-resume-offer .jobId=${this.resumeJobId}></sp-resume-offer>` : nothing}
      ${!active
        ? html`<div class="row">
            <label
              >File
              <select data-testid="job-file" @change=${(e: Event) => (this.chosen = (e.target as HTMLSelectElement).value)}>
                ${this.files.length === 0 ? html`<option value="">No G-code in the library yet</option>` : nothing}
                ${this.files.map((f) => html`<option value=${f.id} ?selected=${f.id === this.chosen}>${f.name}${f.estimatedSeconds ? ` (${formatDuration(f.estimatedSeconds)})` : ''}</option>`)}
              </select>
            </label>
            <button data-testid="job-start" ?disabled=${!connected || !this.chosen || this.starting} @click=${() => this.start(this.chosen)}>Start print</button>
            ${!connected ? html`<span class="muted">Connect to a printer to print.</span>` : nothing}
          </div>`
        : nothing}
      ${this.message ? html`<p class="problem" role="alert" data-testid="job-message">${this.message}</p>` : nothing}
      ${this.askDanger
        ? html`<div class="confirm" role="alertdialog" aria-label="Print this file?" data-testid="job-danger">
            <p style="white-space: pre-line">${this.askDanger.text}</p>
            <button data-testid="job-danger-print" @click=${() => this.start(this.askDanger?.id, true)}>Print anyway</button>
            <button data-testid="job-danger-cancel" @click=${() => (this.askDanger = null)}>Don’t print</button>
          </div>`
        : nothing}
      ${prompt ? this.renderPrompt(prompt.text, prompt.buttons) : nothing}
    </section>`;
  }

  private renderProgress() {
    const job = this.printer.snapshot.job!;
    const s = summarizeJob(job);
    const active = isJobActive(job);
    const chosenFile = this.files.find((f) => f.id === job.gcodeId);
    return html`<div data-testid="job-progress" data-job-state=${job.state}>
      <div class="row"><strong>${job.fileName}</strong> <span data-testid="job-state">${s.stateText}</span></div>
      <progress max="1" .value=${s.fraction} aria-label="Print progress"></progress>
      <dl>
        <dt>Progress</dt>
        <dd data-testid="job-percent">${s.percentText}</dd>
        <dt>Elapsed</dt>
        <dd>${s.elapsedText}</dd>
        <dt>Remaining</dt>
        <dd data-testid="job-remaining">${s.remainingText}</dd>
        ${s.layerText ? html`<dt>Layer</dt><dd data-testid="job-layer">${s.layerText}</dd>` : nothing}
        <dt>Filament used</dt>
        <dd>${s.filamentText}${chosenFile?.filamentMm ? html` <span class="muted">of ${formatFilament(chosenFile.filamentMm)}</span>` : nothing}</dd>
      </dl>
      ${active
        ? html`<div class="row">
            ${job.state === 'paused'
              ? html`<button data-testid="job-resume" @click=${() => this.act('resume')}>Resume</button>`
              : html`<button data-testid="job-pause" ?disabled=${job.state !== 'printing'} @click=${() => (this.pending = 'pause')}>Pause</button>`}
            <button data-testid="job-cancel" ?disabled=${job.state === 'cancelling'} @click=${() => (this.pending = 'cancel')}>Cancel</button>
          </div>`
        : html`<button data-testid="job-again" @click=${() => this.start(job.gcodeId)}>Print again</button>`}
      ${this.pending
        ? html`<div class="confirm" role="alertdialog" aria-label="Confirm">
            ${this.pending === 'pause'
              ? 'Pause the print? The head parks and the hotend stays hot.'
              : 'Cancel the print? This cannot be undone: the print cannot be resumed.'}
            <button data-testid="job-confirm" @click=${() => this.act(this.pending!)}>${this.pending === 'pause' ? 'Pause' : 'Cancel the print'}</button>
            <button @click=${() => (this.pending = null)}>Keep printing</button>
          </div>`
        : nothing}
    </div>`;
  }

  private renderPrompt(text: string, buttons: readonly string[]) {
    return html`<dialog open data-testid="host-prompt" aria-label="The printer asks">
      <p>${text}</p>
      <div class="row">
        ${(buttons.length > 0 ? buttons : ['OK']).map(
          (label, index) => html`<button
            @click=${async () => {
              const outcome = await this.printer.client.answerPrompt(index);
              if (!outcome.ok) this.message = outcome.error.message;
            }}
          >
            ${label}
          </button>`,
        )}
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-job': PrinterJob;
  }
}
