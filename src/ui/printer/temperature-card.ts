// Current and target temperatures per heater, set and off, material presets, and the live chart.

import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { HeaterId } from '../../printer/link-api.js';
import { setTemperatureCommand } from '../../printer-panel/printer-controls.js';
import {
  checkMaterialPreset,
  materialPresetsKey,
  readMaterialPresets,
  upsertMaterialPreset,
  type MaterialPreset,
} from '../../printer-panel/material-presets.js';
import { MirrorController } from './mirror-controller.js';
import { panelStyles } from './panel-styles.js';
import { panelStorage } from './panel-storage.js';
import './temperature-chart.js';

const heaterNames = (heater: HeaterId) => (heater === 'B' ? 'Bed' : heater === 'C' ? 'Chamber' : heater === 'T0' ? 'Hotend' : `Hotend ${Number(heater.slice(1)) + 1}`);

@customElement('sp-printer-temperatures')
export class PrinterTemperatures extends LitElement {
  static override styles = panelStyles;
  private readonly printer = new MirrorController(this);
  @state() private presets: MaterialPreset[] = readMaterialPresets(undefined);
  @state() private message = '';
  @state() private editing = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadPresets();
  }

  private async loadPresets(): Promise<void> {
    try {
      const storage = await panelStorage();
      this.presets = readMaterialPresets(await storage.settings.get<unknown>(materialPresetsKey, undefined));
    } catch {
      // Storage unavailable (private mode): the defaults still work.
    }
  }

  private async setTarget(heater: HeaterId, value: number): Promise<void> {
    const outcome = await this.printer.client.send(setTemperatureCommand(heater, value));
    this.message = outcome.ok ? '' : outcome.error.message;
  }

  private async applyPreset(preset: MaterialPreset): Promise<void> {
    const heaters = this.printer.snapshot.temperatures.map((t) => t.heater);
    const commands = [setTemperatureCommand('T0', preset.hotend)];
    if (heaters.includes('B') || heaters.length === 0) commands.push(setTemperatureCommand('B', preset.bed));
    const outcome = await this.printer.client.sendAll(commands);
    this.message = outcome.ok ? `Heating for ${preset.name}.` : outcome.error.message;
  }

  private async savePreset(index: number, form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const profile = this.printer.client.profile;
    const check = checkMaterialPreset(
      { name: data.get('name'), hotend: data.get('hotend'), bed: data.get('bed') },
      { maxHotendTemp: profile?.maxHotendTemp ?? 300, maxBedTemp: profile?.maxBedTemp ?? 120 },
    );
    if (!check.ok) {
      this.message = check.message;
      return;
    }
    const next = upsertMaterialPreset(this.presets, check.preset, index < 0 ? undefined : index);
    try {
      await (await panelStorage()).settings.set(materialPresetsKey, next);
      this.presets = next;
      this.message = `Saved ${check.preset.name}.`;
      if (index < 0) form.reset();
    } catch (error) {
      this.message = error instanceof Error ? error.message : 'The preset could not be saved.';
    }
  }

  private async removePreset(index: number): Promise<void> {
    const next = this.presets.filter((_, i) => i !== index);
    if (next.length === 0) return;
    await (await panelStorage()).settings.set(materialPresetsKey, next);
    this.presets = next;
  }

  override render() {
    const { temperatures, state } = this.printer.snapshot;
    const connected = state !== 'disconnected' && state !== 'connecting';
    return html`<section class="card" aria-labelledby="temps">
      <h2 id="temps">Temperatures</h2>
      ${temperatures.length === 0 ? html`<p class="muted">${connected ? 'Waiting for the first report…' : 'Not connected.'}</p>` : nothing}
      <table>
        ${temperatures.map(
          (t) => html`<tr data-testid="heater-${t.heater}">
            <th scope="row">${heaterNames(t.heater)}</th>
            <td><span data-testid="current-${t.heater}">${t.current.toFixed(1)}</span> °C</td>
            <td>→ <span data-testid="target-${t.heater}">${Math.round(t.target)}</span> °C</td>
            <td>
              <form
                class="row"
                @submit=${(e: Event) => {
                  e.preventDefault();
                  const input = (e.currentTarget as HTMLFormElement).elements.namedItem('target') as HTMLInputElement;
                  void this.setTarget(t.heater, Number(input.value));
                }}
              >
                <input name="target" type="number" min="0" step="1" aria-label="New ${heaterNames(t.heater)} target" data-testid="set-${t.heater}" />
                <button type="submit" ?disabled=${!connected}>Set</button>
                <button type="button" ?disabled=${!connected} @click=${() => this.setTarget(t.heater, 0)} data-testid="off-${t.heater}">Off</button>
              </form>
            </td>
          </tr>`,
        )}
      </table>
      <div class="row" aria-label="Material presets">
        ${this.presets.map(
          (p) => html`<button ?disabled=${!connected} @click=${() => this.applyPreset(p)} title="Hotend ${p.hotend} °C, bed ${p.bed} °C">
            ${p.name} ${p.hotend}/${p.bed}
          </button>`,
        )}
        <button class="muted" @click=${() => (this.editing = !this.editing)}>${this.editing ? 'Done' : 'Edit presets'}</button>
      </div>
      ${this.editing ? this.renderEditor() : nothing}
      ${this.message ? html`<p class="muted" role="status">${this.message}</p>` : nothing}
      <sp-temperature-chart .history=${this.printer.client.mirror.temperatures}></sp-temperature-chart>
    </section>`;
  }

  private renderEditor() {
    const row = (p: MaterialPreset | undefined, index: number) => html`<form
      class="row"
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.savePreset(index, e.currentTarget as HTMLFormElement);
      }}
    >
      <input name="name" .value=${p?.name ?? ''} placeholder="Material" aria-label="Material name" size="10" />
      <label>Hotend <input name="hotend" type="number" .value=${p ? String(p.hotend) : ''} /></label>
      <label>Bed <input name="bed" type="number" .value=${p ? String(p.bed) : ''} /></label>
      <button type="submit">${p ? 'Save' : 'Add'}</button>
      ${p ? html`<button type="button" @click=${() => this.removePreset(index)}>Remove</button>` : nothing}
    </form>`;
    return html`<div>${this.presets.map((p, i) => row(p, i))} ${row(undefined, -1)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-temperatures': PrinterTemperatures;
  }
}
