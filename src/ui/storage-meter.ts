// How much Sliceport keeps (its own count of the stored files) and how much room the browser says is
// left, as a meter with words next to it.

import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { readLibraryUsage } from '../app/app-storage.js';
import { availableBytes, type LibraryUsage } from '../storage/library-usage.js';
import { onStorageChange } from '../storage/storage-changes.js';
import { readStorageQuota, type StorageQuota } from '../storage/storage-quota.js';
import { formatByteSize } from './byte-size.js';

@customElement('sp-storage-meter')
export class StorageMeter extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px 12px;
    }
    meter {
      width: min(240px, 100%);
      height: 12px;
    }
  `;

  @state() private quota: StorageQuota = {};
  @state() private usage: LibraryUsage | undefined;
  private stop: (() => void) | undefined;
  private pending: number | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    // Many writes in a row (a streamed G-code file) cause one count, once things have settled.
    this.stop = onStorageChange(() => {
      window.clearTimeout(this.pending);
      this.pending = window.setTimeout(() => void this.refresh(), 300);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop?.();
    window.clearTimeout(this.pending);
  }

  async refresh(): Promise<void> {
    const [quota, usage] = await Promise.all([readStorageQuota(), readLibraryUsage()]);
    this.quota = quota;
    this.usage = usage;
  }

  override render() {
    const stored = this.usage?.storedBytes;
    const available = availableBytes(this.quota);
    if (stored === undefined) return html`<span>The library's size is not known.</span>`;
    const text = `${formatByteSize(stored)} stored${available === undefined ? '' : `, ${formatByteSize(available)} available`}`;
    return html`
      ${available !== undefined
        ? html`<meter min="0" max=${stored + available} value=${stored} aria-label="Storage used by the library"></meter>`
        : ''}
      <span data-testid="storage-meter-text">${text}</span>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-storage-meter': StorageMeter;
  }
}
