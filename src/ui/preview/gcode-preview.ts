// <sp-gcode-preview>: a G-code file's toolpaths layer by layer, with its statistics.
//
//   <sp-gcode-preview gcode-id="…"></sp-gcode-preview>       a file from the library
//   <sp-gcode-preview .printedLine=${line}></sp-gcode-preview> follow a print: what is printed so far
//   element.openFile(file)                                       a file the user picked (also the built-in
//                                                                "Open G-code" button unless no-open is set)
//
// Analysis runs in a worker; this element only draws what comes back and sends nothing to the printer.
// Events: `sp-gcode-analysed` (detail: { name, summary, analysisMs }) once a file is analysed, and
// `sp-gcode-rendered` (detail: { name, msSinceOpen }) after the first frame of a newly opened file.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { FEATURES } from '../../gcode/feature-types.js';
import { GcodeClient } from '../../gcode/gcode-client.js';
import type { AnalysisOutcome, AnalysisProgress } from '../../gcode/gcode-worker-api.js';
import { featuresPresent, layerAtLine, segmentsForLayer, type LayerMode } from '../../gcode/layer-view.js';
import type { GcodeAnalysis } from '../../gcode/toolpath.js';
import { formatByteSize } from '../byte-size.js';
import { controlStyles } from '../control-styles.js';
import { formatCount, formatDuration, formatFilament } from './gcode-summary-text.js';
import { ToolpathScene } from './toolpath-scene.js';

const ALL_FEATURES = 0xffff;

