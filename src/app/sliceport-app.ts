import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('sliceport-app')
export class SliceportApp extends LitElement {
  override render() {
    return html`<main><h1>Sliceport</h1></main>`;
  }
}
