// The serial line in software: the endpoint contract, a virtual-clock wire and line noise.
export type { SerialEndpoint } from './serial-endpoint.js';
export { VirtualWire } from './virtual-wire.js';
export type { RunLimits, RunOutcome, VirtualWireOptions } from './virtual-wire.js';
export { WireDirection } from './wire-direction.js';
export type { WireDirectionOptions, WireDirectionStats } from './wire-direction.js';
export { ByteFaults } from './byte-faults.js';
export type { ByteFaultOptions } from './byte-faults.js';
export { SeededRandom } from './seeded-random.js';
export { RecordingEndpoint } from './recording-endpoint.js';
export type { ReceivedLine } from './recording-endpoint.js';
export { frameLine, marlinChecksum } from './line-framing.js';
