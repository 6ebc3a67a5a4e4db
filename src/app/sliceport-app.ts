// The app shell: header with the sections, notices that concern the whole app, the current view and
// the status bar. Views are loaded on first visit and then kept (hidden when not shown), so a view's
// state — a connected printer, a plate of models — survives a trip to another section. How views
// receive their route is described in hash-router.ts.

import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { StorageError } from '../storage/storage-error.js';
import { requestPersistentStorage } from '../storage/storage-quota.js';
import { controlStyles } from '../ui/control-styles.js';
import { appUpdate } from './app-update.js';
import { STORAGE_PROBLEM_EVENT } from './app-storage.js';
import { detectBrowserSupport, INSECURE_CONTEXT_MESSAGE, NO_WEB_SERIAL_MESSAGE } from './browser-support.js';
import { HashRouter, VIEW_NAMES, VIEW_TITLES, routeHref, type Route, type ViewName } from './hash-router.js';
import { listenForLaunchedFiles } from './launch-files.js';
import { PRINTER_STATE_EVENT, type PrinterStatus } from './printer-status.js';
import { themeStyles } from './theme.js';
import './status-bar.js';
import './update-prompt.js';

type ViewParams = Readonly<Record<string, string>>;

const viewModules: Record<ViewName, () => Promise<unknown>> = {
  printer: () => import('../ui/views/printer-view.js'),
  prepare: () => import('../ui/views/prepare-view.js'),
  library: () => import('../ui/views/library-view.js'),
  history: () => import('../ui/views/history-view.js'),
  settings: () => import('../ui/views/settings-view.js'),
};

function viewElement(name: ViewName, params: ViewParams, active: boolean): TemplateResult {
  switch (name) {
    case 'printer':
      return html`<sp-printer-view .params=${params} .active=${active}></sp-printer-view>`;
    case 'prepare':
      return html`<sp-prepare-view .params=${params} .active=${active}></sp-prepare-view>`;
    case 'library':
      return html`<sp-library-view .params=${params} .active=${active}></sp-library-view>`;
    case 'history':
      return html`<sp-history-view .params=${params} .active=${active}></sp-history-view>`;
    case 'settings':
      return html`<sp-settings-view .params=${params} .active=${active}></sp-settings-view>`;
  }
}

