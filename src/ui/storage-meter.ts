// How much storage Sliceport uses of what the browser allows, as a meter with words next to it.

import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
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
  private stop: (() => void) | undefined;
  private pending: number | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    // The browser's estimate lags a write a little; ask once things have settled.
    this.stop = onStorageChange(() => {
      window.clearTimeout(this.pending);
      this.pending = window.setTimeout(() => void this.refresh(), 1000);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop?.();
    window.clearTimeout(this.pending);
  }

  async refresh(): Promise<void> {
    this.quota = await readStorageQuota();
  }

  override render() {
    const { usage, quota } = this.quota;
    if (usage === undefined) return html`<span>This browser does not say how much storage is used.</span>`;
    const text =
      quota === undefined
        ? `${formatByteSize(usage)} used`
        : `${formatByteSize(usage)} used of ${formatByteSize(quota)} available to Sliceport`;
    return html`
      ${quota !== undefined ? html`<meter min="0" max=${quota} value=${usage} aria-label="Storage used"></meter>` : ''}
      <span data-testid="storage-meter-text">${text}</span>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-storage-meter': StorageMeter;
  }
}
