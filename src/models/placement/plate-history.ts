// Undo and redo for the plate. Snapshots share the (immutable) triangle arrays, so one costs a few
// numbers per object, and a hundred of them are cheap.

export class PlateHistory<Snapshot> {
  #past: Snapshot[] = [];
  #future: Snapshot[] = [];

  constructor(readonly limit = 100) {}

  /** Records the state before a change. Any redo steps are dropped, as in every editor. */
  record(before: Snapshot): void {
    this.#past.push(before);
    if (this.#past.length > this.limit) this.#past.shift();
    this.#future = [];
  }

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  /** Returns the state to restore, given the current one, or null when there is nothing to undo. */
  undo(current: Snapshot): Snapshot | null {
    const previous = this.#past.pop();
    if (previous === undefined) return null;
    this.#future.push(current);
    return previous;
  }

  redo(current: Snapshot): Snapshot | null {
    const next = this.#future.pop();
    if (next === undefined) return null;
    this.#past.push(current);
    return next;
  }

  clear(): void {
    this.#past = [];
    this.#future = [];
  }
}
