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
      .head h2 { font-size: 1.05rem; margin: 0; }
      :host { scroll-margin-top: 12px; }
    `,
  ];

  /** The Library route's query; the panel shows when it has `preview`. */
  @property({ attribute: false }) params: Readonly<Record<string, string>> = {};

  /** Moves keyboard focus to the panel, so the keyboard follows the eye after "Preview". */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }

  override render() {
    if (!('preview' in this.params)) {
      return html`<a href=${routeHref('library', { preview: '' })}>Preview a G-code file from this computer</a>`;
    }
    const id = this.params.preview || null;
    return html`<section aria-label="G-code preview">
      <div class="head">
        <h2 tabindex="-1">G-code preview</h2>
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
