import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { JobRecord } from '../../storage/records.js';
import { onStorageChange } from '../../storage/storage-changes.js';
import { formatFilament, historyTotals, jobDurationMs, jobsNewestFirst, outcomeLabels, type OutcomeFilter } from '../../printer-panel/history-stats.js';
import { formatDuration } from '../../printer-panel/remaining-time.js';
import { formatDateTime } from '../byte-size.js';
import { panelStorage } from '../printer/panel-storage.js';
import { closeStaleJobRecords } from '../printer/printer-session.js';
import { panelStyles } from '../printer/panel-styles.js';
import { isResumable, resumeLabel } from '../../printer/resume/resumable.js';

const filters: OutcomeFilter[] = ['all', 'completed', 'cancelled', 'failed', 'interrupted', 'running'];

@customElement('sp-history-view')
export class HistoryView extends LitElement {
  static override styles = [
    panelStyles,
    css`
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: left;
        padding: 0.25rem 0.5rem;
        border-bottom: 1px solid color-mix(in srgb, currentColor 12%, transparent);
      }
      td {
        overflow-wrap: anywhere;
      }
      /* On a phone each job is a small card of labelled lines instead of a seven-column row. */
      @media (max-width: 640px) {
        table,
        tbody,
        tr,
        td {
          display: block;
        }
        thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
        }
        tr {
          border: 1px solid color-mix(in srgb, currentColor 20%, transparent);
          border-radius: 8px;
          padding: 0.25rem 0;
          margin-block: 0.5rem;
        }
        td {
          border-bottom: none;
          display: grid;
          grid-template-columns: 6.5rem minmax(0, 1fr);
          gap: 0.5rem;
        }
        td[data-label]::before {
          content: attr(data-label);
          opacity: 0.7;
        }
        td:empty {
          display: none;
        }
        td.job-actions {
          display: flex;
          flex-wrap: wrap;
          gap: 0.25rem 1rem;
        }
      }
    `,
  ];

  @state() private jobs: JobRecord[] = [];
  @state() private filter: OutcomeFilter = 'all';
  @state() private problem = '';
  @state() private loaded = false;
  private stop: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Records left "running" by a tab that died are closed first (their change reloads the list).
    void closeStaleJobRecords().catch(() => 0);
    void this.load();
    this.stop = onStorageChange((change) => {
      if (change.store === 'jobs') void this.load();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop?.();
  }

  private async load(): Promise<void> {
    try {
      this.jobs = await (await panelStorage()).jobs.list();
      this.problem = '';
    } catch (error) {
      this.problem = error instanceof Error ? error.message : 'The print history could not be read.';
    }
    this.loaded = true;
  }

  override render() {
    const shown = jobsNewestFirst(this.jobs, this.filter);
    const totals = historyTotals(shown);
    // A print already resumed is not offered again (the resumed job offers its own, if it stops too).
    const resumed = new Set(this.jobs.flatMap((j) => (j.resumedFrom ? [j.resumedFrom.jobId] : [])));
    return html`<h1>History</h1>
      <section class="card" aria-label="Totals" data-testid="history-totals">
        <div class="row">
          <span><strong>${totals.jobs}</strong> jobs</span>
          <span
            ><strong data-testid="history-hours">${totals.printHours >= 1 ? `${totals.printHours.toFixed(1)} h` : formatDuration(totals.printHours * 3600)}</strong>
            of printing</span
          >
          <span><strong>${formatFilament(totals.filamentMm)}</strong> of filament</span>
          <span
            >${totals.successRate === undefined
              ? html`<span class="muted">no finished jobs yet</span>`
              : html`<strong data-testid="history-success">${Math.round(totals.successRate * 100)}%</strong> successful`}</span
          >
        </div>
      </section>
      <div class="row" role="radiogroup" aria-label="Show">
        ${filters.map(
          (f) => html`<label
            ><input type="radio" name="filter" .checked=${this.filter === f} @change=${() => (this.filter = f)} data-testid="filter-${f}" />
            ${f === 'all' ? 'All' : outcomeLabels[f]}</label
          >`,
        )}
      </div>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.loaded && shown.length === 0 ? html`<p class="muted">No print jobs${this.filter === 'all' ? ' yet' : ' with this outcome'}.</p>` : nothing}
      ${shown.length > 0
        ? html`<table data-testid="history-table">
            <thead>
              <tr>
                <th>File</th>
                <th>Printer</th>
                <th>Started</th>
                <th>Duration</th>
                <th>Outcome</th>
                <th>Filament</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${shown.map(
                (job) => html`<tr data-testid="history-row" data-outcome=${job.outcome}>
                  <td data-label="File">
                    <span>${job.fileName}${job.resumedFrom
                      ? html`<br /><span class="muted" data-testid="history-resumed-from"
                            >resumed from layer ${job.resumedFrom.layer + 1} of the print started ${formatDateTime(job.resumedFrom.startedAt)}</span
                          >`
                      : nothing}</span
                    >
                  </td>
                  <td data-label="Printer">${job.printerName}</td>
                  <td data-label="Started">${formatDateTime(job.startedAt)}</td>
                  <td data-label="Duration">${formatDuration(jobDurationMs(job) / 1000)}</td>
                  <td data-testid="history-outcome" data-label="Outcome"><span>${outcomeLabels[job.outcome]}${job.reason ? html`<br /><span class="muted">${job.reason}</span>` : nothing}${job.outcome !== 'completed' ? html` <span class="muted">(${Math.round(job.progress * 100)}%)</span>` : nothing}</span></td>
                  <td data-label="Filament">${formatFilament(job.filamentUsedMm)}</td>
                  <td class="job-actions">
                    ${isResumable(job) && !resumed.has(job.id)
                      ? html`<a data-testid="history-resume" href=${`#/printer?resume=${encodeURIComponent(job.id)}`}>${resumeLabel(job)}</a><br />`
                      : nothing}
                    ${resumed.has(job.id) ? html`<span class="muted">Resumed</span><br />` : nothing}
                    ${job.outcome === 'running' ? nothing : html`<a href=${`#/printer?gcode=${encodeURIComponent(job.gcodeId)}`}>Print again</a>`}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-history-view': HistoryView;
  }
}
