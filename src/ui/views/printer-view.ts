import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('sp-printer-view')
export class PrinterView extends LitElement {
  override render() {
    return html`<h2>Printer</h2>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-view': PrinterView;
  }
}
