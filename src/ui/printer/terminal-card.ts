// The terminal: the live log (bounded, filtered on read), command input with ↑/↓ history and
// autocomplete, copy and export. A command that can harm the printer or wipe its settings is sent only
// after the user confirms it.

import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { DangerousCommand } from '../../printer/dangerous-commands.js';
import { describeGcode, suggestGcodes, type GcodeEntry } from '../../printer-panel/gcode-catalog.js';
import { formatLogLine, type TerminalFilters } from '../../printer-panel/terminal-log.js';
import { MirrorController } from './mirror-controller.js';
import { panelStyles } from './panel-styles.js';
import { saveCommandHistory } from './printer-session.js';

/** Lines rendered at once; the ring keeps more, export gives them all. */
const shownLines = 300;

@customElement('sp-printer-terminal')
export class PrinterTerminal extends LitElement {
  static override styles = [
    panelStyles,
    css`
      pre {
        height: 16rem;
        overflow: auto;
        margin: 0.5rem 0;
        font: 12px/1.35 ui-monospace, monospace;
        background: color-mix(in srgb, currentColor 5%, transparent);
        padding: 0.25rem 0.5rem;
      }
      .sent {
        color: #2d6bd0;
      }
      .error {
        color: #b00020;
      }
      .info {
        opacity: 0.75;
        font-style: italic;
      }
      ul.suggest {
        list-style: none;
        margin: 0;
        padding: 0;
        border: 1px solid color-mix(in srgb, currentColor 20%, transparent);
        max-width: 32rem;
      }
      ul.suggest li {
        padding: 0.1rem 0.4rem;
        cursor: pointer;
      }
      ul.suggest li[aria-selected='true'] {
        background: color-mix(in srgb, #2d6bd0 20%, transparent);
      }
      input.command {
        flex: 1;
        min-width: 12rem;
        font-family: ui-monospace, monospace;
      }
    `,
  ];

  private readonly printer = new MirrorController(this);
  @state() private filters: TerminalFilters = { hideTemperatures: true, hidePlainOks: true };
  @state() private input = '';
  @state() private suggestions: GcodeEntry[] = [];
  @state() private selected = -1;
  @state() private status = '';
  /** A dangerous command waiting for the user's answer. */
  @state() private asking: { command: string; danger: DangerousCommand } | null = null;
  private stickToBottom = true;

  private async submit(): Promise<void> {
    const command = this.input.trim();
    if (!command) return;
    this.input = '';
    this.suggestions = [];
    const danger = this.printer.client.terminalDanger(command);
    if (danger) {
      this.asking = { command, danger };
      return;
    }
    await this.send(command);
  }

  private async send(command: string): Promise<void> {
    this.stickToBottom = true;
    const sending = this.printer.client.sendFromTerminal(command);
    void saveCommandHistory(this.printer.client);
    await sending;
  }

  private async answer(send: boolean): Promise<void> {
    const asked = this.asking;
    this.asking = null;
    if (!asked) return;
    if (send) {
      await this.send(asked.command);
      return;
    }
    this.printer.client.mirror.note('info', `${asked.command}: not sent.`);
    this.input = asked.command;
    this.renderRoot.querySelector<HTMLInputElement>('input.command')?.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const history = this.printer.client.commandHistory;
    // With suggestions open, ↓ enters the list and ↑ climbs back out of it; otherwise ↑/↓ walk the history.
    if (this.suggestions.length > 0 && (event.key === 'ArrowDown' || (event.key === 'ArrowUp' && this.selected >= 0))) {
      event.preventDefault();
      this.selected = event.key === 'ArrowDown' ? Math.min(this.suggestions.length - 1, this.selected + 1) : this.selected - 1;
      return;
    }
    if (event.key === 'Tab' && this.suggestions.length > 0) {
      event.preventDefault();
      this.accept(this.suggestions[Math.max(0, this.selected)]!);
      return;
    }
    if (event.key === 'ArrowUp') {
      event.preventDefault();
      const previous = history.previous(this.input);
      if (previous !== null) this.setInput(previous, false);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      const next = history.next();
      if (next !== null) this.setInput(next, false);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (this.selected >= 0 && this.suggestions[this.selected]) this.accept(this.suggestions[this.selected]!);
      else void this.submit();
    } else if (event.key === 'Escape') {
      this.suggestions = [];
      this.selected = -1;
    }
  }

