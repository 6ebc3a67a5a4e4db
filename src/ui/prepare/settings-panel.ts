// The chosen printer's settings: temperatures, quality preset, the common settings, and "All
// settings", a searchable tree by category of the enabled settings with their live values. Marks
// the user's changes (with a reset), and shows errors and warnings next to the setting.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { PyValue } from '../../slicer/expression/python-values.js';
import { controlStyles } from '../control-styles.js';
import type { SettingsControllerState } from './settings-controller.js';
import { settingsController } from './settings-store.js';

const temperatureKeys = ['material_print_temperature', 'material_bed_temperature'];
const commonKeys = [
  'layer_height',
  'wall_line_count',
  'top_layers',
  'bottom_layers',
  'infill_sparse_density',
  'infill_pattern',
  'support_enable',
  'support_type',
  'adhesion_type',
  'speed_print',
  'cool_fan_enabled',
  'cool_fan_speed',
];
const customPrinterKeys = ['machine_width', 'machine_depth', 'machine_height', 'machine_heated_bed', 'machine_center_is_zero'];
const longTextKeys = new Set(['machine_start_gcode', 'machine_end_gcode', 'machine_extruder_start_code', 'machine_extruder_end_code']);

function display(value: PyValue): string {
  if (typeof value === 'number') return String(Number(value.toFixed(4)));
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return JSON.stringify(value);
  return typeof value === 'string' ? value : '';
}

