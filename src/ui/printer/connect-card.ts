// The connect dialog: the simulated printer, USB printers granted before (one click to reconnect), a
// port picker filtered to the chips printers use, baud rate, and plain-language failures.

import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { SerialChoice, SimulatorChoice, TransportChoice } from '../../printer/link-api.js';
import type { PrinterProfileRecord } from '../../storage/records.js';
import {
  baudRates,
  connectWarnings,
  defaultBaudRate,
  describePort,
  connectProblem,
  explainConnectError,
  looksLikeWrongBaud,
  portFilters,
  webSerialProblem,
  type BaudChoice,
  type ConnectProblem,
} from '../../printer-panel/connect-options.js';
import { genericPrinterProfile } from '../../printer-panel/default-profile.js';
import { onStorageChange } from '../../storage/storage-changes.js';
import { ACTIVE_PROFILE_SETTING, chooseActiveProfile, selectableProfiles } from '../../profiles/profile-choice.js';
import { MirrorController } from './mirror-controller.js';
import { panelStorage } from './panel-storage.js';
import { panelStyles } from './panel-styles.js';

interface GrantedPort {
  port: SerialPort;
  usbVendorId?: number;
  usbProductId?: number;
  portIndex: number;
  label: string;
}

/** Simulated heating in seconds rather than minutes, for people trying things out (and for tests). */
const fastSimulator: Record<string, unknown> = {
  bootMs: 200,
  homingMs: 500,
  thermal: { hotend: { timeConstantS: 3 }, bed: { timeConstantS: 4 }, residencyMs: 1000 },
};

@customElement('sp-printer-connect')
export class PrinterConnect extends LitElement {
  static override styles = panelStyles;
  private readonly printer = new MirrorController(this);
  @state() private kind: 'simulator' | 'serial' = 'simulator';
  @state() private baudRate: BaudChoice = defaultBaudRate;
  @state() private anyDevice = false;
  @state() private fastHeating = true;
  @state() private granted: GrantedPort[] = [];
  @state() private selected: GrantedPort | undefined;
  @state() private profiles: PrinterProfileRecord[] = [];
  @state() private profileId = '';
  @state() private problem: ConnectProblem | null = null;
  /** What the worker said when connecting failed; explained at render time, as later log lines may refine it. */
  @state() private failedWith: unknown = null;
  @state() private busy = false;
  /** A connection was asked for and its handshake has not finished yet. */
  private attempting = false;
  private attemptStartedAt = 0;
  private readonly serialProblem = webSerialProblem({
    hasSerial: typeof navigator !== 'undefined' && Boolean((navigator as Navigator & { serial?: unknown }).serial),
    secureContext: typeof isSecureContext === 'boolean' ? isSecureContext : true,
  });
  private readonly onPortsChanged = () => void this.loadPorts();
  private stopProfileUpdates: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadProfiles();
    // Profiles made or deleted in Settings show up here without a reload.
    this.stopProfileUpdates = onStorageChange((change) => {
      if (change.store === 'printerProfiles') void this.loadProfiles();
    });
    if (!this.serialProblem) {
      void this.loadPorts();
      navigator.serial.addEventListener('connect', this.onPortsChanged);
      navigator.serial.addEventListener('disconnect', this.onPortsChanged);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopProfileUpdates?.();
    if (!this.serialProblem) {
      navigator.serial.removeEventListener('connect', this.onPortsChanged);
      navigator.serial.removeEventListener('disconnect', this.onPortsChanged);
    }
  }

  private async loadProfiles(): Promise<void> {
    let lastUsed: string | null = null;
    try {
      const storage = await panelStorage();
      this.profiles = selectableProfiles(await storage.printerProfiles.list());
      lastUsed = await storage.settings.get<string | null>(ACTIVE_PROFILE_SETTING, null);
    } catch {
      this.profiles = selectableProfiles([]);
    }
    this.profileId = chooseActiveProfile(this.profiles, lastUsed).id;
    const profile = this.profile();
    if (profile.baudRate) this.baudRate = profile.baudRate;
  }

