// Printer profiles in Settings: list, add, edit and delete the profiles that set a printer's limits,
// scripts and link speed. Checking is done by src/profiles; this only renders and stores.

import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { appStorage } from '../../app/app-storage.js';
import { baudRates } from '../../printer-panel/connect-options.js';
import { ACTIVE_PROFILE_SETTING, newPrinterProfile } from '../../profiles/profile-choice.js';
import { validatePrinterProfile, type ProfileField, type ProfileProblem } from '../../profiles/profile-validation.js';
import type { PrinterProfileRecord } from '../../storage/records.js';
import { newRecordId } from '../../storage/record-id.js';
import { controlStyles } from '../control-styles.js';

type ScriptKey = keyof PrinterProfileRecord['scripts'];
const scriptLabels: Record<ScriptKey, string> = {
  afterConnect: 'After connecting',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
};

@customElement('sp-printer-profile-editor')
export class PrinterProfileEditor extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: 8px;
        margin-top: 8px;
      }
      label {
        display: block;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: end;
      }
      input[type='number'] {
        width: 7em;
      }
      textarea {
        width: 100%;
        min-height: 4em;
        font-family: monospace;
      }
      .problem {
        color: var(--sp-danger, #b00020);
        margin: 2px 0;
      }
      ul.profiles {
        list-style: none;
        padding: 0;
        margin: 0 0 8px;
      }
      ul.profiles li {
        display: flex;
        gap: 8px;
        align-items: center;
        padding: 2px 0;
      }
    `,
  ];

  @state() private profiles: PrinterProfileRecord[] = [];
  @state() private draft: PrinterProfileRecord | null = null;
  @state() private problems: ProfileProblem[] = [];
  @state() private message = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const stored = await (await appStorage()).printerProfiles.list();
      this.profiles = stored.sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      this.message = `Printer profiles could not be read: ${String(error)}`;
    }
  }

  private edit(profile: PrinterProfileRecord): void {
    this.draft = structuredClone(profile);
    this.problems = [];
    this.message = '';
  }

  private change(change: Partial<PrinterProfileRecord>): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, ...change };
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.draft) return;
    const draft = { ...this.draft, name: this.draft.name.trim(), updatedAt: Date.now() };
    this.problems = validatePrinterProfile(draft);
    if (this.problems.length > 0) return;
    try {
      await (await appStorage()).printerProfiles.put(draft);
      this.message = `Saved "${draft.name}".`;
      this.draft = null;
      await this.load();
    } catch (error) {
      this.message = `The profile could not be saved: ${String(error)}`;
    }
  }

  private async deleteProfile(profile: PrinterProfileRecord): Promise<void> {
    if (!confirm(`Delete the printer profile "${profile.name}"?`)) return;
    try {
      const storage = await appStorage();
      await storage.printerProfiles.delete(profile.id);
      // Connections made after this use the generic profile until another one is chosen.
      if ((await storage.settings.get<string | null>(ACTIVE_PROFILE_SETTING, null)) === profile.id) {
        await storage.settings.delete(ACTIVE_PROFILE_SETTING);
      }
      if (this.draft?.id === profile.id) this.draft = null;
      this.message = `Deleted "${profile.name}". Printers using it will connect with the generic profile.`;
      await this.load();
    } catch (error) {
      this.message = `The profile could not be deleted: ${String(error)}`;
    }
  }

  private problemsFor(field: ProfileField) {
    const mine = this.problems.filter((p) => p.field === field);
    return mine.length
      ? mine.map((p) => html`<p class="problem" role="alert" data-testid="profile-problem-${field}">${p.message}</p>`)
      : nothing;
  }

  private numberInput(label: string, value: number | undefined, testid: string, set: (v: number) => void, unit = '') {
    return html`<label
      >${label}
      <input
        type="number"
        data-testid=${testid}
        .value=${value === undefined || Number.isNaN(value) ? '' : String(value)}
        @input=${(e: Event) => set((e.target as HTMLInputElement).value === '' ? Number.NaN : Number((e.target as HTMLInputElement).value))}
      />${unit}</label
    >`;
  }

  private renderForm(d: PrinterProfileRecord) {
    return html`<form @submit=${(e: Event) => void this.save(e)} data-testid="profile-form" novalidate>
      <label
        >Name
        <input data-testid="profile-name" .value=${d.name} @input=${(e: Event) => this.change({ name: (e.target as HTMLInputElement).value })}
      /></label>
      ${this.problemsFor('name')}
      <label
        >Baud rate
        <select
          data-testid="profile-baud"
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.change({ baudRate: v === 'auto' ? 'auto' : Number(v) });
          }}
        >
          ${baudRates.map((b) => html`<option value=${String(b)} ?selected=${b === d.baudRate}>${b === 'auto' ? 'auto (try each)' : b}</option>`)}
        </select></label
      >
      ${this.problemsFor('baudRate')}
      <div class="row">
        ${this.numberInput('Highest hotend temperature', d.maxHotendTemp, 'profile-max-hotend', (v) => this.change({ maxHotendTemp: v }), ' °C')}
        ${this.numberInput('Highest bed temperature', d.maxBedTemp, 'profile-max-bed', (v) => this.change({ maxBedTemp: v }), ' °C')}
        ${this.numberInput('Highest chamber temperature (optional)', d.maxChamberTemp, 'profile-max-chamber', (v) =>
          this.change({ maxChamberTemp: Number.isNaN(v) ? undefined : v }), ' °C')}
      </div>
      ${this.problemsFor('maxHotendTemp')} ${this.problemsFor('maxBedTemp')} ${this.problemsFor('maxChamberTemp')}
      <div class="row">
        <label><input type="checkbox" .checked=${d.heatedBed} @change=${(e: Event) => this.change({ heatedBed: (e.target as HTMLInputElement).checked })} /> Heated bed</label>
        <label><input type="checkbox" .checked=${d.heatedChamber} @change=${(e: Event) => this.change({ heatedChamber: (e.target as HTMLInputElement).checked })} /> Heated chamber</label>
        ${this.numberInput('Extruders', d.extruderCount, 'profile-extruders', (v) => this.change({ extruderCount: v }))}
      </div>
      ${this.problemsFor('extruderCount')}
      <div class="row">
        ${this.numberInput('Width', d.volume.width, 'profile-width', (v) => this.change({ volume: { ...d.volume, width: v } }), ' mm')}
        ${this.numberInput('Depth', d.volume.depth, 'profile-depth', (v) => this.change({ volume: { ...d.volume, depth: v } }), ' mm')}
        ${this.numberInput('Height', d.volume.height, 'profile-height', (v) => this.change({ volume: { ...d.volume, height: v } }), ' mm')}
      </div>
      ${this.problemsFor('volume')}
      <label
        >Flow control
        <select data-testid="profile-flow" @change=${(e: Event) => this.change({ flowControl: (e.target as HTMLSelectElement).value as PrinterProfileRecord['flowControl'] })}>
          ${(['auto', 'safe', 'fast'] as const).map((f) => html`<option value=${f} ?selected=${f === d.flowControl}>${f}</option>`)}
        </select></label
      >
      <p class="muted">Safe sends one command and waits for "ok"; fast keeps the printer's receive buffer filled, which prints smoother curves but needs the right buffer size. Auto picks for you.</p>
      ${this.problemsFor('flowControl')}
      ${this.numberInput('Receive buffer', d.receiveBufferBytes, 'profile-buffer', (v) => this.change({ receiveBufferBytes: v }), ' bytes')}
      ${this.problemsFor('receiveBufferBytes')}
      ${(Object.keys(scriptLabels) as ScriptKey[]).map(
        (key) => html`<label
            >${scriptLabels[key]} script <span class="muted">(empty = safe default)</span>
            <textarea
              data-testid="profile-script-${key}"
              .value=${d.scripts[key]}
              @input=${(e: Event) => this.change({ scripts: { ...d.scripts, [key]: (e.target as HTMLTextAreaElement).value } })}
            ></textarea></label
          >${this.problemsFor(`scripts.${key}`)}`,
      )}
      <div class="row">
        <button type="submit" data-testid="profile-save">Save profile</button>
        <button type="button" @click=${() => ((this.draft = null), (this.problems = []))}>Cancel</button>
      </div>
    </form>`;
  }

  override render() {
    return html`
      <p>Limits, scripts and connection speed for each of your printers. Commands above a profile's temperature limits are refused.</p>
      <ul class="profiles" data-testid="profile-list">
        <li>Generic Marlin printer <span class="muted">(built in)</span></li>
        ${this.profiles.map(
          (p) => html`<li data-testid="profile-item">
            <span>${p.name}</span>
            <button type="button" @click=${() => this.edit(p)}>Edit</button>
            <button type="button" @click=${() => void this.deleteProfile(p)}>Delete</button>
          </li>`,
        )}
      </ul>
      ${this.draft
        ? this.renderForm(this.draft)
        : html`<button type="button" data-testid="profile-add" @click=${() => this.edit(newPrinterProfile(newRecordId(), 'My printer'))}>Add a printer profile</button>`}
      ${this.message ? html`<p role="status" data-testid="profile-message">${this.message}</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-profile-editor': PrinterProfileEditor;
  }
}
