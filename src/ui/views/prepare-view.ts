import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('sp-prepare-view')
export class PrepareView extends LitElement {
  override render() {
    return html`<h2>Prepare</h2>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-prepare-view': PrepareView;
  }
}
