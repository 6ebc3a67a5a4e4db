// Settings: what Sliceport keeps and whether the browser may throw it away, how the theme is chosen,
// what this browser can do, and the licence.

import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { detectBrowserSupport, NO_WEB_SERIAL_MESSAGE } from '../../app/browser-support.js';
import { readStorageQuota, requestPersistentStorage } from '../../storage/storage-quota.js';
import { controlStyles } from '../control-styles.js';
import '../storage-meter.js';
import '../profiles/printer-profile-editor.js';
import '../engine-about.js';

@customElement('sp-settings-view')
export class SettingsView extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .sections {
        display: grid;
        gap: 16px;
        max-width: 820px;
      }
      section p {
        margin: 0 0 8px;
      }
      section p:last-child {
        margin-bottom: 0;
      }
      sp-storage-meter {
        margin: 4px 0 14px;
      }
    `,
  ];

  @property({ attribute: false }) params: Readonly<Record<string, string>> = {};
  @property({ attribute: false }) active = false;
  @state() private persisted: boolean | undefined;
  @state() private askedAndRefused = false;
  private readonly support = detectBrowserSupport();

  override connectedCallback(): void {
    super.connectedCallback();
    void readStorageQuota().then((quota) => (this.persisted = quota.persisted));
  }

  private async askPersistence(): Promise<void> {
    const granted = await requestPersistentStorage();
    this.persisted = granted;
    this.askedAndRefused = granted !== true;
  }

  private renderPersistence() {
    if (this.persisted === true) {
      return html`<p data-testid="persistence">
        <strong>Kept safe.</strong> The browser will not delete Sliceport's files to free up space.
      </p>`;
    }
    if (this.persisted === undefined) {
      return html`<p data-testid="persistence">This browser does not say whether it may delete Sliceport's files.</p>`;
    }
    return html`
      <p data-testid="persistence">
        <strong>Not protected.</strong> If the computer runs short of space, the browser may delete Sliceport's
        files. Installing Sliceport as an app usually lets the browser keep them.
      </p>
      <button @click=${() => void this.askPersistence()}>Ask the browser to keep Sliceport's files</button>
      ${this.askedAndRefused
        ? html`<p class="muted" role="status">The browser said no for now. It decides by itself, often after Sliceport is installed or used more.</p>`
        : ''}
    `;
  }

  override render() {
    return html`
      <h1>Settings</h1>
      <div class="sections">
        <section class="card" aria-labelledby="storage-heading">
          <h2 id="storage-heading">Storage</h2>
          <p>Models, G-code, printer profiles and print history stay in this browser on this computer. Nothing is uploaded.</p>
          <sp-storage-meter></sp-storage-meter>
          ${this.renderPersistence()}
        </section>
        <section class="card" aria-labelledby="profiles-heading">
          <h2 id="profiles-heading">Printer profiles</h2>
          <sp-printer-profile-editor></sp-printer-profile-editor>
        </section>
        <section class="card" aria-labelledby="appearance-heading">
          <h2 id="appearance-heading">Appearance</h2>
          <p>Sliceport follows your system's light or dark setting. Change it in your operating system or browser settings.</p>
        </section>
        <section class="card" aria-labelledby="browser-heading">
          <h2 id="browser-heading">This browser</h2>
          ${this.support.webSerial
            ? html`<p data-testid="web-serial-support">This browser can connect to a printer over USB (Web Serial).</p>`
            : html`<p data-testid="web-serial-support">${NO_WEB_SERIAL_MESSAGE}</p>`}
          <p>${this.support.serviceWorker && this.support.secureContext
            ? 'Sliceport works offline once it has been opened here.'
            : 'Sliceport cannot work offline here: it needs a secure address (https:// or localhost).'}</p>
        </section>
        <section class="card" aria-labelledby="about-heading">
          <h2 id="about-heading">About</h2>
          <p>Sliceport slices and prints from the browser: no server, no cloud, no account.</p>
          <p>
            Sliceport is free software under the GNU Affero General Public License, version 3 or any later version
            (AGPL-3.0-or-later). You may use, study, share and change it under those terms; it comes with no warranty.
            <a href="https://www.gnu.org/licenses/agpl-3.0.html" rel="noopener noreferrer" target="_blank">Read the licence</a>.
          </p>
          <sp-engine-about></sp-engine-about>
        </section>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-settings-view': SettingsView;
  }
}
