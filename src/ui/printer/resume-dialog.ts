// The resume dialog: what Sliceport knows about an interrupted print, the layer to continue from, the
// nozzle's height, the assumptions the user must confirm one by one, and in plain words (and G-code)
// what will happen. Nothing is sent until every assumption is ticked and the user presses Resume.

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ResumeOffer, ResumePreview, ResumeRequest } from '../../printer/link-api.js';
import { formatDateTime } from '../byte-size.js';
import { MirrorController } from './mirror-controller.js';
import { panelStyles } from './panel-styles.js';

type Assumption = 'part' | 'xy' | 'z' | 'heat';

@customElement('sp-resume-dialog')
export class ResumeDialog extends LitElement {
  static override styles = [
    panelStyles,
    css`
      dialog {
        max-width: min(44rem, 95vw);
        max-height: 90vh;
        overflow: auto;
      }
      fieldset {
        border: 1px solid color-mix(in srgb, currentColor 20%, transparent);
        border-radius: 6px;
        margin-block: 0.5rem;
      }
      fieldset label {
        display: block;
        margin-block: 0.25rem;
      }
      ol {
        padding-left: 1.4rem;
      }
      pre {
        font-size: 0.85em;
        max-height: 12rem;
        overflow: auto;
      }
    `,
  ];

  private readonly printer = new MirrorController(this);
  /** The interrupted job to resume; opening the dialog loads its offer. */
  @property({ attribute: false }) jobId: string | undefined;
  /** Layer to preselect (0-based), e.g. from "from layer…". */
  @property({ attribute: false }) initialLayer: number | undefined;
  @state() private offer: ResumeOffer | undefined;
  @state() private layer = 0;
  @state() private nozzleZ = 0;
  @state() private homeZ = false;
  @state() private confirmed = new Set<Assumption>();
  @state() private preview: ResumePreview | undefined;
  @state() private problem = '';
  @state() private busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('#resume-layer') private layerPicker: HTMLSelectElement | undefined;
  private previewSeq = 0;

  /** Opens the dialog for `jobId`; `focusLayer` puts the keyboard on the layer picker. */
  async open(jobId: string, options: { layer?: number; focusLayer?: boolean } = {}): Promise<void> {
    this.jobId = jobId;
    this.offer = undefined;
    this.preview = undefined;
    this.problem = '';
    this.confirmed = new Set();
    this.homeZ = false;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    const r = await this.printer.client.resumeOffer(jobId);
    if (!r.ok) {
      this.problem = r.error.message;
      return;
    }
    this.offer = r.offer;
    this.layer = options.layer ?? this.initialLayer ?? r.offer.suggestedLayer;
    this.nozzleZ = r.offer.nozzleZ;
    await this.refreshPreview();
    if (options.focusLayer) {
      await this.updateComplete;
      this.layerPicker?.focus();
    }
  }

  close(): void {
    this.dialog?.close();
  }

  private request(): ResumeRequest {
    return { jobId: this.offer!.jobId, layer: this.layer, nozzleZ: this.nozzleZ, homeZ: this.homeZ };
  }

  private async refreshPreview(): Promise<void> {
    if (!this.offer) return;
    const seq = ++this.previewSeq;
    const preview = await this.printer.client.previewResume(this.request());
    if (seq === this.previewSeq) this.preview = preview;
  }

  private toggle(a: Assumption, on: boolean): void {
    const next = new Set(this.confirmed);
    if (on) next.add(a);
    else next.delete(a);
    this.confirmed = next;
  }

  private async resume(): Promise<void> {
    this.busy = true;
    this.problem = '';
    const outcome = await this.printer.client.resumeJob(this.request());
    this.busy = false;
    if (!outcome.ok) {
      this.problem = outcome.error.message;
      return;
    }
    this.close();
    this.dispatchEvent(new CustomEvent('resume-started', { bubbles: true, composed: true }));
  }