@customElement('sp-gcode-preview')
export class GcodePreview extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; margin-bottom: 8px; }
      .bar .name { font-weight: 600; overflow-wrap: anywhere; }
      .layout { display: grid; grid-template-columns: minmax(0, 1fr) 260px; gap: 12px; }
      @media (max-width: 800px) { .layout { grid-template-columns: 1fr; } }
      .viewport { position: relative; min-height: 360px; height: var(--sp-preview-height, 60vh);
        border: 1px solid var(--sp-border); border-radius: var(--sp-radius); overflow: hidden; background: #1d2126; }
      canvas { display: block; width: 100%; height: 100%; touch-action: none; }
      .viewport .empty { position: absolute; inset: 0; display: grid; place-items: center; color: #c9d1d9;
        text-align: center; padding: 20px; margin: 0; pointer-events: none; }
      aside { display: grid; align-content: start; gap: 10px; font-size: 0.92rem; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; }
      dt { color: var(--sp-text-muted, inherit); }
      dd { margin: 0; font-variant-numeric: tabular-nums; }
      fieldset { border: 1px solid var(--sp-border); border-radius: var(--sp-radius); margin: 0; padding: 6px 10px; }
      legend { font-weight: 600; padding: 0 4px; }
      .legend label { display: flex; align-items: center; gap: 6px; padding: 2px 0; cursor: pointer; }
      .swatch { width: 14px; height: 14px; border-radius: 3px; border: 1px solid rgba(0,0,0,0.3); flex: none; }
      .layers { display: grid; grid-template-columns: 1fr auto; gap: 6px 12px; align-items: center; margin-top: 8px; }
      .layers input[type='range'] { width: 100%; }
      .layer-label { font-variant-numeric: tabular-nums; min-width: 16ch; }
      .modes { display: flex; gap: 12px; grid-column: 1 / -1; }
      .notice { margin: 0; padding: 8px 10px; border-radius: var(--sp-radius); border: 1px solid var(--sp-border);
        background: var(--sp-surface-2); }
      .error { margin: 0; color: var(--sp-danger, #b00020); }
      progress { width: 100%; }
      ul.warnings { margin: 0; padding-left: 18px; }
    `,
  ];

  /** A G-code file stored in the library. */
  @property({ attribute: 'gcode-id' }) gcodeId: string | null = null;
  /** The G-code line the printer is executing: lines up to it are drawn as printed. */
  @property({ type: Number, attribute: 'printed-line' }) printedLine: number | null = null;
  /** While following a print, keep the layer slider on the layer being printed. */
  @property({ type: Boolean, attribute: 'follow-print' }) followPrint = true;
  /** Hide the "Open G-code" button (when the file is chosen elsewhere). */
  @property({ type: Boolean, attribute: 'no-open' }) noOpen = false;

  @state() private analysis: GcodeAnalysis | null = null;
  @state() private name = '';
  @state() private progress: AnalysisProgress | null = null;
  @state() private error: string | null = null;
  @state() private webglError: string | null = null;
  @state() private layer = 0;
  @state() private mode: LayerMode = 'up-to';
  @state() private featureMask = ALL_FEATURES;
  @state() private showTravel = false;
  @state() private present = 0;

  @query('canvas') private canvas!: HTMLCanvasElement;

  private scene: ToolpathScene | null = null;
  private readonly client = new GcodeClient();
  private loading: AbortController | null = null;
  private openedAt = 0;
  private awaitingFirstFrame = false;

  /** Opens a file the user picked or dropped. */
  async openFile(file: File): Promise<void> {
    await this.load(file.name, (signal) =>
      this.client.analyseFile(file, file.name, { signal, onProgress: (p) => (this.progress = p) }),
    );
  }

  /** Shows an analysis made elsewhere (the printer view may already hold one). */
  showAnalysis(analysis: GcodeAnalysis, name: string): void {
    this.openedAt = performance.now();
    this.accept(analysis, name);
  }

  /** The segment range being drawn, for tests and for whoever embeds the preview. */
  get drawnRange(): { firstSegment: number; endSegment: number } {
    return this.analysis ? segmentsForLayer(this.analysis.layers, this.layer, this.mode) : { firstSegment: 0, endSegment: 0 };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loading?.abort();
    this.client.dispose();
    this.scene?.dispose();
    this.scene = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached after a trip elsewhere: the canvas is still there, the scene is rebuilt on update.
    if (this.hasUpdated && !this.scene) {
      void this.updateComplete.then(() => {
        this.startScene();
        this.client.prepare();
      });
    }
  }

  protected override firstUpdated(): void {
    this.startScene();
    this.client.prepare();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('gcodeId') && this.gcodeId) {
      const id = this.gcodeId;
      void this.load('', (signal) => this.client.analyseStored(id, { signal, onProgress: (p) => (this.progress = p) }));
    }
    if (changed.has('printedLine') && this.analysis && this.printedLine !== null && this.followPrint) {
      const layer = layerAtLine(this.analysis.layers, this.printedLine);
      if (layer !== this.layer || this.mode !== 'up-to') {
        this.layer = layer;
        this.mode = 'up-to';
      }
    }
    this.pushView();
  }

  private startScene(): void {
    if (this.scene || !this.canvas) return;
    try {
      this.scene = new ToolpathScene(this.canvas);
      this.scene.onRendered = () => this.onFrame();
      this.webglError = null;
      if (this.analysis) this.scene.setAnalysis(this.analysis);
      this.pushView();
    } catch (error) {
      this.webglError =
        'This browser could not start 3D drawing (WebGL is off or unsupported), so the toolpaths cannot be shown. ' +
        'The statistics are still correct.';
      console.warn('G-code preview: WebGL unavailable', error);
    }
  }

  private async load(name: string, start: (signal: AbortSignal) => Promise<AnalysisOutcome>): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.openedAt = performance.now();
    this.error = null;
    this.name = name;
    this.progress = { bytesRead: 0, totalBytes: 0, linesRead: 0 };
    // Drop the previous file's buffers before reading the next one: two big files need not fit at once.
    this.analysis = null;
    this.scene?.setAnalysis(null);
    const outcome = await start(controller.signal);
    if (this.loading !== controller) return;
    this.loading = null;
    this.progress = null;
    if (!outcome.ok) {
      if (!controller.signal.aborted) this.error = outcome.error.message;
      console.warn('G-code preview:', outcome.error.detail);
      return;
    }
    this.accept(outcome.analysis, outcome.name || name, outcome.milliseconds);
  }

  private accept(analysis: GcodeAnalysis, name: string, analysisMs = 0): void {
    this.analysis = analysis;
    this.name = name;
    this.present = featuresPresent(analysis.toolpath);
    this.layer = Math.max(0, analysis.layers.length - 1);
    this.mode = 'up-to';
    if (this.printedLine !== null && this.followPrint) this.layer = layerAtLine(analysis.layers, this.printedLine);
    this.awaitingFirstFrame = true;
    this.scene?.setAnalysis(analysis);
    this.pushView();
    this.dispatchEvent(new CustomEvent('sp-gcode-analysed', { detail: { name, summary: analysis.summary, analysisMs }, bubbles: true, composed: true }));
    // The file is what the user waits for: draw it now, not one animation frame later.
    this.scene?.renderNow();
    if (!this.scene) this.onFrame(); // no WebGL: the statistics are the whole result
  }

  private onFrame(): void {
    if (!this.awaitingFirstFrame) return;
    this.awaitingFirstFrame = false;
    const msSinceOpen = performance.now() - this.openedAt;
    this.dispatchEvent(new CustomEvent('sp-gcode-rendered', { detail: { name: this.name, msSinceOpen }, bubbles: true, composed: true }));
  }

  private pushView(): void {
    const range = this.drawnRange;
    const layers = this.analysis?.layers ?? [];
    const focus = layers[Math.min(this.layer, layers.length - 1)];
    this.scene?.setView({
      ...range,
      featureMask: this.featureMask,
      showTravel: this.showTravel,
      printedLine: this.printedLine ?? -1,
      highlightFromLine: this.mode === 'up-to' && focus && this.layer < layers.length - 1 ? focus.firstLine : 0,
    });
    if (this.canvas) {
      this.canvas.dataset.drawFirst = String(range.firstSegment);
      this.canvas.dataset.drawEnd = String(range.endSegment);
      this.canvas.dataset.featureMask = String(this.featureMask & this.present);
      this.canvas.dataset.travel = String(this.showTravel);
      this.canvas.dataset.printedLine = String(this.printedLine ?? -1);
    }
  }

  private onPick(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.openFile(file);
  }

  private onDragOver(event: DragEvent): void {
    if (this.noOpen || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.stopPropagation(); // the file is for the preview, not for the window's model import
    event.dataTransfer.dropEffect = 'copy';
  }

  private onDrop(event: DragEvent): void {
    const file = event.dataTransfer?.files[0];
    if (this.noOpen || !file) return;
    event.preventDefault();
    event.stopPropagation();
    void this.openFile(file);
  }

  private onLayerInput(event: Event): void {
    this.layer = Number((event.target as HTMLInputElement).value);
  }

  private toggleFeature(code: number, on: boolean): void {
    this.featureMask = on ? this.featureMask | (1 << code) : this.featureMask & ~(1 << code);
  }

  override render() {
    const a = this.analysis;
    return html`
      <div class="bar">
        ${this.noOpen
          ? nothing
          : html`<label class="button">Open G-code…
              <input type="file" accept=".gcode,.gco,.g,.nc,text/x-gcode" hidden @change=${this.onPick} /></label>`}
        ${this.name ? html`<span class="name">${this.name}</span>` : nothing}
        ${this.loading ? html`<button @click=${() => this.cancel()}>Cancel</button>` : nothing}
      </div>
      ${this.progress ? this.renderProgress(this.progress) : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="layout">
        <div>
          <div class="viewport" @dragover=${this.onDragOver} @drop=${this.onDrop}>
            <canvas aria-label="Toolpath preview"></canvas>
            ${this.webglError
              ? html`<p class="empty" role="status">${this.webglError}</p>`
              : !a && !this.progress
                ? html`<p class="empty">Open a G-code file${this.noOpen ? '' : ' (or drop one here)'} to see its toolpaths.</p>`
                : nothing}
          </div>
          ${a && a.layers.length > 0 ? this.renderLayers(a) : nothing}
        </div>
        <aside>${a ? this.renderSummary(a) : nothing}</aside>
      </div>
    `;
  }

  private cancel(): void {
    this.loading?.abort();
    this.loading = null;
    this.progress = null;
    this.error = 'Opening the file was cancelled.';
  }

  private renderProgress(p: AnalysisProgress) {
    const total = p.totalBytes;
    return html`<div role="status">
      Reading G-code… ${formatByteSize(p.bytesRead)}${total ? html` of ${formatByteSize(total)}` : nothing}
      <progress max=${total || 1} .value=${total ? p.bytesRead : 0}></progress>
    </div>`;
  }

  private renderLayers(a: GcodeAnalysis) {
    const count = a.layers.length;
    const layer = Math.min(this.layer, count - 1);
    const z = a.layers[layer].z;
    return html`<div class="layers">
      <input type="range" min="0" max=${count - 1} .value=${String(layer)} step="1" aria-label="Layer"
        @input=${this.onLayerInput} />
      <span class="layer-label" data-testid="layer-label" aria-live="polite">Layer ${layer + 1} of ${count} · Z ${z.toFixed(2)} mm</span>
      <div class="modes" role="radiogroup" aria-label="Layers shown">
        <label><input type="radio" name="mode" .checked=${this.mode === 'up-to'} @change=${() => (this.mode = 'up-to')} />
          All layers up to this one</label>
        <label><input type="radio" name="mode" .checked=${this.mode === 'single'} @change=${() => (this.mode = 'single')} />
          Only this layer</label>
      </div>
    </div>`;
  }

  private renderSummary(a: GcodeAnalysis) {
    const s = a.summary;
    const box = s.bounds;
    const size = box ? box.max.map((v, i) => (v - box.min[i]).toFixed(1)).join(' × ') : null;
    const perTool = s.filamentMmPerTool.filter((mm) => mm > 0).length > 1;
    return html`
      ${s.reducedReason ? html`<p class="notice" role="status" data-testid="reduced">${s.reducedReason}</p>` : nothing}
      ${s.warnings.length
        ? html`<ul class="warnings">${s.warnings.map((w) => html`<li>${w}</li>`)}</ul>`
        : nothing}
      <dl>
        <dt>Layers</dt><dd data-testid="layer-count">${formatCount(s.layerCount)}</dd>
        <dt>Print time</dt><dd>${formatDuration(s.estimatedSeconds)} <small>(${s.timeSource === 'slicer' ? 'slicer’s estimate' : 'estimated here'})</small></dd>
        ${s.isFdm
          ? html`<dt>Filament</dt><dd>${formatFilament(s.filamentMm)}${perTool
              ? html` (${s.filamentMmPerTool.map((mm, t) => `T${t} ${formatFilament(mm)}`).join(', ')})`
              : nothing}</dd>`
          : nothing}
        ${size ? html`<dt>Size</dt><dd>${size} mm</dd>` : nothing}
        <dt>Lines</dt><dd>${formatCount(s.lineCount)}</dd>
        <dt>Moves</dt><dd>${formatCount(s.totalSegments)}${s.reduced ? html` (${formatCount(s.storedSegments)} drawn)` : nothing}</dd>
        <dt>File</dt><dd>${formatByteSize(s.byteCount)}</dd>
        ${s.generator ? html`<dt>Made by</dt><dd>${s.generator}</dd>` : nothing}
      </dl>
      <fieldset class="legend">
        <legend>Show</legend>
        ${FEATURES.filter((f) => (this.present & (1 << f.code)) !== 0).map(
          (f) => html`<label>
            <input type="checkbox" .checked=${(this.featureMask & (1 << f.code)) !== 0}
              @change=${(e: Event) => this.toggleFeature(f.code, (e.target as HTMLInputElement).checked)} />
            <span class="swatch" style="background:#${f.color.toString(16).padStart(6, '0')}"></span>${f.label}
          </label>`,
        )}
        <label><input type="checkbox" .checked=${this.showTravel}
            @change=${(e: Event) => (this.showTravel = (e.target as HTMLInputElement).checked)} />
          <span class="swatch" style="background:#3a7bd5"></span>Travel moves</label>
      </fieldset>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gcode-preview': GcodePreview;
  }
}
