// One side of a serial line, sans-I/O: it is fed bytes and time and hands back bytes to write.
// The protocol engine (host side) and the simulated firmware (printer side) both implement it, so the
// same code runs against a virtual clock in Node, against the simulator in a worker, and over Web Serial.

export interface SerialEndpoint {
  /** Bytes arrived from the other side at time `now` (milliseconds, monotonic). */
  receive(bytes: Uint8Array, now: number): void;
  /** Time has passed: do whatever is due at `now`. */
  tick(now: number): void;
  /** Bytes this endpoint wants written, in order, since the last call. */
  takeWrites(): Uint8Array[];
  /** When this endpoint next needs `tick`, or null when only incoming bytes can wake it. */
  nextWakeAt(): number | null;
}
