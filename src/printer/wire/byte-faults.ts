// Line noise on one direction of a serial link: bytes corrupted (one bit flipped) or lost, at a rate per
// byte, from a seeded stream. Used by the wire model and by the simulated firmware's own UART.

import { SeededRandom } from './seeded-random.js';

export interface ByteFaultOptions {
  /** Probability that a byte arrives with one bit flipped. */
  corruptRate?: number;
  /** Probability that a byte is lost. */
  dropRate?: number;
  /**
   * At least this many clean bytes between two faults. Marlin's checksum is a XOR, so two flips of the
   * same bit in one line cancel out and pass unnoticed, as on real hardware; a spacing longer than a
   * line keeps exactly-once tests about the host, not about the weakness of the checksum.
   */
  minBytesBetweenFaults?: number;
  /** Every byte arrives as a random one: the two ends disagree on the baud rate. */
  garble?: boolean;
  seed?: number;
}

export interface ByteFaultCounters {
  corrupted: number;
  dropped: number;
}

export class ByteFaults {
  readonly counters: ByteFaultCounters = { corrupted: 0, dropped: 0 };
  private readonly corruptRate: number;
  private readonly dropRate: number;
  private readonly spacing: number;
  private readonly garble: boolean;
  private readonly random: SeededRandom;
  private cleanSinceFault: number;

  constructor(options: ByteFaultOptions = {}, purpose = 'bytes') {
    this.corruptRate = options.corruptRate ?? 0;
    this.dropRate = options.dropRate ?? 0;
    this.spacing = options.minBytesBetweenFaults ?? 0;
    this.garble = options.garble ?? false;
    this.cleanSinceFault = this.spacing;
    this.random = SeededRandom.derive(options.seed ?? 1, purpose);
    for (const [name, rate] of [['corruptRate', this.corruptRate], ['dropRate', this.dropRate]] as const) {
      if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${rate}`);
    }
  }

  get active(): boolean {
    return this.corruptRate > 0 || this.dropRate > 0 || this.garble;
  }

  /**
   * Applies noise to `bytes`. Returns the same array when nothing happened. `kept` (optional) receives,
   * for each output byte, the index of the input byte it came from, so a caller can keep per-byte times.
   */
  apply(bytes: Uint8Array, kept?: number[]): Uint8Array {
    if (!this.active) {
      if (kept) for (let i = 0; i < bytes.length; i++) kept.push(i);
      return bytes;
    }
    if (this.garble) {
      const out = new Uint8Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) {
        out[i] = this.random.below(256);
        kept?.push(i);
      }
      this.counters.corrupted += bytes.length;
      return out;
    }
    let out: Uint8Array | null = null;
    let length = 0;
    for (let i = 0; i < bytes.length; i++) {
      let byte = bytes[i];
      let drop = false;
      if (this.cleanSinceFault >= this.spacing) {
        const roll = this.random.next();
        if (roll < this.dropRate) drop = true;
        else if (roll < this.dropRate + this.corruptRate) byte ^= 1 << this.random.below(8);
      }
      const faulty = drop || byte !== bytes[i];
      if (faulty) {
        this.cleanSinceFault = 0;
        if (drop) this.counters.dropped++;
        else this.counters.corrupted++;
        if (!out) {
          out = new Uint8Array(bytes.length);
          out.set(bytes.subarray(0, i));
          length = i;
        }
      } else {
        this.cleanSinceFault++;
      }
      if (drop) continue;
      if (out) out[length] = byte;
      length++;
      kept?.push(i);
    }
    return out ? out.subarray(0, length) : bytes;
  }
}