  private setInput(value: string, suggest: boolean): void {
    this.input = value;
    this.suggestions = suggest ? suggestGcodes(value) : [];
    this.selected = -1;
  }

  private accept(entry: GcodeEntry): void {
    this.input = `${entry.code} `;
    this.suggestions = [];
    this.selected = -1;
    this.renderRoot.querySelector<HTMLInputElement>('input.command')?.focus();
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.printer.client.mirror.log.export(this.filters));
      this.status = 'Copied.';
    } catch {
      this.status = 'The browser did not allow copying; use Export instead.';
    }
  }

  private export(): void {
    const text = this.printer.client.mirror.log.export();
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `sliceport-terminal-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  override updated(): void {
    const pre = this.renderRoot.querySelector('pre');
    if (pre && this.stickToBottom) pre.scrollTop = pre.scrollHeight;
  }

  override render() {
    const log = this.printer.client.mirror.log;
    const lines = log.visible(this.filters, shownLines);
    const connected = !['disconnected', 'connecting'].includes(this.printer.snapshot.state);
    const hint = describeGcode(this.input);
    return html`<section class="card" aria-labelledby="terminal">
      <h2 id="terminal">Terminal</h2>
      <div class="row">
        <label
          ><input
            type="checkbox"
            .checked=${this.filters.hideTemperatures}
            @change=${(e: Event) => (this.filters = { ...this.filters, hideTemperatures: (e.target as HTMLInputElement).checked })}
          />
          Hide temperature reports</label
        >
        <label
          ><input
            type="checkbox"
            .checked=${this.filters.hidePlainOks}
            @change=${(e: Event) => (this.filters = { ...this.filters, hidePlainOks: (e.target as HTMLInputElement).checked })}
          />
          Hide plain "ok"</label
        >
        <button @click=${() => this.copy()}>Copy</button>
        <button @click=${() => this.export()}>Export</button>
        <button @click=${() => log.clear()}>Clear</button>
        <span class="muted">${log.size} lines kept${log.dropped ? `, ${log.dropped} older ones dropped` : ''}</span>
      </div>
      <pre
        data-testid="terminal-log"
        aria-live="off"
        @scroll=${(e: Event) => {
          const pre = e.currentTarget as HTMLElement;
          this.stickToBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
        }}
      >${lines.map((line) => html`<div class=${line.direction}>${formatLogLine(line).slice(11)}</div>`)}</pre>
      <form
        class="row"
        @submit=${(e: Event) => {
          e.preventDefault();
          void this.submit();
        }}
      >
        <input
          class="command"
          data-testid="terminal-input"
          aria-label="Command"
          autocomplete="off"
          spellcheck="false"
          placeholder=${connected ? 'Type a G-code, e.g. M115' : 'Connect to send commands'}
          .value=${this.input}
          ?disabled=${!connected}
          @input=${(e: Event) => this.setInput((e.target as HTMLInputElement).value, true)}
          @keydown=${(e: KeyboardEvent) => this.onKey(e)}
        />
        <button type="submit" ?disabled=${!connected}>Send</button>
      </form>
      ${this.asking ? this.renderQuestion(this.asking.command, this.asking.danger) : nothing}
      ${this.suggestions.length > 0
        ? html`<ul class="suggest" role="listbox" data-testid="terminal-suggestions">
            ${this.suggestions.map(
              (s, i) => html`<li role="option" aria-selected=${i === this.selected ? 'true' : 'false'} @mousedown=${(e: Event) => { e.preventDefault(); this.accept(s); }}>
                <strong>${s.code}</strong> ${s.description}
              </li>`,
            )}
          </ul>`
        : hint
          ? html`<p class="muted">${hint.code}: ${hint.description}${hint.example ? html` — e.g. <code>${hint.example}</code>` : nothing}</p>`
          : nothing}
      ${this.status ? html`<p class="muted" role="status">${this.status}</p>` : nothing}
    </section>`;
  }

  private renderQuestion(command: string, danger: DangerousCommand) {
    return html`<div class="confirm" role="alertdialog" aria-label="Send this command?" data-testid="terminal-danger">
      <p><strong>${command}</strong> — ${danger.why}</p>
      <div class="row">
        <button data-testid="terminal-danger-send" @click=${() => this.answer(true)}>Send ${command}</button>
        <button data-testid="terminal-danger-cancel" @click=${() => this.answer(false)}>Don’t send</button>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-printer-terminal': PrinterTerminal;
  }
}