@customElement('sliceport-app')
export class SliceportApp extends LitElement {
  static override styles = [
    themeStyles,
    controlStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 100vh;
        min-height: 100dvh;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 24px;
        padding: 8px 16px;
        background: var(--sp-surface);
        border-bottom: 1px solid var(--sp-border);
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 10px;
        margin: 0;
        font-size: 1.2rem;
        font-weight: 700;
        letter-spacing: 0.01em;
      }
      .brand img {
        width: 28px;
        height: 28px;
      }
      nav ul {
        display: flex;
        gap: 4px;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      nav a {
        display: block;
        padding: 8px 14px;
        border-radius: var(--sp-radius);
        color: var(--sp-text);
        text-decoration: none;
        font-weight: 500;
      }
      nav a:hover {
        background: var(--sp-surface-2);
      }
      nav a[aria-current='page'] {
        background: var(--sp-accent);
        color: var(--sp-accent-text);
      }
      .skip {
        position: absolute;
        left: 8px;
        top: -48px;
        z-index: 10;
      }
      .skip:focus {
        top: 8px;
      }
      .notices {
        display: grid;
        gap: 8px;
        margin: 8px 16px 0;
      }
      .notices:empty {
        display: none;
      }
      .notices p {
        margin: 0;
      }
      main {
        flex: 1;
        min-width: 0;
        padding: 16px;
      }
      main:focus {
        outline: none;
      }
      main:focus-visible {
        outline: 3px solid var(--sp-focus);
        outline-offset: -3px;
      }
      .view[hidden] {
        display: none;
      }
      sp-status-bar {
        position: sticky;
        bottom: 0;
      }
      @media (max-width: 640px) {
        header {
          padding: 6px 8px;
          gap: 6px;
        }
        nav {
          width: 100%;
        }
        nav ul {
          display: grid;
          grid-template-columns: repeat(5, 1fr);
        }
        nav a {
          padding: 8px 2px;
          text-align: center;
          font-size: 0.85rem;
        }
        main {
          padding: 12px 8px;
        }
      }
    `,
  ];

  @state() private route: Route = { view: 'printer', params: {} };
  /** Views visited so far (rendered and kept), with the params they last received. */
  @state() private visited = new Map<ViewName, ViewParams>();
  @state() private failedViews = new Map<ViewName, string>();
  @state() private printer: PrinterStatus = { state: 'disconnected' };
  @state() private storageProblem: StorageError | null = null;
  @query('main') private mainElement!: HTMLElement;
  private readonly support = detectBrowserSupport();
  private readonly router = new HashRouter((route) => this.show(route));
  private routed = false;

  private readonly onPrinterState = (event: Event) => {
    const detail = (event as CustomEvent<PrinterStatus>).detail;
    if (detail?.state) this.printer = detail;
  };
  private readonly onStorageProblem = (event: Event) => {
    this.storageProblem = (event as CustomEvent<StorageError | null>).detail;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(PRINTER_STATE_EVENT, this.onPrinterState);
    window.addEventListener(STORAGE_PROBLEM_EVENT, this.onStorageProblem);
    this.router.start();
    listenForLaunchedFiles();
    if (import.meta.env.PROD) appUpdate.start();
    // An installed Sliceport is granted persistent storage without a question; ask at once. In a tab
    // the request waits until the user stores something (Library) or asks for it (Settings).
    if (window.matchMedia('(display-mode: standalone)').matches) void requestPersistentStorage();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(PRINTER_STATE_EVENT, this.onPrinterState);
    window.removeEventListener(STORAGE_PROBLEM_EVENT, this.onStorageProblem);
    this.router.stop();
  }

  private show(route: Route): void {
    const viewChanged = route.view !== this.route.view;
    this.route = route;
    this.visited = new Map(this.visited).set(route.view, route.params);
    document.title = `${VIEW_TITLES[route.view]} · Sliceport`;
    void this.load(route.view);
    // After the first route, moving to another section moves keyboard and screen-reader focus with it
    // (a change of query within a view leaves focus where the user is).
    if (this.routed && viewChanged) void this.updateComplete.then(() => this.mainElement?.focus({ preventScroll: true }));
    this.routed = true;
  }

  private async load(view: ViewName): Promise<void> {
    if (customElements.get(`sp-${view}-view`) || this.failedViews.has(view)) return;
    try {
      await viewModules[view]();
    } catch (error) {
      console.warn(`The ${view} view failed to load`, error);
      this.failedViews = new Map(this.failedViews).set(view, error instanceof Error ? error.message : String(error));
    }
  }

  private focusMain(): void {
    this.mainElement.focus();
  }

  private renderNotices() {
    const notices: TemplateResult[] = [];
    if (!this.support.secureContext) {
      notices.push(html`<div class="error" role="alert"><p>${INSECURE_CONTEXT_MESSAGE}</p></div>`);
    }
    if (!this.support.webSerial) {
      notices.push(html`<div class="notice" data-testid="no-web-serial"><p>${NO_WEB_SERIAL_MESSAGE}</p></div>`);
    }
    if (this.storageProblem) {
      notices.push(html`<div class="error" role="alert" data-testid="storage-problem"><p>${this.storageProblem.message}</p></div>`);
    }
    return notices;
  }

  override render() {
    const current = this.route.view;
    return html`
      <button class="skip" @click=${this.focusMain}>Skip to content</button>
      <header>
        <p class="brand"><img src="/icons/icon.svg" alt="" />Sliceport</p>
        <nav aria-label="Sections">
          <ul>
            ${VIEW_NAMES.map(
              (name) => html`<li>
                <a href=${routeHref(name)} aria-current=${name === current ? 'page' : nothing}>${VIEW_TITLES[name]}</a>
              </li>`,
            )}
          </ul>
        </nav>
      </header>
      <sp-update-prompt .printerState=${this.printer.state}></sp-update-prompt>
      <div class="notices">${this.renderNotices()}</div>
      <main tabindex="-1" aria-label=${VIEW_TITLES[current]}>
        ${[...this.visited].map(([name, params]) => {
          const active = name === current;
          const failure = this.failedViews.get(name);
          return html`<div class="view" data-view=${name} ?hidden=${!active}>
            ${failure
              ? html`<div class="error" role="alert">
                  <p>This part of Sliceport could not be loaded. Reload the page to try again.</p>
                  <p class="muted">${failure}</p>
                </div>`
              : viewElement(name, params, active)}
          </div>`;
        })}
      </main>
      <sp-status-bar
        .printerState=${this.printer.state}
        .printerLabel=${this.printer.label}
        .emergencyStop=${this.route.view !== 'printer'}
      ></sp-status-bar>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sliceport-app': SliceportApp;
  }
}
