// The simulated Marlin printer: see simulated-printer.ts.
export { SimulatedPrinter } from './simulated-printer.js';
export type { ExecutedCommand, FirmwareState, SimulatorCounters } from './simulated-printer.js';
export type { UnderrunEvent } from './motion-planner.js';
export { resolveSimulatorOptions } from './simulator-options.js';
export type {
  FaultOptions,
  HeaterModelOptions,
  ResolvedSimulatorOptions,
  ScheduledFault,
  ScheduledFaultKind,
  SimulatorOptions,
  ThermalOptions,
} from './simulator-options.js';
