// The slicing engine and printer catalog in Settings → About: the exact engine version, how it was built,
// which catalog the settings come from, and links to the engine's corresponding source (AGPL-3.0).
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { loadAboutFacts, type AboutFacts } from '../slicer/engine/about-facts.js';
import { controlStyles } from './control-styles.js';

@customElement('sp-engine-about')
export class EngineAbout extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      p {
        margin: 0 0 8px;
      }
      ul {
        margin: 0 0 8px;
        padding-left: 1.2em;
      }
      details {
        margin-bottom: 8px;
      }
    `,
  ];

  @state() private facts: AboutFacts | null | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.facts === undefined) {
      void loadAboutFacts(new URL(import.meta.env.BASE_URL, location.origin).href).then((facts) => {
        this.facts = facts;
      });
    }
  }

  override render() {
    const facts = this.facts;
    if (facts === undefined) return html`<p class="muted">Reading the engine's description…</p>`;
    if (facts === null) {
      return html`<p data-testid="engine-about">Slicing is done by CuraEngine by UltiMaker (AGPL-3.0); this installation does not describe its build.</p>`;
    }
    return html`
      <p data-testid="engine-about">
        Slicing engine: <strong data-testid="engine-name">${facts.engine}</strong> by UltiMaker (AGPL-3.0, version 3 or later),
        ${facts.build}.
      </p>
      <p data-testid="catalog-about">Printer catalog: ${facts.catalog ?? 'not described'} (Cura's definitions, LGPL-3.0).</p>
      <details>
        <summary>Corresponding source of the engine</summary>
        <p>The unmodified upstream sources it is compiled from:</p>
        <ul data-testid="engine-sources">
          ${facts.sources.map((source) => html`<li><a href=${source.url} rel="noopener noreferrer" target="_blank">${source.label}</a></li>`)}
        </ul>
        ${facts.recipe.length > 0
          ? html`<p>Our build recipe and patches (served with this app):</p>
              <ul data-testid="engine-recipe">
                ${facts.recipe.map((file) => html`<li><a href=${file.url} target="_blank">${file.label}</a></li>`)}
              </ul>`
          : null}
        ${facts.patches.length > 0
          ? html`<p>Our changes to the upstream sources:</p>
              <ul>
                ${facts.patches.map((patch) => html`<li><code>${patch.file}</code>: ${patch.why}</li>`)}
              </ul>`
          : null}
      </details>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-engine-about': EngineAbout;
  }
}
