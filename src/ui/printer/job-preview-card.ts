// Follow the print: the running job's toolpaths, with what the printer has already acknowledged drawn
// as printed and the rest as a pale ghost.
//
// The preview reads and analyses the file in its own worker, and a progress update only moves one
// shader uniform, so this card never holds up the printer worker. Collapsing it removes the preview
// (its worker, GPU buffers and toolpath memory go with it); opening it again re-reads the file.

import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { JobProgress } from '../../printer/link-api.js';
import { MirrorController } from './mirror-controller.js';
import { panelStyles } from './panel-styles.js';

// three.js and the preview come only when a job is shown, so the Printer view itself loads as fast as before.
let previewModule: Promise<unknown> | undefined;
function loadPreview(): void {
  previewModule ??= import('../preview/gcode-preview.js').catch((error: unknown) => {
    previewModule = undefined;
    console.warn('The toolpath preview could not be loaded', error);
  });
}

/** Remembered for the page's life, so a user who closed the preview is not shown it again at the next job. */
let keepOpen = true;

/** The line to mark as printed: nothing before the first acknowledgement, everything once completed. */
export function printedLineOf(job: JobProgress): number {
  if (job.fileLine !== undefined) return job.fileLine;
  return job.state === 'completed' && job.totalLines !== undefined ? job.totalLines : 0;
}

@customElement('sp-printer-job-preview')
export class PrinterJobPreview extends LitElement {
  static override styles = [
    panelStyles,
    css`
      summary {
        cursor: pointer;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        align-items: baseline;
      }
      summary h2 {
        display: inline;
        margin: 0;
      }
      sp-gcode-preview {
        margin-top: 0.5rem;
        --sp-preview-height: 45vh;
      }
    `,
  ];

  private readonly printer = new MirrorController(this);
  @state() private open = keepOpen;

  private onToggle(event: Event): void {
    this.open = (event.target as HTMLDetailsElement).open;
    keepOpen = this.open;
  }

  override render() {
    const job = this.printer.snapshot.job;
    if (!job) return nothing;
    const line = printedLineOf(job);
    if (this.open) loadPreview();
    const of = job.totalLines !== undefined ? ` of ${job.totalLines.toLocaleString()}` : '';
    return html`<section class="card" data-testid="job-preview-card">
      <details ?open=${this.open} @toggle=${this.onToggle}>
        <summary>
          <h2>Toolpath</h2>
          <span class="muted" data-testid="job-preview-line" data-line=${line}
            >${line > 0 ? `Printed up to line ${line.toLocaleString()}${of}` : 'Nothing printed yet'}</span
          >
        </summary>
        ${this.open
          ? html`<sp-gcode-preview data-testid="job-preview" no-open gcode-id=${job.gcodeId} .printedLine=${line}></sp-gcode-preview>`
          : nothing}
      </details>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-job-preview': PrinterJobPreview;
  }
}
