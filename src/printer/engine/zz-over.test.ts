import { it } from 'vitest';
import { makeRig } from './engine-on-wire.js';
it('overflow sources', () => {
  const lines: string[] = ['G28', 'G90', 'M82', 'G92 E0'];
  for (let i = 0; i < 8000; i++) lines.push(`G1 X${(110 + 30 * Math.cos(i / 40)).toFixed(3)} Y${(110 + 30 * Math.sin(i / 40)).toFixed(3)} E${(i * 0.03).toFixed(5)}`);
  const text = lines.join('\n') + '\n';
  const bytes = new Uint8Array(text.length); for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const variants: Record<string, [any, any]> = {
    none: [{}, {}],
    dupOk: [{ duplicateOkRate: 0.002 }, {}],
    missingOk: [{ missingOkAfterResendRate: 0.3, spuriousResendRate: 0.005 }, {}],
    spurious: [{ spuriousResendRate: 0.005 }, {}],
    busy: [{ busyStallRate: 0.001, busyStallMs: 4000 }, {}],
    rxNoise: [{}, { hostToPrinter: { latencyMs: 1, faults: { corruptRate: 1 / 4000, minBytesBetweenFaults: 120 } } }],
    txNoise: [{}, { printerToHost: { latencyMs: 1, faults: { corruptRate: 1 / 500, minBytesBetweenFaults: 8 } } }],
    txDrop: [{}, { printerToHost: { latencyMs: 1, faults: { dropRate: 1 / 500, minBytesBetweenFaults: 8 } } }],
  };
  for (const [name, [faults, wire]] of Object.entries(variants)) {
    const rig = makeRig({ flowControl: 'fast', troubleLimit: Infinity }, { seed: 4, faults }, { seed: 4, ...wire });
    rig.connect();
    rig.startJob(bytes, 1 << 20);
    rig.run(() => rig.engine.jobState === 'completed' || rig.engine.jobState === 'failed', 48 * 3600_000);
    console.log(name, rig.engine.jobState, 'overflow', rig.printer.counters.rxOverflowBytes, 'resends', rig.printer.counters.resendsRequested);
  }
});
