// The Slice button and what follows it: progress with cancel, the result summary, and what to do with
// the G-code (save to the library, download, print). Reads the plate and the resolved settings from the
// Prepare session; the slicing itself runs in the slicer worker.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { SliceError, SliceMetadata, SliceProgress } from '../../slicer/slice-api.js';
import { formatPrintTime, sliceRefusal, sliceRequestFromPlate } from '../../slicer/slice-job-request.js';
import { SlicerClient } from '../../slicer/slicer-client.js';
import { appStorage } from '../../app/app-storage.js';
import { controlStyles } from '../control-styles.js';
import { prepareSession, type PrepareState } from './prepare-session.js';

interface SlicedGcode {
  name: string;
  bytes: ArrayBuffer;
  metadata: SliceMetadata;
  /** The state it was sliced from: a newer state means the result is out of date. */
  from: PrepareState;
  savedId?: string;
}

let sharedClient: SlicerClient | null = null;

function slicer(): SlicerClient {
  sharedClient ??= new SlicerClient();
  return sharedClient;
}

@customElement('sp-slice-panel')
export class SlicePanel extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      progress {
        width: 100%;
        height: 14px;
      }
      .refusal,
      .error {
        margin: 8px 0;
      }
      .error {
        color: var(--sp-danger, #b00020);
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 4px 12px;
        margin: 8px 0;
      }
      dt {
        opacity: 0.75;
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      .stale {
        font-style: italic;
      }
    `,
  ];

  @state() private plate: PrepareState = prepareSession.state;
  @state() private progress: SliceProgress | null = null;
  @state() private error: SliceError | null = null;
  @state() private result: SlicedGcode | null = null;
  @state() private notice = '';
  #abort: AbortController | null = null;
  #onChange = () => {
    this.plate = prepareSession.state;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    prepareSession.addEventListener('change', this.#onChange);
    this.plate = prepareSession.state;
    // Compile the engine while the user arranges the plate.
    void slicer().warmUp();
  }

  override disconnectedCallback(): void {
    prepareSession.removeEventListener('change', this.#onChange);
    super.disconnectedCallback();
  }

  override render() {
    const slicing = this.progress !== null;
    const refusal = slicing ? null : this.#refusal();
    return html`
      <section aria-label="Slice">
        <div class="actions">
          ${slicing
            ? html`<button class="danger" data-action="cancel" @click=${this.#cancel}>Cancel</button>`
            : html`<button class="primary" data-action="slice" ?disabled=${refusal !== null} @click=${this.#slice}>Slice</button>`}
        </div>
        ${refusal ? html`<p class="refusal" role="status" data-role="refusal">${refusal}</p>` : nothing}
        ${slicing
          ? html`<div class="progress">
              <progress max="1" .value=${this.progress!.fraction} aria-label="Slicing progress"></progress>
              <span data-role="stage">${this.progress!.stage} ${Math.round(this.progress!.fraction * 100)} %</span>
            </div>`
          : nothing}
        ${this.error ? html`<p class="error" role="alert" data-code=${this.error.code}>${this.error.message}</p>` : nothing}
        ${this.result ? this.#renderResult(this.result) : nothing}
        ${this.notice ? html`<p role="status" data-role="notice">${this.notice}</p>` : nothing}
      </section>
    `;
  }

  #renderResult(result: SlicedGcode) {
    const { metadata } = result;
    const now = this.plate;
    const stale =
      result.from.objects !== now.objects || result.from.engineSettings !== now.engineSettings || result.from.machineDefinitionId !== now.machineDefinitionId;
    return html`
      <div class="summary" data-role="summary">
        <h2>${result.name}</h2>
        ${stale ? html`<p class="stale">The plate or the settings changed since this slice.</p>` : nothing}
        <dl>
          <dt>Print time</dt>
          <dd data-field="time">${formatPrintTime(metadata.printSeconds)}</dd>
          <dt>Filament</dt>
          <dd data-field="filament">${(metadata.filamentMm / 1000).toFixed(2)} m · ${metadata.filamentGrams.toFixed(1)} g</dd>
          <dt>Layers</dt>
          <dd data-field="layers">${metadata.layerCount}</dd>
        </dl>
        <div class="actions">
          <button data-action="save" ?disabled=${result.savedId !== undefined} @click=${() => void this.#save(result)}>
            ${result.savedId ? 'Saved to the library' : 'Save to library'}
          </button>
          <button data-action="download" @click=${() => this.#download(result)}>Download .gcode</button>
          <button class="primary" data-action="print" @click=${() => void this.#print(result)}>Print</button>
        </div>
      </div>
    `;
  }

  #refusalFor: { state: PrepareState; reason: string | null } | null = null;

  /** Why Slice is refused for the current plate; computed once per state (placing big meshes costs). */
  #refusal(): string | null {
    if (this.#refusalFor?.state !== this.plate) {
      const plate = this.plate;
      this.#refusalFor = {
        state: plate,
        reason: sliceRefusal({
          machineDefinitionId: plate.machineDefinitionId,
          engineSettings: plate.engineSettings,
          settingErrors: plate.settingErrors,
          objects: plate.objects,
        }),
      };
    }
    return this.#refusalFor.reason;
  }

  async #slice(): Promise<void> {
    const from = this.plate;
    const prepared = sliceRequestFromPlate({
      machineDefinitionId: from.machineDefinitionId,
      engineSettings: from.engineSettings,
      settingErrors: from.settingErrors,
      objects: from.objects,
    });
    if (!prepared.ok) {
      this.error = { code: 'invalid-settings', message: prepared.reason };
      return;
    }
    this.error = null;
    this.notice = '';
    this.result = null;
    this.progress = { fraction: 0, stage: 'Preparing' };
    const abort = new AbortController();
    this.#abort = abort;
    const name = gcodeName(from);
    const outcome = await slicer().slice(prepared.request, {
      signal: abort.signal,
      onProgress: (progress) => {
        if (this.#abort === abort) this.progress = progress;
      },
    });
    if (this.#abort !== abort) return;
    this.#abort = null;
    this.progress = null;
    if (outcome.ok) {
      this.result = { name, bytes: outcome.result.gcode, metadata: outcome.result.metadata, from };
      this.dispatchEvent(new CustomEvent('sliced', { detail: { name, metadata: outcome.result.metadata }, bubbles: true, composed: true }));
    } else if (outcome.error.code === 'cancelled') {
      this.notice = 'Slicing cancelled.';
    } else {
      this.error = outcome.error;
      if (outcome.error.detail) console.warn('slice failed:', outcome.error.detail);
    }
  }

  #cancel(): void {
    this.#abort?.abort();
  }

  async #save(result: SlicedGcode): Promise<string | null> {
    if (result.savedId) return result.savedId;
    try {
      const store = await appStorage();
      const record = await store.gcode.add(
        {
          name: result.name,
          source: 'slicer',
          estimatedSeconds: result.metadata.printSeconds,
          filamentMm: result.metadata.filamentMm,
          filamentGrams: result.metadata.filamentGrams,
          layerCount: result.metadata.layerCount,
        },
        result.bytes,
      );
      this.result = { ...result, savedId: record.id };
      this.notice = `Saved "${result.name}" to the library.`;
      return record.id;
    } catch (error) {
      this.error = { code: 'engine-failure', message: `Could not save the G-code: ${(error as Error).message}` };
      return null;
    }
  }

  #download(result: SlicedGcode): void {
    const url = URL.createObjectURL(new Blob([result.bytes], { type: 'text/x-gcode' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = result.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async #print(result: SlicedGcode): Promise<void> {
    const id = await this.#save(result);
    if (id) location.hash = `#/printer?gcode=${encodeURIComponent(id)}`;
  }
}

function gcodeName(state: PrepareState): string {
  const first = state.objects[0]?.name ?? 'plate';
  const base = first.replace(/\.(stl|obj|3mf)$/i, '');
  const printer = state.printerName ? `_${state.printerName}` : '';
  return `${base}${state.objects.length > 1 ? `_and_${state.objects.length - 1}_more` : ''}${printer}.gcode`.replace(/[\\/:*?"<>|\s]+/g, '_');
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-slice-panel': SlicePanel;
  }
}
