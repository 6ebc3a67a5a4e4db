// The emergency stop for when the printer worker is gone. The worker's hold on the USB port ended with the
// worker, so the page can open the same granted port itself and send M112 and heaters off. It says what
// it did, and what it could not, in words a person at the printer can act on.

import type { SerialChoice } from './link-api.js';
import { DEFAULT_BAUD, findGrantedPort, type SerialLike } from './transport/web-serial-transport.js';

export type PortStopResult = { ok: true; said: string } | { ok: false; message: string; detail?: string };

/** M112 first (acted on at once by firmware with the emergency parser), then every heater off. */
export const PORT_STOP_LINES = ['M112', 'M104 S0', 'M140 S0'] as const;

const POWER_OFF_ADVICE = 'Switch the printer off at its power switch.';

export async function emergencyStopThroughPort(serial: SerialLike | undefined, choice: SerialChoice): Promise<PortStopResult> {
  if (!serial) return { ok: false, message: `This browser cannot reach the printer’s port from here. ${POWER_OFF_ADVICE}` };
  let port;
  try {
    port = await findGrantedPort(serial, choice);
  } catch (error) {
    return { ok: false, message: `${describe(error)} ${POWER_OFF_ADVICE}`, detail: describe(error) };
  }
  const baudRate = choice.baudRate === 'auto' ? DEFAULT_BAUD : choice.baudRate;
  try {
    await port.open({ baudRate });
  } catch (error) {
    return {
      ok: false,
      message: `The printer’s port could not be opened again (it may be in use by another tab or program). ${POWER_OFF_ADVICE}`,
      detail: describe(error),
    };
  }
  try {
    const writer = port.writable?.getWriter();
    if (!writer) throw new Error('the port opened without a way to write to it');
    try {
      await writer.write(new TextEncoder().encode(PORT_STOP_LINES.map((line) => `${line}\n`).join('')));
    } finally {
      writer.releaseLock();
    }
  } catch (error) {
    await port.close().catch(() => undefined);
    return { ok: false, message: `The port opened, but the stop could not be sent. ${POWER_OFF_ADVICE}`, detail: describe(error) };
  }
  await port.close().catch(() => undefined);
  return {
    ok: true,
    said:
      `The port was opened again and M112 (emergency stop) and heaters off were sent at ${baudRate} baud. ` +
      'Most boards also restart when their port opens, which stops them too. Check the printer before leaving it.',
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
