// Tells this tab when another tab owns a printer, instead of letting the two fight over the port.

import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { panelStyles } from './panel-styles.js';
import { describePrinterKey, printersOwnedElsewhere } from './printer-session.js';

@customElement('sp-printer-owner-banner')
export class PrinterOwnerBanner extends LitElement {
  static override styles = panelStyles;
  @state() private owned: { key: string; description: string }[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), 3000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    try {
      this.owned = await printersOwnedElsewhere();
    } catch {
      this.owned = [];
    }
  }

  override render() {
    if (this.owned.length === 0) return nothing;
    return html`${this.owned.map(
      (o) => html`<p class="warning" role="status" data-testid="owned-elsewhere">
        <strong>${describePrinterKey(o.key)} is in use in another tab.</strong> ${o.description}
      </p>`,
    )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-owner-banner': PrinterOwnerBanner;
  }
}
