// Transports of the printer worker: Web Serial for real printers, the simulated printer for everyone else.

import type { OpenTransport } from './transport.js';
import { openSerialTransport } from './web-serial-transport.js';
import { openSimulatorTransport } from './simulator-transport.js';

export type { OpenTransport, PrinterTransport, TransportClock, TransportHandlers } from './transport.js';
export { realClock } from './transport.js';
export { openSerialTransport, findGrantedPort, WebSerialTransport, SERIAL_BUFFER_SIZE, DEFAULT_BAUD } from './web-serial-transport.js';
export type { SerialLike, SerialPortLike } from './web-serial-transport.js';
export { openSimulatorTransport, SimulatorTransport, simulatedWireOptions, firmwareOptions } from './simulator-transport.js';
export { RealtimeLink } from './realtime-link.js';
export type { SimulatorTransportOptions } from './simulator-transport.js';
export { SimulatedSerialPort, simulatedSerial } from './simulated-serial-port.js';
export type { SimulatedSerialPortOptions } from './simulated-serial-port.js';

/** Opens what the connect dialog chose. */
export const openTransport: OpenTransport = (choice, handlers) =>
  choice.kind === 'simulator' ? openSimulatorTransport(choice, handlers) : openSerialTransport(choice, handlers);
