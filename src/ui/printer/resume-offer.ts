// The Printer view's offer to resume an interrupted print: the job named by the route
// (`#/printer?resume=<jobId>`, from History) or else the newest job when it was interrupted with a
// checkpoint. It opens the resume dialog; resuming needs the printer connected and idle.

import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { isResumable, resumeLabel } from '../../printer/resume/resumable.js';
import type { JobRecord } from '../../storage/records.js';
import { onStorageChange } from '../../storage/storage-changes.js';
import { MirrorController } from './mirror-controller.js';
import { panelStorage } from './panel-storage.js';
import { closeStaleJobRecords } from './printer-session.js';
import { panelStyles } from './panel-styles.js';
import './resume-dialog.js';
import type { ResumeDialog } from './resume-dialog.js';

@customElement('sp-resume-offer')
export class ResumeOfferCard extends LitElement {
  static override styles = [panelStyles];

  private readonly printer = new MirrorController(this);
  /** A job to offer, from the route; otherwise the newest job if it was interrupted. */
  @property({ attribute: false }) jobId: string | undefined;
  @state() private job: JobRecord | undefined;
  @query('sp-resume-dialog') private dialog!: ResumeDialog;
  private stop: (() => void) | undefined;
  /** The route's job is opened once, as soon as the printer is ready for it. */
  private autoOpened: string | undefined;
  private dismissed = new Set<string>();

  override connectedCallback(): void {
    super.connectedCallback();
    // A print whose tab died is still "running" in storage until someone closes it: do it here too, so
    // the offer shows without a visit to History (a no-op while any tab holds a printer).
    void closeStaleJobRecords()
      .catch(() => 0)
      .then(() => this.load());
    this.stop = onStorageChange((change) => {
      if (change.store === 'jobs') void this.load();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop?.();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('jobId')) void this.load();
  }

  override updated(): void {
    const job = this.job;
    if (job && this.jobId === job.id && this.autoOpened !== job.id && this.printer.snapshot.state === 'idle') {
      this.autoOpened = job.id;
      void this.dialog.open(job.id);
    }
  }

  private async load(): Promise<void> {
    try {
      const jobs = (await panelStorage()).jobs;
      const wanted = this.jobId ? await jobs.get(this.jobId) : (await jobs.list())[0];
      this.job = wanted && isResumable(wanted) && !this.dismissed.has(wanted.id) ? wanted : undefined;
    } catch {
      this.job = undefined;
    }
  }

  override render() {
    const job = this.job;
    if (!job) return nothing;
    const state = this.printer.snapshot.state;
    const idle = state === 'idle';
    return html`<div class="warning" data-testid="resume-offer" data-job-id=${job.id}>
        <p>
          <strong>${job.fileName}</strong> was interrupted${job.checkpoint ? ` in layer ${job.checkpoint.layer + 1}` : ''}${job.reason ? `: ${job.reason}` : '.'}
        </p>
        <div class="row">
          <button data-testid="resume-open" ?disabled=${!idle} @click=${() => this.dialog.open(job.id)}>${resumeLabel(job)}</button>
          <button data-testid="resume-pick" ?disabled=${!idle} @click=${() => this.dialog.open(job.id, { focusLayer: true })}>From layer…</button>
          ${!idle ? html`<span class="muted">${state === 'disconnected' || state === 'error' ? 'Connect the printer to resume.' : 'The printer is busy.'}</span>` : nothing}
        </div>
      </div>
      <sp-resume-dialog
        @resume-started=${() => {
          this.dismissed.add(job.id);
          this.job = undefined;
        }}
      ></sp-resume-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-resume-offer': ResumeOfferCard;
  }
}
