// `N<n> <command>*<checksum>`: Marlin's checksum is the XOR of every byte before the `*`.
// Used by tests and measurements to speak to the simulator without the protocol engine.

export function marlinChecksum(text: string): number {
  let checksum = 0;
  for (let i = 0; i < text.length; i++) checksum ^= text.charCodeAt(i) & 0xff;
  return checksum;
}

/** The framed line with its trailing `\n`. */
export function frameLine(lineNumber: number, command: string): string {
  const body = `N${lineNumber} ${command}`;
  return `${body}*${marlinChecksum(body)}\n`;
}
