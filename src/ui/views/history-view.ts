import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('sp-history-view')
export class HistoryView extends LitElement {
  override render() {
    return html`<h2>History</h2>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-history-view': HistoryView;
  }
}
