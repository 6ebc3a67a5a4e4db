// Jog, home, extrude/retract, fan, motors off, speed/flow overrides and Z babystep.

import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import {
  babystepCommand,
  extrudeCommands,
  fanCommand,
  homeCommand,
  jogCommands,
  jogSteps,
  overrideCommand,
  supportsBabystep,
  type Axis,
} from '../../printer-panel/printer-controls.js';
import { isJobActive } from '../../printer-panel/job-summary.js';
import { MirrorController } from './mirror-controller.js';
import { panelStyles } from './panel-styles.js';

@customElement('sp-printer-controls')
export class PrinterControls extends LitElement {
  static override styles = panelStyles;
  private readonly printer = new MirrorController(this);
  @state() private step = 10;
  @state() private extrudeLength = 5;
  @state() private extrudeSpeed = 5;
  @state() private message = '';

  private async run(commands: readonly string[]): Promise<void> {
    const outcome = await this.printer.client.sendAll(commands);
    this.message = outcome.ok ? '' : outcome.error.message;
  }

  private async extrude(sign: 1 | -1): Promise<void> {
    const check = extrudeCommands(sign * this.extrudeLength, this.extrudeSpeed, this.printer.snapshot.temperatures);
    if (!check.ok) {
      this.message = check.message;
      return;
    }
    await this.run(check.commands);
  }

  private async override(kind: 'speed' | 'flow', value: number): Promise<void> {
    const check = overrideCommand(kind, value);
    if (!check.ok) {
      this.message = check.message;
      return;
    }
    await this.run(check.commands);
  }

  override render() {
    const { state, job, firmware } = this.printer.snapshot;
    const connected = !['disconnected', 'connecting', 'error'].includes(state);
    const printing = isJobActive(job) && job?.state !== 'paused';
    // Moving the head during a print would ruin it; while paused the host's pause script parked it.
    const canMove = connected && !printing;
    const jog = (axis: Axis, sign: 1 | -1) => html`<button
      ?disabled=${!canMove}
      data-testid="jog-${axis}${sign > 0 ? '+' : '-'}"
      @click=${() => this.run(jogCommands(axis, sign * this.step))}
    >
      ${axis}${sign > 0 ? '+' : '−'}
    </button>`;
    return html`<section class="card" aria-labelledby="controls">
      <h2 id="controls">Control</h2>
      <div class="row" role="radiogroup" aria-label="Step size">
        Step:
        ${jogSteps.map(
          (s) => html`<label><input type="radio" name="step" .checked=${this.step === s} @change=${() => (this.step = s)} /> ${s} mm</label>`,
        )}
      </div>
      <div class="row">${jog('X', -1)} ${jog('X', 1)} ${jog('Y', -1)} ${jog('Y', 1)} ${jog('Z', -1)} ${jog('Z', 1)}</div>
      <div class="row">
        <button ?disabled=${!canMove} @click=${() => this.run([homeCommand()])}>Home all</button>
        ${(['X', 'Y', 'Z'] as const).map((a) => html`<button ?disabled=${!canMove} @click=${() => this.run([homeCommand([a])])}>Home ${a}</button>`)}
        <button ?disabled=${!canMove} @click=${() => this.run(['M84'])}>Motors off</button>
      </div>
      <div class="row">
        <label>Length <input type="number" min="0.1" max="200" step="0.1" .value=${String(this.extrudeLength)} @change=${(e: Event) => (this.extrudeLength = Number((e.target as HTMLInputElement).value))} /> mm</label>
        <label>Speed <input type="number" min="1" max="100" .value=${String(this.extrudeSpeed)} @change=${(e: Event) => (this.extrudeSpeed = Number((e.target as HTMLInputElement).value))} /> mm/s</label>
        <button ?disabled=${!canMove} data-testid="extrude" @click=${() => this.extrude(1)}>Extrude</button>
        <button ?disabled=${!canMove} data-testid="retract" @click=${() => this.extrude(-1)}>Retract</button>
      </div>
      <div class="row">
        <label>Fan <input type="range" min="0" max="100" step="5" value="0" ?disabled=${!connected} @change=${(e: Event) => this.run([fanCommand(Number((e.target as HTMLInputElement).value))])} /></label>
        <button ?disabled=${!connected} @click=${() => this.run([fanCommand(0)])}>Fan off</button>
      </div>
      ${isJobActive(job)
        ? html`<div class="row">
            <label>Speed <input type="number" min="10" max="300" value="100" data-testid="override-speed" @change=${(e: Event) => this.override('speed', Number((e.target as HTMLInputElement).value))} /> %</label>
            <label>Flow <input type="number" min="10" max="300" value="100" data-testid="override-flow" @change=${(e: Event) => this.override('flow', Number((e.target as HTMLInputElement).value))} /> %</label>
            ${supportsBabystep(firmware?.capabilities)
              ? html`Z babystep
                  <button @click=${() => this.run([babystepCommand(-0.05)])}>−0.05</button>
                  <button @click=${() => this.run([babystepCommand(0.05)])}>+0.05</button>`
              : nothing}
          </div>`
        : nothing}
      ${this.message ? html`<p class="problem" role="alert" data-testid="control-message">${this.message}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-controls': PrinterControls;
  }
}