  override render() {
    const o = this.offer;
    const p = this.preview;
    const idle = this.printer.snapshot.state === 'idle';
    const all: Assumption[] = ['part', 'xy', 'z', 'heat'];
    const ready = !!o && !!p && p.ok && idle && all.every((a) => this.confirmed.has(a)) && !this.busy;
    return html`<dialog aria-labelledby="resume-title" data-testid="resume-dialog" @close=${() => (this.busy = false)}>
      <h2 id="resume-title">${o ? `Resume ${o.fileName}` : 'Resume the print'}</h2>
      ${this.problem ? html`<p class="problem" role="alert" data-testid="resume-problem">${this.problem}</p>` : nothing}
      ${!o && !this.problem ? html`<p class="muted">Reading the print file…</p>` : nothing}
      ${o
        ? html`<p data-testid="resume-summary">
              The print stopped in layer ${o.interruptedLayer + 1} of ${o.layerCount}${o.reason ? html` (${o.reason})` : nothing}.
              ${o.finishedLayer >= 0 ? `The printer confirmed layers up to ${o.finishedLayer + 1} finished.` : 'No layer was confirmed finished.'}
              It had received the file up to line ${o.ackedLine}. Checkpoint taken ${formatDateTime(o.checkpointAt)}.
            </p>
            <div class="row">
              <label
                >Continue from layer
                <select
                  id="resume-layer"
                  data-testid="resume-layer"
                  @change=${(e: Event) => {
                    this.layer = Number((e.target as HTMLSelectElement).value);
                    void this.refreshPreview();
                  }}
                >
                  ${o.layers.map(
                    (l) => html`<option value=${l.layer} ?selected=${l.layer === this.layer}>
                      ${l.layer + 1}${l.z !== undefined ? ` (Z ${l.z.toFixed(2)} mm)` : ''}${l.layer === o.suggestedLayer ? ' — suggested' : ''}
                    </option>`,
                  )}
                </select>
              </label>
              <label
                >Nozzle height now (mm)
                <input
                  type="number"
                  step="0.01"
                  min="0"
                  data-testid="resume-nozzle-z"
                  .value=${String(this.nozzleZ)}
                  ?disabled=${this.homeZ}
                  @change=${(e: Event) => {
                    this.nozzleZ = Number((e.target as HTMLInputElement).value);
                    void this.refreshPreview();
                  }}
              /></label>
            </div>
            <p class="muted">
              When the print stopped the nozzle was somewhere between Z ${o.nozzleZ.toFixed(2)} and ${o.nozzleZHigh.toFixed(2)} mm. Sliceport takes the
              lowest: if it is wrong, the next layer prints a little high rather than into the part.
            </p>
            <label
              ><input
                type="checkbox"
                data-testid="resume-home-z"
                .checked=${this.homeZ}
                @change=${(e: Event) => {
                  this.homeZ = (e.target as HTMLInputElement).checked;
                  void this.refreshPreview();
                }}
              />
              Home Z instead: the nozzle is clear of the print and this printer homes Z away from it (Z-max endstop, or a probe that homes
              beside the part)</label
            >
            <fieldset>
              <legend>Confirm each of these</legend>
              <label
                ><input type="checkbox" data-testid="resume-confirm-part" .checked=${this.confirmed.has('part')} @change=${(e: Event) => this.toggle('part', (e.target as HTMLInputElement).checked)} />
                The part is still on the bed and has not moved.</label
              >
              <label
                ><input type="checkbox" data-testid="resume-confirm-xy" .checked=${this.confirmed.has('xy')} @change=${(e: Event) => this.toggle('xy', (e.target as HTMLInputElement).checked)} />
                Once lifted, the nozzle can travel to its X and Y home without hitting anything.</label
              >
              <label
                ><input type="checkbox" data-testid="resume-confirm-z" .checked=${this.confirmed.has('z')} @change=${(e: Event) => this.toggle('z', (e.target as HTMLInputElement).checked)} />
                ${this.homeZ
                  ? 'Z can be homed without the nozzle or the bed touching the print.'
                  : html`The nozzle is at Z ${this.nozzleZ} mm now: Z will be set from the checkpoint, not homed, and nobody moved the Z axis.`}</label
              >
              <label
                ><input type="checkbox" data-testid="resume-confirm-heat" .checked=${this.confirmed.has('heat')} @change=${(e: Event) => this.toggle('heat', (e.target as HTMLInputElement).checked)} />
                The printer may heat up now, with the nozzle resting on the part (it can leave a small mark there).</label
              >
            </fieldset>`
        : nothing}
      ${p && !p.ok ? html`<p class="problem" role="alert" data-testid="resume-refused">${p.error.message}</p>` : nothing}
      ${p && p.ok
        ? html`${p.warnings.map((w) => html`<p class="warning" role="alert" data-testid="resume-warning">${w}</p>`)}
            <h3>What will happen</h3>
            <ol data-testid="resume-steps">
              ${p.steps.map((s) => html`<li>${s.says}</li>`)}
            </ol>
            <details>
              <summary>G-code sent before the file</summary>
              <pre data-testid="resume-gcode">${p.steps.flatMap((s) => s.lines).join('\n')}</pre>
            </details>`
        : nothing}
      ${!idle ? html`<p class="muted" data-testid="resume-needs-printer">Resuming needs the printer connected and idle.</p>` : nothing}
      <div class="row">
        <button data-testid="resume-start" ?disabled=${!ready} @click=${() => this.resume()}>
          ${p && p.ok ? `Resume from layer ${p.layer + 1}` : 'Resume'}
        </button>
        <button @click=${() => this.close()}>Close</button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-resume-dialog': ResumeDialog;
  }
}