  private chooseProfile(id: string): void {
    this.profileId = id;
    const profile = this.profile();
    if (profile.baudRate) this.baudRate = profile.baudRate;
    // Remembered so the next visit starts with the same printer; a failed write only loses that convenience.
    void panelStorage()
      .then((storage) => storage.settings.set(ACTIVE_PROFILE_SETTING, id))
      .catch(() => undefined);
  }

  private profile(): PrinterProfileRecord {
    return this.profiles.find((p) => p.id === this.profileId) ?? genericPrinterProfile();
  }

  private async loadPorts(): Promise<void> {
    const ports = await navigator.serial.getPorts();
    const seen = new Map<string, number>();
    this.granted = ports.map((port) => {
      const info = port.getInfo();
      const key = `${info.usbVendorId}:${info.usbProductId}`;
      const portIndex = seen.get(key) ?? 0;
      seen.set(key, portIndex + 1);
      return { port, ...info, portIndex, label: describePort(info) + (portIndex > 0 ? ` #${portIndex + 1}` : '') };
    });
    if (this.selected && !this.granted.some((g) => g.port === this.selected!.port)) this.selected = undefined;
  }

  private async choosePort(): Promise<void> {
    this.problem = null;
    this.failedWith = null;
    try {
      const filters = portFilters(this.anyDevice);
      const port = await navigator.serial.requestPort(filters ? { filters } : {});
      await this.loadPorts();
      this.selected = this.granted.find((g) => g.port === port);
      this.kind = 'serial';
    } catch (error) {
      this.problem = explainConnectError(error);
    }
  }

  private choice(port?: GrantedPort): TransportChoice {
    if (this.kind === 'simulator' && !port) {
      const choice: SimulatorChoice = { kind: 'simulator', baudRate: 115200 };
      if (this.fastHeating) choice.options = fastSimulator;
      return choice;
    }
    const target = port ?? this.selected;
    const choice: SerialChoice = { kind: 'serial', baudRate: this.baudRate, portIndex: target?.portIndex ?? 0 };
    if (target?.usbVendorId !== undefined) choice.usbVendorId = target.usbVendorId;
    if (target?.usbProductId !== undefined) choice.usbProductId = target.usbProductId;
    return choice;
  }

  private async connect(port?: GrantedPort): Promise<void> {
    if (this.kind === 'serial' && !port && !this.selected) {
      this.problem = { kind: 'cancelled', message: 'Choose the USB printer first.' };
      return;
    }
    this.busy = true;
    this.problem = null;
    this.failedWith = null;
    // After a failed handshake the worker sits in `error`: start from a clean slate.
    if (this.printer.snapshot.state === 'error') await this.printer.client.disconnect();
    this.attempting = true;
    this.attemptStartedAt = Date.now();
    const outcome = await this.printer.client.connect(this.choice(port), this.profile());
    this.busy = false;
    if (!outcome.ok) {
      this.attempting = false;
      if (outcome.error.code === 'printer-owned-elsewhere') this.problem = { kind: 'busy', message: outcome.error.message, detail: outcome.error.detail };
      else this.failedWith = outcome.error;
    }
  }

  override willUpdate(): void {
    // The handshake runs after `connect` resolved: a failure ending in `disconnected` arrives as a state
    // change (one ending in `error` is explained in render, from the state itself).
    const { state, reason } = this.printer.snapshot;
    if (!this.attempting) return;
    if (state === 'idle' || state === 'heating' || state === 'printing' || state === 'paused' || state === 'error') this.attempting = false;
    else if (state === 'disconnected' && !this.busy) {
      this.attempting = false;
      const error = this.printer.client.mirror.lastError;
      if (error || reason) this.failedWith = error ?? { message: reason };
    }
  }

  /** A connection that failed before the firmware introduced itself, explained in plain words. */
  private handshakeProblem(): ConnectProblem | null {
    const { state, reason, firmware } = this.printer.snapshot;
    if (state !== 'error' || firmware) return null;
    return this.explain(this.printer.client.mirror.lastError ?? { message: reason ?? 'The connection failed.' });
  }

  /** Plain words for a failed connection; "no reply" becomes "wrong baud rate" when noise did arrive. */
  private explain(error: unknown): ConnectProblem {
    const problem = explainConnectError(error);
    if (problem.kind === 'no-reply') {
      const heard = this.printer.client.mirror.log
        .all()
        .filter((line) => line.direction === 'received' && line.at >= this.attemptStartedAt - 1000)
        .map((line) => line.text);
      if (looksLikeWrongBaud(heard)) return connectProblem('wrong-baud', problem.detail);
    }
    return problem;
  }

