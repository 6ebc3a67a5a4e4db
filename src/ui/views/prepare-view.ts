import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import '../plate/build-plate.js';
import '../prepare/slice-panel.js';
import '../prepare/printer-picker.js';
import '../prepare/settings-panel.js';

@customElement('sp-prepare-view')
export class PrepareView extends LitElement {
  static override styles = css`
    h1 {
      font-size: 1.5em;
      margin: 0.83em 0;
    }
    .prepare-layout {
      display: grid;
      grid-template-columns: minmax(300px, 380px) 1fr;
      gap: 16px;
      align-items: start;
    }
    .prepare-settings {
      max-height: calc(100vh - 140px);
      overflow: auto;
    }
    @media (max-width: 900px) {
      .prepare-layout {
        grid-template-columns: 1fr;
      }
      .prepare-settings {
        max-height: none;
      }
    }
  `;

  override render() {
    return html`<h1>Prepare</h1>
      <div class="prepare-layout">
        <aside class="prepare-settings" aria-label="Printer and settings">
          <sp-printer-picker></sp-printer-picker>
          <sp-settings-panel></sp-settings-panel>
        </aside>
        <div class="prepare-main">
          <sp-build-plate></sp-build-plate>
          <sp-slice-panel></sp-slice-panel>
        </div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-prepare-view': PrepareView;
  }
}
