import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('sp-settings-view')
export class SettingsView extends LitElement {
  override render() {
    return html`<h2>Settings</h2>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-settings-view': SettingsView;
  }
}
