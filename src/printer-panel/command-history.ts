// Terminal input history with shell-like ↑/↓: the draft being typed is kept while browsing.

export class CommandHistory {
  private readonly entries: string[] = [];
  /** Index into entries while browsing; entries.length means "at the draft". */
  private cursor = 0;
  private draft = '';

  constructor(readonly capacity = 200) {}

  get length(): number {
    return this.entries.length;
  }

  list(): readonly string[] {
    return this.entries;
  }

  record(command: string): void {
    const text = command.trim();
    if (text !== '' && this.entries[this.entries.length - 1] !== text) {
      this.entries.push(text);
      if (this.entries.length > this.capacity) this.entries.shift();
    }
    this.cursor = this.entries.length;
    this.draft = '';
  }

  /** ↑: the previous command, or null when there is none further back. */
  previous(current: string): string | null {
    if (this.cursor === 0) return null;
    if (this.cursor === this.entries.length) this.draft = current;
    this.cursor--;
    return this.entries[this.cursor] ?? null;
  }

  /** ↓: the next command, then the draft; null when already at the draft. */
  next(): string | null {
    if (this.cursor >= this.entries.length) return null;
    this.cursor++;
    return this.cursor === this.entries.length ? this.draft : (this.entries[this.cursor] ?? null);
  }

  /** Restores entries saved earlier (e.g. from settings), oldest first. */
  load(saved: readonly unknown[]): void {
    this.entries.length = 0;
    for (const item of saved) if (typeof item === 'string' && item.trim() !== '') this.entries.push(item.trim());
    this.entries.splice(0, Math.max(0, this.entries.length - this.capacity));
    this.cursor = this.entries.length;
  }
}
