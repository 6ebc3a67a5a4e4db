// How a command travels to Marlin: `N<n> <command>*<checksum>\n`, ASCII only, within MAX_CMD_SIZE.

/** Marlin's MAX_CMD_SIZE: the line buffer including its terminating NUL, so 95 usable characters. */
export const MAX_CMD_SIZE = 96;
export const MAX_LINE_CHARS = MAX_CMD_SIZE - 1;

/** XOR of every character before `*`, as Marlin computes it. */
export function checksum(text: string): number {
  let cs = 0;
  for (let i = 0; i < text.length; i++) cs ^= text.charCodeAt(i) & 0xff;
  return cs;
}

/** The numbered, checksummed line without its newline. */
export function frameLine(lineNumber: number, command: string): string {
  const body = `N${lineNumber} ${command}`;
  return `${body}*${checksum(body)}`;
}

export function encodeLine(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length + 1);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  bytes[text.length] = 10;
  return bytes;
}

/**
 * Length of the framed line in the worst case for its checksum (three digits), so a check made before a
 * job starts holds whatever the checksum turns out to be.
 */
export function worstCaseFramedLength(lineNumber: number, command: string): number {
  return 1 + String(lineNumber).length + 1 + command.length + 1 + 3;
}

/**
 * Strips a `;` comment and surrounding whitespace. Returns '' for blank and comment-only lines.
 * Parentheses are not treated as comments: Marlin only does so with PAREN_COMMENTS.
 */
export function stripComment(line: string): string {
  const semi = line.indexOf(';');
  return (semi >= 0 ? line.slice(0, semi) : line).trim();
}

export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 126 || (c < 32 && c !== 9)) return false;
  }
  return true;
}

/** The G/M word of a command in upper case, e.g. `G1`, `M109`; '' when there is none. */
export function commandWord(command: string): string {
  const m = /^\s*([GMTgmt])\s*0*(\d+)/.exec(command);
  if (!m) return '';
  return `${m[1]!.toUpperCase()}${m[2] === '' ? '0' : m[2]}`;
}

/** A numeric parameter such as `S` of `M104 S200`, or undefined. */
export function numericParam(command: string, letter: string): number | undefined {
  const re = new RegExp(`(?:^|\\s|\\d)${letter}\\s*(-?\\d*\\.?\\d+)`, 'i');
  const body = command.replace(/^\s*[GMTgmt]\s*\d+/, ' ');
  const m = re.exec(body);
  if (!m) return undefined;
  const v = Number(m[1]);
  return Number.isFinite(v) ? v : undefined;
}