  override render() {
    const { state, firmware } = this.printer.snapshot;
    // Shown while disconnected, and after a connection that failed before the firmware introduced itself.
    const usable = state === 'disconnected' || (state === 'error' && !firmware);
    if (!usable) return nothing;
    const warnings = connectWarnings({ kind: this.kind, baudRate: this.baudRate, usbVendorId: this.selected?.usbVendorId });
    return html`<section class="card" aria-labelledby="connect" data-testid="connect-card">
      <h2 id="connect">Connect a printer</h2>
      <fieldset>
        <legend>Printer</legend>
        <label><input type="radio" name="kind" value="simulator" .checked=${this.kind === 'simulator'} @change=${() => (this.kind = 'simulator')} data-testid="choose-simulator" /> Simulated printer (try everything without hardware)</label>
        ${this.kind === 'simulator'
          ? html`<div class="row muted">
              <label><input type="checkbox" .checked=${this.fastHeating} @change=${(e: Event) => (this.fastHeating = (e.target as HTMLInputElement).checked)} /> Fast heating and homing</label>
            </div>`
          : nothing}
        <br />
        <label><input type="radio" name="kind" value="serial" .checked=${this.kind === 'serial'} ?disabled=${this.serialProblem !== null} @change=${() => (this.kind = 'serial')} data-testid="choose-usb" /> USB printer</label>
        ${this.serialProblem ? html`<p class="problem" data-testid="no-web-serial">${this.serialProblem.message}</p>` : this.renderUsb()}
      </fieldset>
      ${this.profiles.length > 1
        ? html`<label
            >Profile
            <select data-testid="connect-profile" @change=${(e: Event) => this.chooseProfile((e.target as HTMLSelectElement).value)}>
              ${this.profiles.map((p) => html`<option value=${p.id} ?selected=${p.id === this.profileId}>${p.name}</option>`)}
            </select></label
          >`
        : html`<p class="muted">Profile: ${this.profile().name}</p>`}
      ${warnings.map((w) => html`<p class="warning" data-testid="warning-${w.id}">${w.text}</p>`)}
      <div class="row">
        <button data-testid="connect" ?disabled=${this.busy} @click=${() => this.connect()}>${this.busy ? 'Connecting…' : 'Connect'}</button>
      </div>
      ${this.renderProblem()}
    </section>`;
  }

  private renderProblem() {
    const problem = this.problem ?? (this.failedWith !== null ? this.explain(this.failedWith) : this.handshakeProblem());
    return problem ? html`<p class="problem" role="alert" data-testid="connect-problem" data-kind=${problem.kind}>${problem.message}</p>` : nothing;
  }

  private renderUsb() {
    return html`<div style="margin-left: 1.5rem">
      ${this.granted.length > 0
        ? html`<p class="muted">Printers you allowed before:</p>
            <ul>
              ${this.granted.map(
                (g) => html`<li>
                  <label><input type="radio" name="port" .checked=${this.selected?.port === g.port} @change=${() => ((this.selected = g), (this.kind = 'serial'))} /> ${g.label}</label>
                  <button data-testid="reconnect" ?disabled=${this.busy} @click=${() => ((this.kind = 'serial'), (this.selected = g), this.connect(g))}>Connect</button>
                </li>`,
              )}
            </ul>`
        : nothing}
      <div class="row">
        <button data-testid="choose-port" @click=${() => this.choosePort()}>Choose a USB printer…</button>
        <label><input type="checkbox" .checked=${this.anyDevice} @change=${(e: Event) => (this.anyDevice = (e.target as HTMLInputElement).checked)} /> Show any device</label>
      </div>
      <label
        >Baud rate
        <select data-testid="baud" @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; this.baudRate = v === 'auto' ? 'auto' : Number(v); }}>
          ${baudRates.map((b) => html`<option value=${String(b)} ?selected=${b === this.baudRate}>${b === 'auto' ? 'Auto (try each)' : b}</option>`)}
        </select>
      </label>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-connect': PrinterConnect;
  }
}
