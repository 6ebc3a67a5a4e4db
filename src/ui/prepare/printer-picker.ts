// Choose a printer: search the catalog by name or maker (build volume shown), or take a custom one. Says
// when a model is not in the catalog, and when the build fell back to the 2020 printer definitions.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { searchCatalog } from '../../slicer/settings/catalog-search.js';
import type { CatalogMachine } from '../../slicer/settings/definition-files.js';
import { controlStyles } from '../control-styles.js';
import { prepareSession, type BuildVolume } from './prepare-session.js';
import type { SettingsControllerState } from './settings-controller.js';
import { settingsController } from './settings-store.js';

const maxResults = 40;

function volumeText(machine: CatalogMachine | BuildVolume): string {
  const round = (n: number) => Number(n.toFixed(1));
  const size = `${round(machine.width)} × ${round(machine.depth)} × ${round(machine.height)} mm`;
  return machine.shape === 'elliptic' ? `${size}, round bed` : size;
}

@customElement('sp-printer-picker')
export class PrinterPicker extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .current {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: baseline;
        margin-bottom: 8px;
      }
      .current strong {
        font-size: 1.05rem;
      }
      input[type='search'] {
        font: inherit;
        width: 100%;
        box-sizing: border-box;
        padding: 6px 8px;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        background: var(--sp-surface);
        color: var(--sp-text);
      }
      ul {
        list-style: none;
        margin: 6px 0;
        padding: 0;
        max-height: 280px;
        overflow: auto;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
      }
      li button {
        width: 100%;
        justify-content: space-between;
        border: none;
        border-radius: 0;
        text-align: left;
      }
      .maker,
      .volume,
      .muted {
        color: var(--sp-text-muted, #666);
        font-size: 0.9em;
      }
      .error {
        color: var(--sp-danger, #b00020);
      }
    `,
  ];

  @state() private view: SettingsControllerState = settingsController().state;
  @state() private query = '';
  @state() private open = false;

  /** The build volume as resolved (a custom printer's size comes from its settings). */
  @state() private volume: BuildVolume | null = null;

  #onChange = () => {
    this.view = settingsController().state;
  };

  #onSession = () => {
    const session = prepareSession.state;
    this.volume = session.machineDefinitionId && session.machineDefinitionId === this.view.machine?.id ? session.volume : null;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    const controller = settingsController();
    controller.addEventListener('change', this.#onChange);
    prepareSession.addEventListener('change', this.#onSession);
    this.view = controller.state;
    this.#onSession();
    void controller.start();
  }

  override disconnectedCallback(): void {
    settingsController().removeEventListener('change', this.#onChange);
    prepareSession.removeEventListener('change', this.#onSession);
    super.disconnectedCallback();
  }

  #printers: { from: readonly CatalogMachine[]; list: CatalogMachine[] } | null = null;

  /** The printers a user can own (abstract base definitions and the custom printer left out), kept per catalog. */
  #ownable(): CatalogMachine[] {
    const catalog = this.view.catalog;
    if (this.#printers?.from !== catalog) this.#printers = { from: catalog, list: catalog.filter((machine) => machine.concrete && machine.id !== 'custom') };
    return this.#printers.list;
  }

  #choose(id: string) {
    this.open = false;
    this.query = '';
    void settingsController().selectMachine(id);
  }

  override render() {
    const { machine, status, message } = this.view;
    const showList = this.open || !machine;
    const found = showList ? searchCatalog(this.#ownable(), this.query, maxResults) : { machines: [], partial: false };
    const matches = found.machines;
    const definitions = this.view.definitions;
    return html`
      <h2>Printer</h2>
      ${machine
        ? html`<div class="current" data-testid="current-printer">
            <strong>${machine.name}</strong>
            <span class="volume" data-testid="build-volume">${volumeText(this.volume ?? machine)}</span>
            ${this.open ? nothing : html`<button @click=${() => (this.open = true)}>Change printer</button>`}
          </div>`
        : nothing}
      ${status === 'loading' ? html`<p class="muted" role="status">${message}</p>` : nothing}
      ${status === 'failed' ? html`<p class="error" role="alert">${message}</p>` : nothing}
      ${showList
        ? html`
            <input
              type="search"
              data-testid="printer-search"
              aria-label="Search printers by name or maker"
              placeholder="Search printers by name or maker (e.g. Ender 3, Prusa)"
              .value=${this.query}
              @input=${(event: Event) => (this.query = (event.target as HTMLInputElement).value)}
            />
            ${found.partial
              ? html`<p class="muted" data-testid="printer-partial">No printer has every word of "${this.query}"; the closest are listed.</p>`
              : nothing}
            <ul aria-label="Printers">
              ${matches.map(
                (m) => html`<li>
                  <button data-testid="printer-option" data-machine=${m.id} @click=${() => this.#choose(m.id)}>
                    <span>${m.name} <span class="maker">${m.manufacturer}</span></span>
                    <span class="volume">${volumeText(m)}${m.extruderCount > 1 ? `, ${m.extruderCount} extruders` : ''}</span>
                  </button>
                </li>`,
              )}
              ${matches.length === 0 ? html`<li class="muted">No printer matches "${this.query}".</li>` : nothing}
            </ul>
            ${definitions?.fallback
              ? html`<p class="muted" data-testid="definitions-fallback">
                  These are the 2020 printer definitions (${definitions.package} ${definitions.version}): this copy of Sliceport was
                  built without Cura 5.13's, so newer printers are missing.
                </p>`
              : nothing}
            <button data-testid="custom-printer" @click=${() => this.#choose('custom')}>Custom printer (enter its size)</button>
            ${machine ? html`<button @click=${() => (this.open = false)}>Keep ${machine.name}</button>` : nothing}
          `
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-picker': PrinterPicker;
  }
}
