// Fatal firmware errors, said in words a printer owner can act on.

export function plainFatal(text: string): string {
  if (/thermal runaway/i.test(text)) return 'The printer stopped itself: thermal runaway (a heater is not heating as expected). Check the heater and its temperature sensor before printing again.';
  if (/maxtemp/i.test(text)) return 'The printer stopped itself: a heater got too hot (MAXTEMP). Check the temperature sensor and wiring.';
  if (/mintemp/i.test(text)) return 'The printer stopped itself: a temperature reading is too low (MINTEMP), usually a disconnected sensor.';
  if (/heating failed/i.test(text)) return 'The printer stopped itself: heating failed. Check the heater and its wiring.';
  if (/stopped due to errors/i.test(text)) return 'The printer stopped because of an error. Fix the cause, then send M999 or reset the printer.';
  return `The printer stopped itself (${text}). Reset it, then connect again.`;
}
