// A growable Float32Array, so a big text model never becomes a JS array of millions of numbers.
export class FloatList {
  data = new Float32Array(1024);
  length = 0;

  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
    this.data[this.length++] = c;
  }

  /** The filled part, as its own compact array. */
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }
}
