import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('sp-library-view')
export class LibraryView extends LitElement {
  override render() {
    return html`<h2>Library</h2>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-library-view': LibraryView;
  }
}
