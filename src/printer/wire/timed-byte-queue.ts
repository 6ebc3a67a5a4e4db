// Bytes in flight with the time each one reaches the far end, in arrival order.

export class TimedByteQueue {
  private bytes = new Uint8Array(1024);
  private times = new Float64Array(1024);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  /** Arrival time of the next byte, or null when nothing is in flight. */
  get nextTime(): number | null {
    return this.head < this.tail ? this.times[this.head] : null;
  }

  push(byte: number, time: number): void {
    if (this.tail === this.bytes.length) this.makeRoom();
    this.bytes[this.tail] = byte;
    this.times[this.tail] = time;
    this.tail++;
  }

  /**
   * Takes the next bytes arriving no later than `limit`, stopping after a line end when `splitLines`.
   * Returns the bytes and the arrival time of the last one.
   */
  take(limit: number, splitLines: boolean): { bytes: Uint8Array; time: number } | null {
    const start = this.head;
    let end = start;
    while (end < this.tail && this.times[end] <= limit) {
      const byte = this.bytes[end++];
      if (splitLines && (byte === 10 || byte === 13)) break;
    }
    if (end === start) return null;
    this.head = end;
    return { bytes: this.bytes.slice(start, end), time: this.times[end - 1] };
  }

  clear(): void {
    this.head = this.tail = 0;
  }

  private makeRoom(): void {
    const live = this.tail - this.head;
    if (live * 2 > this.bytes.length) {
      const bytes = new Uint8Array(this.bytes.length * 2);
      const times = new Float64Array(this.bytes.length * 2);
      bytes.set(this.bytes.subarray(this.head, this.tail));
      times.set(this.times.subarray(this.head, this.tail));
      this.bytes = bytes;
      this.times = times;
    } else {
      this.bytes.copyWithin(0, this.head, this.tail);
      this.times.copyWithin(0, this.head, this.tail);
    }
    this.head = 0;
    this.tail = live;
  }
}
