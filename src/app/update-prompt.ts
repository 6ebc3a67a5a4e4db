// "A new version is ready — Update". Appears when a new service worker is waiting; the update is
// applied only when the user clicks, and not offered while the printer is busy (the reload would stop
// the print).

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConnectionState } from '../printer/link-api.js';
import { controlStyles } from '../ui/control-styles.js';
import { appUpdate, type AppUpdate, type UpdateState } from './app-update.js';
import { printerIsBusy } from './printer-status.js';

@customElement('sp-update-prompt')
export class UpdatePrompt extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .prompt {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 16px;
        margin: 8px 16px 0;
      }
      p {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) printerState: ConnectionState = 'disconnected';
  @property({ attribute: false }) updater: AppUpdate = appUpdate;
  @state() private updateState: UpdateState = 'current';
  private readonly onChange = () => {
    this.updateState = this.updater.state;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.updater.addEventListener('change', this.onChange);
    this.onChange();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.updater.removeEventListener('change', this.onChange);
  }

  override render() {
    const busy = printerIsBusy(this.printerState);
    switch (this.updateState) {
      case 'current':
        return nothing;
      case 'waiting':
      case 'updating':
        return html`
          <div class="prompt notice" role="status" data-testid="update-prompt">
            <p>A new version is ready.</p>
            <button
              class="primary"
              ?disabled=${busy || this.updateState === 'updating'}
              aria-describedby=${busy ? 'busy-note' : nothing}
              @click=${() => void this.updater.update()}
            >
              ${this.updateState === 'updating' ? 'Updating…' : 'Update'}
            </button>
            ${busy
              ? html`<p id="busy-note" class="muted">Update after the print: updating reloads Sliceport and would stop it.</p>`
              : html`<p class="muted">Updating reloads Sliceport.</p>`}
          </div>
        `;
      case 'updated-elsewhere':
        return html`
          <div class="prompt notice" role="status" data-testid="update-prompt">
            <p>Sliceport was updated in another tab.</p>
            <button ?disabled=${busy} @click=${() => window.location.reload()}>Reload this tab</button>
            ${busy ? html`<p class="muted">Reload after the print: reloading would stop it.</p>` : nothing}
          </div>
        `;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-update-prompt': UpdatePrompt;
  }
}