@customElement('sp-settings-panel')
export class SettingsPanel extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      section {
        margin-bottom: 14px;
      }
      .row {
        display: grid;
        grid-template-columns: minmax(9em, 1.2fr) minmax(7em, 1fr) auto;
        gap: 4px 8px;
        align-items: center;
        padding: 2px 0;
      }
      .row label {
        overflow-wrap: anywhere;
      }
      .row input[type='text'],
      .row select,
      .row textarea {
        font: inherit;
        width: 100%;
        box-sizing: border-box;
        padding: 3px 6px;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        background: var(--sp-surface);
        color: var(--sp-text);
      }
      .row textarea {
        font-family: var(--sp-mono, monospace);
        font-size: 0.85em;
        min-height: 6em;
      }
      .unit {
        color: var(--sp-text-muted, #666);
        font-size: 0.85em;
        white-space: nowrap;
      }
      .changed {
        color: var(--sp-link);
        font-weight: bold;
      }
      .reset {
        min-height: 26px;
        padding: 0 8px;
      }
      .message {
        grid-column: 1 / -1;
        font-size: 0.88em;
        margin: 0 0 4px;
      }
      .row.state-error input,
      .row.state-error select {
        border-color: var(--sp-danger, #b00020);
      }
      .message.state-error {
        color: var(--sp-danger, #b00020);
      }
      .message.state-warning {
        color: var(--sp-warning, #8a5a00);
      }
      .field {
        display: flex;
        align-items: center;
        gap: 4px;
        min-width: 0;
      }
      .field input[type='checkbox'] {
        width: auto;
      }
      details.category > summary {
        cursor: pointer;
        font-weight: 600;
        padding: 4px 0;
      }
      input[type='search'] {
        font: inherit;
        width: 100%;
        box-sizing: border-box;
        padding: 6px 8px;
        margin: 6px 0;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        background: var(--sp-surface);
        color: var(--sp-text);
      }
      .muted {
        color: var(--sp-text-muted, #666);
      }
      .notice {
        color: var(--sp-warning, #8a5a00);
      }
      .blocking {
        color: var(--sp-danger, #b00020);
        font-weight: 600;
      }
    `,
  ];

  @state() private view: SettingsControllerState = settingsController().state;
  @state() private search = '';
  @state() private showAll = false;
  /** Values the user typed that were refused, with the reason, until the next good value. */
  @state() private refused = new Map<string, { text: string; message: string }>();

  #onChange = () => {
    this.view = settingsController().state;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    const controller = settingsController();
    controller.addEventListener('change', this.#onChange);
    this.view = controller.state;
    void controller.start();
    window.addEventListener('pagehide', this.#flush);
  }

  override disconnectedCallback(): void {
    settingsController().removeEventListener('change', this.#onChange);
    window.removeEventListener('pagehide', this.#flush);
    void settingsController().flush();
    super.disconnectedCallback();
  }

  #flush = () => {
    void settingsController().flush();
  };

  #set(key: string, input: unknown, text: string) {
    const message = settingsController().setValue(key, input);
    const refused = new Map(this.refused);
    if (message) refused.set(key, { text, message });
    else refused.delete(key);
    this.refused = refused;
  }

  #reset(key: string) {
    const refused = new Map(this.refused);
    refused.delete(key);
    this.refused = refused;
    settingsController().reset(key);
  }

  #input(key: string, type: string, value: PyValue, options: Readonly<Record<string, string>> | null, label: string): TemplateResult {
    const id = `setting-${key}`;
    if (type === 'bool') {
      return html`<input id=${id} data-setting=${key} type="checkbox" .checked=${value === true} @change=${(e: Event) => this.#set(key, (e.target as HTMLInputElement).checked, '')} />`;
    }
    if (type === 'enum' && options) {
      return html`<select id=${id} data-setting=${key} @change=${(e: Event) => this.#set(key, (e.target as HTMLSelectElement).value, '')}>
        ${Object.entries(options).map(([option, text]) => html`<option value=${option} ?selected=${option === value}>${text}</option>`)}
      </select>`;
    }
    if (type === 'extruder' || type === 'optional_extruder') {
      const count = settingsController().stacks?.extruderCount ?? 1;
      const choices: [string, string][] = Array.from({ length: count }, (_, i) => [String(i), `Extruder ${i + 1}`]);
      if (type === 'optional_extruder') choices.unshift(['-1', 'Not overridden']);
      const current = String(typeof value === 'number' ? Math.trunc(value) : value);
      return html`<select id=${id} data-setting=${key} @change=${(e: Event) => this.#set(key, (e.target as HTMLSelectElement).value, '')}>
        ${choices.map(([option, text]) => html`<option value=${option} ?selected=${option === current}>${text}</option>`)}
      </select>`;
    }
    if (longTextKeys.has(key)) {
      return html`<textarea id=${id} data-setting=${key} aria-label=${label} .value=${display(value)} @change=${(e: Event) => this.#set(key, (e.target as HTMLTextAreaElement).value, '')}></textarea>`;
    }
    const refused = this.refused.get(key);
    const shown = refused ? refused.text : display(value);
    const editable = ['float', 'int', 'str', 'extruder', 'optional_extruder', 'polygon', 'polygons', '[int]'].includes(type);
    return html`<input
      id=${id}
      data-setting=${key}
      type="text"
      inputmode=${type === 'float' || type === 'int' ? 'decimal' : 'text'}
      .value=${shown}
      ?readonly=${!editable}
      @change=${(e: Event) => {
        const text = (e.target as HTMLInputElement).value;
        this.#set(key, text, text);
      }}
    />`;
  }

  #row(key: string, indent = 0): TemplateResult | typeof nothing {
    const controller = settingsController();
    const stacks = controller.stacks;
    if (!stacks) return nothing;
    const stack = controller.stackFor(key);
    const definition = stacks.definitionOf(key, stack);
    if (!definition || definition.type === 'category' || !stacks.has(stack, key)) return nothing;
    const value = stacks.value(stack, key);
    const validation = stacks.validate(stack, key);
    const changed = stacks.hasUserValue(stack, key);
    const refused = this.refused.get(key);
    const state = refused ? 'error' : validation.state;
    const message = refused?.message ?? validation.message;
    return html`<div class="row state-${state}" data-row=${key} style=${indent ? `padding-left:${indent * 12}px` : ''}>
      <label for=${`setting-${key}`} title=${definition.description}>${definition.label}</label>
      <span class="field">${this.#input(key, definition.type, value, definition.options, definition.label)}${definition.unit ? html`<span class="unit">${definition.unit}</span>` : nothing}</span>
      <span>
        ${changed
          ? html`<span class="changed" title="Changed by you" data-changed=${key}>●</span>
              <button class="reset" data-reset=${key} aria-label=${`Reset ${definition.label} to its default`} title="Reset to default" @click=${() => this.#reset(key)}>↺</button>`
          : nothing}
      </span>
      ${message && state !== 'valid' ? html`<p class="message state-${state}" role=${state === 'error' ? 'alert' : 'note'} data-message=${key}>${message}</p>` : nothing}
    </div>`;
  }

  #enabled(key: string): boolean {
    const controller = settingsController();
    const stacks = controller.stacks;
    if (!stacks) return false;
    const stack = controller.stackFor(key);
    return stacks.has(stack, key) && stacks.enabled(stack, key);
  }

  #tree(): TemplateResult {
    const controller = settingsController();
    const stacks = controller.stacks;
    if (!stacks) return html``;
    const definition = stacks.machine.definition;
    const query = this.search.trim().toLowerCase();
    const categories = definition.order.filter((key) => definition.settings.get(key)?.depth === 0);
    const sections = categories.map((category) => {
      const keys = definition.order.filter((key) => {
        const setting = definition.settings.get(key);
        if (!setting || setting.category !== category || setting.depth === 0) return false;
        if (!this.#enabled(key)) return false;
        if (!query) return true;
        return setting.label.toLowerCase().includes(query) || key.includes(query);
      });
      return { category, keys };
    });
    const visible = sections.filter((section) => section.keys.length > 0);
    return html`
      <input
        type="search"
        data-testid="settings-search"
        aria-label="Search settings"
        placeholder="Search settings"
        .value=${this.search}
        @input=${(e: Event) => (this.search = (e.target as HTMLInputElement).value)}
      />
      ${visible.length === 0 ? html`<p class="muted">No enabled setting matches "${this.search}".</p>` : nothing}
      <div data-testid="settings-tree">
        ${visible.map(
          (section) => html`<details class="category" ?open=${!!query}>
            <summary>${definition.settings.get(section.category)?.label ?? section.category} <span class="muted">(${section.keys.length})</span></summary>
            ${section.keys.map((key) => this.#row(key, (definition.settings.get(key)?.depth ?? 1) - 1))}
          </details>`,
        )}
      </div>
    `;
  }

  override render() {
    const controller = settingsController();
    const stacks = controller.stacks;
    const { status, message, presets, presetId, machine, activeExtruder } = this.view;
    if (!stacks || !machine) {
      return status === 'failed' ? html`<p class="blocking" role="alert">${message}</p>` : html`<p class="muted">Choose a printer to see its settings.</p>`;
    }
    const errors = stacks.errors();
    return html`
      ${message && status === 'ready' ? html`<p class="notice" role="status">${message}</p>` : nothing}
      ${errors.length
        ? html`<p class="blocking" role="alert" data-testid="settings-errors">
            Slicing is blocked until ${errors.length === 1 ? 'this setting is' : `these ${errors.length} settings are`} fixed:
            ${errors.map((error) => stacks.definitionOf(error.key)?.label ?? error.key).join(', ')}.
          </p>`
        : nothing}
      ${stacks.extruderCount > 1
        ? html`<section>
            <label
              >Extruder
              <select data-testid="active-extruder" @change=${(e: Event) => controller.setActiveExtruder(Number((e.target as HTMLSelectElement).value))}>
                ${Array.from({ length: stacks.extruderCount }, (_, i) => html`<option value=${i} ?selected=${i === activeExtruder}>Extruder ${i + 1}</option>`)}
              </select>
            </label>
          </section>`
        : nothing}
      ${machine.id === 'custom'
        ? html`<section data-testid="custom-printer-settings">
            <h2>Custom printer</h2>
            ${customPrinterKeys.map((key) => this.#row(key))}
          </section>`
        : nothing}
      <section>
        <h2>Nozzle and temperatures</h2>
        ${this.#row('machine_nozzle_size')} ${temperatureKeys.filter((key) => this.#enabled(key)).map((key) => this.#row(key))}
      </section>
      <section>
        <h2>Quality</h2>
        <div class="row">
          <label for="quality-preset">Quality preset</label>
          <select id="quality-preset" data-testid="quality-preset" @change=${(e: Event) => controller.setPreset((e.target as HTMLSelectElement).value)}>
            ${presets.map((preset) => html`<option value=${preset.id} ?selected=${preset.id === presetId}>${controller.presetLabel(preset)}</option>`)}
          </select>
          <span></span>
        </div>
      </section>
      <section data-testid="common-settings">
        <h2>Common settings</h2>
        ${commonKeys.filter((key) => this.#enabled(key)).map((key) => this.#row(key))}
      </section>
      <section>
        <button data-testid="all-settings-toggle" aria-expanded=${this.showAll ? 'true' : 'false'} @click=${() => (this.showAll = !this.showAll)}>
          ${this.showAll ? 'Hide all settings' : 'All settings'}
        </button>
        ${this.showAll ? this.#tree() : nothing}
      </section>
      ${this.#problems()}
    `;
  }

  #problems() {
    const problems = settingsController().stacks?.problems() ?? [];
    if (problems.length === 0) return nothing;
    return html`<details data-testid="definition-problems">
      <summary class="notice">${problems.length} formula${problems.length === 1 ? '' : 's'} in this printer's definition failed (used as 0, as Cura does)</summary>
      <ul>
        ${problems.map((p) => html`<li><code>${p.key}</code> (${p.stack === 'global' ? 'printer' : `extruder ${Number(p.stack) + 1}`}, ${p.property}): ${p.message}</li>`)}
      </ul>
    </details>`;
  }
}


declare global {
  interface HTMLElementTagNameMap {
    'sp-settings-panel': SettingsPanel;
  }
}
