// The Library's G-code preview panel, shown for `#/library?preview=<gcodeId>` (a stored file) or
// `#/library?preview=` (no file yet: open one from disk with the preview's own button).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { routeHref } from '../../app/hash-router.js';
import { controlStyles } from '../control-styles.js';
import '../preview/gcode-preview.js';

@customElement('sp-library-gcode-preview')
export class LibraryGcodePreview extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      section { display: grid; gap: 8px; }
      .head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
    `,
  ];

  /** The Library route's query; the panel shows when it has `preview`. */
  @property({ attribute: false }) params: Readonly<Record<string, string>> = {};

  override render() {
    if (!('preview' in this.params)) {
      return html`<a href=${routeHref('library', { preview: '' })}>Preview a G-code file from this computer</a>`;
    }
    const id = this.params.preview || null;
    return html`<section aria-label="G-code preview">
      <div class="head">
        <h3>G-code preview</h3>
        <a class="button" href=${routeHref('library')}>Close preview</a>
      </div>
      <sp-gcode-preview .gcodeId=${id}></sp-gcode-preview>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-library-gcode-preview': LibraryGcodePreview;
  }
}
