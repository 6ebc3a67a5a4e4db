// <sp-build-plate>: the printer's bed in 3D with the models on it. Shows the Prepare session's objects
// and volume, and turns clicks, drags, fields and buttons into PlateEditor intents. Models arrive from
// the "Add models" button, from files dropped anywhere on the window while Prepare is shown, and from
// the library (`#/prepare?addModel=<id>`).
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { placedBounds } from '../../models/placement/placed-mesh.js';
import { outsideVolumeMessage, objectsOutsideVolume } from '../../models/placement/slice-meshes.js';
import type { Pose } from '../../models/placement/plate-operations.js';
import { controlStyles } from '../control-styles.js';
import { prepareSession } from '../prepare/prepare-session.js';
import { PlateEditor } from './plate-editor.js';
import { importFileToPlate, importLibraryModelToPlate, isModelFileName, type PlateImportReport } from './plate-import.js';
import { PlateScene, type GizmoMode } from './plate-scene.js';

/** One editor for the page, like the session it edits: the plate survives a trip to another view. */
export const plateEditor = new PlateEditor(prepareSession);

const axisNames = ['X', 'Y', 'Z'] as const;

@customElement('sp-build-plate')
export class BuildPlate extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: grid;
        gap: 8px;
        min-height: 0;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
      }
      .toolbar .spacer {
        flex: 1;
      }
      .segmented {
        display: inline-flex;
      }
      .segmented button {
        border-radius: 0;
      }
      .segmented button:first-child {
        border-radius: var(--sp-radius) 0 0 var(--sp-radius);
      }
      .segmented button:last-child {
        border-radius: 0 var(--sp-radius) var(--sp-radius) 0;
      }
      button[aria-pressed='true'] {
        background: var(--sp-accent);
        color: var(--sp-accent-text);
      }
      .main {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 300px;
        gap: 10px;
        min-height: 460px;
      }
      @media (max-width: 860px) {
        .main {
          grid-template-columns: 1fr;
        }
      }
      .viewport {
        position: relative;
        min-height: 460px;
        border-radius: var(--sp-radius);
        overflow: hidden;
        border: 1px solid var(--sp-border);
      }
      canvas {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        display: block;
        touch-action: none;
      }
      .overlay {
        position: absolute;
        inset: 0;
        display: grid;
        place-items: center;
        pointer-events: none;
        color: #dfe6ee;
        font-size: 1.05rem;
        text-align: center;
        padding: 20px;
      }
      .overlay.dropping {
        background: rgba(59, 130, 246, 0.25);
        outline: 3px dashed #3b82f6;
        outline-offset: -8px;
      }
      .hint {
        position: absolute;
        left: 10px;
        bottom: 8px;
        color: #c5ceda;
        font-size: 0.8rem;
        pointer-events: none;
      }
      aside {
        display: grid;
        align-content: start;
        gap: 12px;
      }
      ul.objects {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 4px;
        max-height: 220px;
        overflow: auto;
      }
      ul.objects button {
        width: 100%;
        justify-content: space-between;
        min-height: 32px;
      }
      ul.objects button.selected {
        border-color: var(--sp-accent);
        box-shadow: inset 0 0 0 1px var(--sp-accent);
      }
      .outside-tag {
        color: #fff;
        background: #c0352e;
        border-radius: 4px;
        padding: 0 6px;
        font-size: 0.78rem;
      }
      fieldset {
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        padding: 8px 10px;
        margin: 0;
        display: grid;
        gap: 6px;
      }
      legend {
        font-weight: 600;
        padding: 0 4px;
      }
      .xyz {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 6px;
      }
      .xyz label {
        display: grid;
        font-size: 0.8rem;
        color: var(--sp-muted);
      }
      .xyz input {
        font: inherit;
        width: 100%;
        box-sizing: border-box;
        padding: 4px 6px;
        border: 1px solid var(--sp-border);
        border-radius: 4px;
        background: var(--sp-surface);
        color: var(--sp-text);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .messages {
        display: grid;
        gap: 4px;
      }
      .messages p {
        margin: 0;
      }
      .warning {
        border-left: 4px solid #d99a1e;
        padding: 4px 8px;
        margin: 0;
        background: var(--sp-surface);
      }
      .muted {
        color: var(--sp-muted);
        font-size: 0.875rem;
      }
    `,
  ];

  @query('canvas') private canvas!: HTMLCanvasElement;
  @query('input[type=file]') private fileInput!: HTMLInputElement;
  @state() private reports: PlateImportReport[] = [];
  @state() private busy = 0;
  @state() private mode: GizmoMode = 'translate';
  @state() private pickingFace = false;
  @state() private uniformScale = true;
  @state() private dropping = false;
  @state() private sceneError: string | null = null;
  @state() private revision = 0;
  private scene: PlateScene | null = null;
  readonly editor = plateEditor;
  private dragDepth = 0;

  private readonly onSessionChange = () => {
    this.revision++;
    this.syncScene();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    prepareSession.addEventListener('change', this.onSessionChange);
    window.addEventListener('dragenter', this.onDragEnter);
    window.addEventListener('dragover', this.onDragOver);
    window.addEventListener('dragleave', this.onDragLeave);
    window.addEventListener('drop', this.onDrop);
    window.addEventListener('hashchange', this.onRoute);
    this.addEventListener('keydown', this.onKeyDown);
    this.onRoute();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    prepareSession.removeEventListener('change', this.onSessionChange);
    window.removeEventListener('dragenter', this.onDragEnter);
    window.removeEventListener('dragover', this.onDragOver);
    window.removeEventListener('dragleave', this.onDragLeave);
    window.removeEventListener('drop', this.onDrop);
    window.removeEventListener('hashchange', this.onRoute);
    this.removeEventListener('keydown', this.onKeyDown);
    this.scene?.dispose();
    this.scene = null;
  }

  protected override firstUpdated(_changed: PropertyValues): void {
    try {
      this.scene = new PlateScene(this.canvas, {
        pick: (id, triangle, additive) => this.onPick(id, triangle, additive),
        dragStart: () => this.editor.beginInteractiveChange(),
        drag: () => undefined,
        dragEnd: (id, placement, mode) => this.editor.setPlacement(id, placement, { record: false, settle: mode !== 'translate' }),
      });
      this.scene.setGizmoMode(this.mode);
      this.syncScene();
    } catch (error) {
      this.sceneError = `The 3D view could not start (${error instanceof Error ? error.message : String(error)}). You can still add, arrange and slice models from the list.`;
    }
  }

  /** For tests and for the slice panel: the object drawn in red, and the scene. */
  get plateScene(): PlateScene | null {
    return this.scene;
  }

  private syncScene(): void {
    if (!this.scene) return;
    const { volume, objects, selectedIds } = prepareSession.state;
    this.scene.setVolume(volume);
    this.scene.sync(objects, selectedIds);
  }

  private isShown(): boolean {
    return this.isConnected && this.getClientRects().length > 0;
  }

  private onRoute = (): void => {
    const match = /^#\/prepare\?(.*)$/.exec(window.location.hash);
    if (!match) return;
    const params = new URLSearchParams(match[1]);
    const id = params.get('addModel');
    if (!id) return;
    // Forget the request before acting on it, so a reload does not add the model again.
    history.replaceState(null, '', '#/prepare');
    void this.run(() => importLibraryModelToPlate(id, this.editor));
  };

  private async run(task: () => Promise<PlateImportReport>): Promise<void> {
    this.busy++;
    try {
      const report = await task();
      this.reports = [report, ...this.reports].slice(0, 6);
    } finally {
      this.busy--;
    }
  }

  async addFiles(files: readonly File[]): Promise<void> {
    for (const file of files) {
      if (!isModelFileName(file.name) && files.length > 1) continue;
      await this.run(() => importFileToPlate(file, this.editor));
    }
  }

  private onFileInput(): void {
    const files = [...(this.fileInput.files ?? [])];
    this.fileInput.value = '';
    void this.addFiles(files);
  }

  private hasFiles(event: DragEvent): boolean {
    return [...(event.dataTransfer?.types ?? [])].includes('Files');
  }

  private onDragEnter = (event: DragEvent): void => {
    if (!this.isShown() || !this.hasFiles(event)) return;
    this.dragDepth++;
    this.dropping = true;
  };

  private onDragOver = (event: DragEvent): void => {
    if (!this.isShown() || !this.hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };

  private onDragLeave = (): void => {
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (this.dragDepth === 0) this.dropping = false;
  };

  private onDrop = (event: DragEvent): void => {
    this.dragDepth = 0;
    this.dropping = false;
    if (!this.isShown() || !this.hasFiles(event) || event.defaultPrevented) return;
    event.preventDefault();
    void this.addFiles([...(event.dataTransfer?.files ?? [])]);
  };

  private onKeyDown = (event: KeyboardEvent): void => {
    const target = event.composedPath()[0] as HTMLElement | undefined;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      if (event.shiftKey) this.editor.redo();
      else this.editor.undo();
    } else if (mod && event.key.toLowerCase() === 'y') {
      event.preventDefault();
      this.editor.redo();
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      this.editor.delete();
    } else if (event.key.startsWith('Arrow') && this.editor.selected.length > 0) {
      // Nudge along the plate's axes: 1 mm, or 10 mm with Shift.
      event.preventDefault();
      const step = event.shiftKey ? 10 : 1;
      const dx = event.key === 'ArrowRight' ? step : event.key === 'ArrowLeft' ? -step : 0;
      const dy = event.key === 'ArrowUp' ? step : event.key === 'ArrowDown' ? -step : 0;
      this.editor.move(prepareSession.state.selectedIds, dx, dy);
    }
  };

  private onPick(id: string | null, triangle: number, additive: boolean): void {
    if (this.pickingFace) {
      if (id && triangle >= 0) {
        this.editor.layFlat(id, triangle);
        this.pickingFace = false;
      }
      return;
    }
    if (!id) this.editor.select([]);
    else if (additive) this.editor.toggleSelection(id);
    else this.editor.select([id]);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('pickingFace')) this.scene?.setGizmoEnabled(!this.pickingFace);
  }

  private setMode(mode: GizmoMode): void {
    this.mode = mode;
    this.scene?.setGizmoMode(mode);
  }

  private onPoseField(id: string, group: keyof Pose, axis: number, event: Event): void {
    const input = event.target as HTMLInputElement;
    const value = Number(input.value);
    const pose = this.editor.poseOf(id);
    if (!pose || !Number.isFinite(value)) {
      this.requestUpdate();
      return;
    }
    const next: Pose = { position: [...pose.position], rotationDeg: [...pose.rotationDeg], scale: [...pose.scale] };
    if (group === 'scale') {
      const wanted = value / 100;
      if (wanted === 0) return this.requestUpdate();
      const sign = Math.sign(pose.scale[axis]) || 1;
      if (this.uniformScale) {
        const factor = (wanted * sign) / pose.scale[axis];
        next.scale = [pose.scale[0] * factor, pose.scale[1] * factor, pose.scale[2] * factor];
      } else {
        next.scale[axis] = wanted * sign;
      }
    } else {
      next[group][axis] = value;
    }
    this.editor.setPose(id, next);
  }

  private renderSelection() {
    const selected = this.editor.selected;
    if (selected.length === 0) {
      return html`<p class="muted">Click an object to select it (Shift-click for several).</p>`;
    }
    const single = selected.length === 1 ? selected[0] : null;
    const pose = single ? this.editor.poseOf(single.id) : null;
    const bounds = single ? placedBounds(single.positions, single.placement) : null;
    const size = bounds ? bounds.max.map((v, i) => v - bounds.min[i]) : null;
    const warnings = single ? (this.editor.warnings.get(single.id) ?? []) : [];
    const extruders = prepareSession.state.engineSettings?.extruders.length ?? 1;
    const field = (group: keyof Pose, axis: number, value: number, unit: string, step: string) => html`<label
      >${axisNames[axis]} ${unit}
      <input
        type="number"
        step=${step}
        name="${group}-${axisNames[axis].toLowerCase()}"
        aria-label="${group === 'rotationDeg' ? 'Rotation' : group === 'scale' ? 'Scale' : 'Position'} ${axisNames[axis]}"
        .value=${String(Math.round(value * 1000) / 1000)}
        @change=${(event: Event) => single && this.onPoseField(single.id, group, axis, event)}
    /></label>`;
    return html`
      <fieldset>
        <legend>${single ? single.name : `${selected.length} objects`}</legend>
        ${single && single.outsideVolume
          ? html`<p class="warning" role="alert">This object is outside the build volume and cannot be printed there.</p>`
          : nothing}
        ${single && pose && size
          ? html`
              <span class="muted">Size ${size.map((v) => v.toFixed(1)).join(' × ')} mm</span>
              <div class="xyz">${pose.position.map((v, i) => field('position', i, v, 'mm', '1'))}</div>
              <div class="xyz">${pose.rotationDeg.map((v, i) => field('rotationDeg', i, v, '°', '15'))}</div>
              <div class="xyz">${pose.scale.map((v, i) => field('scale', i, Math.abs(v) * 100, '%', '5'))}</div>
              <label class="muted"
                ><input type="checkbox" .checked=${this.uniformScale} @change=${(e: Event) => (this.uniformScale = (e.target as HTMLInputElement).checked)} />
                Scale evenly</label
              >
            `
          : nothing}
        ${extruders > 1
          ? html`<label class="muted"
              >Extruder
              <select
                aria-label="Extruder"
                @change=${(event: Event) => this.editor.setExtruder(Number((event.target as HTMLSelectElement).value))}
              >
                ${Array.from({ length: extruders }, (_, index) => html`<option value=${index} ?selected=${selected[0].extruder === index}>${index + 1}</option>`)}
              </select></label
            >`
          : nothing}
        <div class="actions">
          <button @click=${() => this.editor.dropToBed()}>Drop to bed</button>
          <button @click=${() => this.editor.centre()}>Centre</button>
          ${single
            ? html`<button aria-pressed=${this.pickingFace} @click=${() => (this.pickingFace = !this.pickingFace)}>Lay flat…</button>`
            : nothing}
          <button @click=${() => this.editor.duplicate()}>Duplicate</button>
          <button @click=${() => this.editor.mirror(0)}>Mirror X</button>
          <button @click=${() => this.editor.mirror(1)}>Mirror Y</button>
          <button @click=${() => this.editor.mirror(2)}>Mirror Z</button>
          <button class="danger" @click=${() => this.editor.delete()}>Delete</button>
        </div>
        ${warnings.map(
          (warning) => html`<p class="warning">
            ${warning.message}
            ${warning.suggestedScale && single
              ? html`<button @click=${() => this.editor.applyUnitScale(single.id, warning.suggestedScale!)}>Scale ×${warning.suggestedScale}</button>`
              : nothing}
          </p>`,
        )}
      </fieldset>
    `;
  }

  override render() {
    void this.revision;
    const { objects, selectedIds } = prepareSession.state;
    const selected = new Set(selectedIds);
    const blocked = outsideVolumeMessage(objectsOutsideVolume(objects));
    return html`
      <div class="toolbar">
        <button class="primary" @click=${() => this.fileInput.click()}>Add models…</button>
        <input
          type="file"
          multiple
          accept=".stl,.obj,.3mf"
          hidden
          aria-label="Add models to the plate"
          @change=${this.onFileInput}
        />
        <button @click=${() => this.editor.undo()} ?disabled=${!this.editor.history.canUndo} title="Ctrl+Z">Undo</button>
        <button @click=${() => this.editor.redo()} ?disabled=${!this.editor.history.canRedo} title="Ctrl+Shift+Z">Redo</button>
        <button @click=${() => this.editor.arrange()} ?disabled=${objects.length === 0}>Arrange</button>
        <span class="segmented" role="group" aria-label="Gizmo">
          ${(['translate', 'rotate', 'scale'] as const).map(
            (mode) => html`<button aria-pressed=${this.mode === mode} @click=${() => this.setMode(mode)}>
              ${mode === 'translate' ? 'Move' : mode === 'rotate' ? 'Rotate' : 'Scale'}
            </button>`,
          )}
        </span>
        <button @click=${() => this.scene?.resetCamera()}>Reset view</button>
        <span class="spacer"></span>
        ${this.busy > 0 ? html`<span class="muted" role="status">Reading model…</span>` : nothing}
      </div>
      <div class="messages" role="status" aria-live="polite">
        ${this.reports.map((report) => html`<p class=${report.ok ? 'notice' : 'error'} data-kind=${report.ok ? 'ok' : 'error'}>${report.message}</p>`)}
        ${blocked ? html`<p class="error" data-kind="outside">${blocked}</p>` : nothing}
        ${this.sceneError ? html`<p class="error">${this.sceneError}</p>` : nothing}
      </div>
      <div class="main">
        <div class="viewport">
          <canvas tabindex="0" aria-label="Build plate: drag to orbit, right-drag to pan, scroll to zoom"></canvas>
          ${this.dropping
            ? html`<div class="overlay dropping">Drop STL, OBJ or 3MF files to add them to the plate</div>`
            : objects.length === 0
              ? html`<div class="overlay">Add models, or drop STL, OBJ or 3MF files here.</div>`
              : nothing}
          ${this.pickingFace ? html`<div class="overlay">Click the face that should lie on the bed.</div>` : nothing}
          <span class="hint">Drag: orbit · Right-drag: pan · Scroll: zoom · Arrows: nudge · Delete · Ctrl+Z</span>
        </div>
        <aside>
          <ul class="objects" aria-label="Objects on the plate">
            ${objects.map(
              (object) => html`<li>
                <button
                  class=${selected.has(object.id) ? 'selected' : ''}
                  data-id=${object.id}
                  data-outside=${object.outsideVolume ? 'true' : 'false'}
                  aria-pressed=${selected.has(object.id)}
                  @click=${(event: MouseEvent) =>
                    event.shiftKey || event.ctrlKey ? this.editor.toggleSelection(object.id) : this.editor.select([object.id])}
                >
                  <span>${object.name}</span>
                  ${object.outsideVolume ? html`<span class="outside-tag">outside</span>` : nothing}
                </button>
              </li>`,
            )}
          </ul>
          ${this.renderSelection()}
        </aside>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-build-plate': BuildPlate;
  }
}
