// Splits a G-code file arriving in chunks into lines, keeping file line numbers and byte offsets, so a
// job is read incrementally and never held whole in memory.

export interface RawLine {
  /** 1-based line number in the file. */
  lineNumber: number;
  /** Byte offset just after this line (including its newline). */
  endOffset: number;
  /** The line as ASCII/Latin-1 text, without the newline. */
  text: string;
}

export class GcodeLineReader {
  private carry: Uint8Array = new Uint8Array(0);
  private offset: number;
  private lineNumber: number;

  /** A reader may start in the middle of a file: at byte `startOffset`, just after line `linesBefore`. */
  constructor(startOffset = 0, linesBefore = 0) {
    this.offset = startOffset;
    this.lineNumber = linesBefore;
  }

  /** Feeds the next chunk; calls `onLine` for every complete line. */
  feed(chunk: Uint8Array, onLine: (line: RawLine) => void): void {
    let start = 0;
    let data = chunk;
    if (this.carry.length > 0) {
      data = new Uint8Array(this.carry.length + chunk.length);
      data.set(this.carry);
      data.set(chunk, this.carry.length);
      this.carry = new Uint8Array(0);
    }
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== 10) continue;
      this.emit(data, start, i, i + 1 - start, onLine);
      start = i + 1;
    }
    if (start < data.length) this.carry = data.slice(start);
  }

  /** The file ended: a last line without a newline still counts. */
  finish(onLine: (line: RawLine) => void): void {
    if (this.carry.length > 0) {
      const c = this.carry;
      this.carry = new Uint8Array(0);
      this.emit(c, 0, c.length, c.length, onLine);
    }
  }

  get bytesRead(): number {
    return this.offset + this.carry.length;
  }

  private emit(data: Uint8Array, start: number, end: number, consumed: number, onLine: (line: RawLine) => void): void {
    let stop = end;
    if (stop > start && data[stop - 1] === 13) stop--;
    let text = '';
    for (let i = start; i < stop; i += 4096) {
      text += String.fromCharCode.apply(null, Array.from(data.subarray(i, Math.min(stop, i + 4096))));
    }
    this.offset += consumed;
    this.lineNumber++;
    onLine({ lineNumber: this.lineNumber, endOffset: this.offset, text });
  }
}
